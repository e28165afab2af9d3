"""A plan with a quarter to report on, and people in each role."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import models

from actions import roles
from actions.models import Status
from reports.models import QuarterlyReport
from reports.services.files import _documents_path
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    TimeframeFactory,
    UserFactory,
)

LONDON = ZoneInfo("Europe/London")
# Quarter 2 2022/23 ends on 30 September 2022; the report is published on 5 October.
QUARTER_END = date(2022, 9, 30)
PUBLISHED_AT = datetime(2022, 10, 5, 10, 15, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def no_failure_kept():
    """A failure to make a report's files is kept in a file named for the test database
    and the report's number, which a later test's report may have again (with the same
    moment of publication)."""
    yield
    kept = _documents_path(QuarterlyReport(pk=0), "failed")
    for path in kept.parent.glob(kept.name.replace("-0.failed", "-*.failed")):
        path.unlink(missing_ok=True)


def user_in(group, username, **fields):
    user = UserFactory(username=username, is_staff=group in roles.STAFF_GROUPS, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people(db):
    return {
        "scrutiny": user_in(roles.SCRUTINY_MEMBERS, "councillor"),
        "officer": user_in(roles.OFFICERS, "officer"),
        "admin": user_in(
            roles.PLAN_ADMINISTRATORS, "planadmin", first_name="Pat", last_name="Admin"
        ),
        "no role": UserFactory(username="nobody"),
    }


@pytest.fixture
def plan(db):
    """Two themes, three actions: 1.1 overdue (due June 2022, in progress, Amber), 1.2 on
    track, 2.1 complete with evidence."""
    plan = PlanFactory(name="Test Directorate Plan", slug="test-plan")
    partnership = ThemeFactory(plan=plan, name="Working in Partnership", position=1)
    learning = ThemeFactory(plan=plan, name="Learning", position=2)
    lead = LeadFactory(name="Iain Low", job_title="Director of Education")
    overdue = ActionFactory(
        theme=partnership,
        position=1,
        reference="1.1",
        description="Refresh the partnership agreement",
        lead=lead,
        timeframe=TimeframeFactory(label="June 2022"),
    )
    fine = ActionFactory(
        theme=partnership,
        position=2,
        reference="1.2",
        description="Hold termly partnership meetings",
        lead=LeadFactory(name="Róisín Madden", job_title="Head of Service"),
        timeframe=TimeframeFactory(label="March 2023"),
    )
    done = ActionFactory(
        theme=learning,
        position=1,
        reference="2.1",
        description="Publish the school places plan",
        lead=lead,
        timeframe=TimeframeFactory(label="September 2022"),
    )
    with time_machine.travel(datetime(2022, 9, 20, 9, 0, tzinfo=LONDON), tick=False):
        ProgressUpdateFactory(
            action=overdue,
            reported_on=date(2022, 9, 15),
            status=Status.IN_PROGRESS,
            rag="amber",
            working_well="Partners have agreed the draft.",
            worried_about="Health partners have not yet signed.",
            evidence="Draft agreement v3",
        )
        ProgressUpdateFactory(action=fine, reported_on=date(2022, 9, 1), rag="green")
        ProgressUpdateFactory(
            action=done,
            reported_on=date(2022, 9, 10),
            status=Status.COMPLETE,
            rag="",
            evidence="Plan published on the council's website",
            evidence_links="https://example.org/school-places-plan",
        )
    return {"plan": plan, "overdue": overdue, "fine": fine, "done": done, "lead": lead}


# The plan's first quarter, Quarter 1 2022/23, published on 5 July 2022.
FIRST_QUARTER_END = date(2022, 6, 30)
FIRST_PUBLISHED_AT = datetime(2022, 7, 5, 9, 30, tzinfo=LONDON)


@pytest.fixture
def unreferenced(db):
    """A plan whose actions have no references, as the CYPE plan's: two of Iain Low's
    overdue or at risk as at its first quarter end (one with more words than a table cell
    names), one completed in the quarter with no evidence given."""
    plan = PlanFactory(name="Unreferenced Plan", slug="unreferenced-plan")
    theme = ThemeFactory(plan=plan, name="Working in Partnership", position=1)
    lead = LeadFactory(name="Iain Low", job_title="Director of Education")
    overdue = ActionFactory(
        theme=theme,
        position=1,
        reference="",
        description="Refresh the partnership agreement",
        lead=lead,
        timeframe=TimeframeFactory(label="May 2022"),
    )
    at_risk = ActionFactory(
        theme=theme,
        position=2,
        reference="",
        description=(
            "Work with schools, health partners and the voluntary sector to develop a "
            "shared approach to early help for families, with one front door"
        ),
        lead=lead,
        timeframe=TimeframeFactory(label="March 2023"),
    )
    done = ActionFactory(
        theme=theme,
        position=3,
        reference="",
        description="Publish the school places plan",
        lead=LeadFactory(name="Róisín Madden", job_title="Head of Service"),
        timeframe=TimeframeFactory(label="September 2022"),
    )
    with time_machine.travel(datetime(2022, 6, 20, 9, 0, tzinfo=LONDON), tick=False):
        ProgressUpdateFactory(
            action=overdue, reported_on=date(2022, 6, 15), status=Status.IN_PROGRESS, rag="amber"
        )
        ProgressUpdateFactory(
            action=at_risk, reported_on=date(2022, 6, 15), status=Status.IN_PROGRESS, rag="red"
        )
        ProgressUpdateFactory(
            action=done,
            reported_on=date(2022, 6, 10),
            status=Status.COMPLETE,
            rag="",
            evidence="",
            evidence_links="",
        )
    return {"plan": plan, "overdue": overdue, "at_risk": at_risk, "done": done}


def in_first_wording(report):
    """`report` as the migration left a report published before the wording was kept."""
    models.QuerySet.update(QuarterlyReport.objects.filter(pk=report.pk), wording=1)
    return QuarterlyReport.objects.get(pk=report.pk)
