"""What scrutiny's tests share: the people each role brings."""

import pytest

from actions import roles
from tests.browser.conftest import ensure_role_groups
from tests.factories import LeadFactory
from tests.scrutiny import member_of


@pytest.fixture
def people(db, request):
    """Everyone the issue names: the officer who owes the answer, their delegate, another
    officer, a scrutiny member, a scrutiny officer and a plan administrator."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("role_groups")
    owes = member_of(roles.OFFICERS, "owes", first_name="Olu", last_name="Owes")
    delegate = member_of(roles.OFFICERS, "delegate")
    lead = LeadFactory(name="Olu Owes", job_title="Head of Finance", user=owes)
    lead.delegates.add(delegate)
    return {
        "lead": lead,
        "owes": owes,
        "delegate": delegate,
        "other officer": member_of(roles.OFFICERS, "other"),
        "member": member_of(roles.SCRUTINY_MEMBERS, "member"),
        "clerk": member_of(roles.SCRUTINY_OFFICERS, "clerk", is_staff=True),
        "admin": member_of(roles.PLAN_ADMINISTRATORS, "admin", is_staff=True),
    }


@pytest.fixture
def role_groups(transactional_db):
    """A transactional test's flush empties every table: an earlier one's took the role
    groups the migrations make."""
    ensure_role_groups()
