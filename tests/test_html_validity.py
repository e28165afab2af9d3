"""The W3C HTML checker (vnu, from npm's vnu-jar, on Debian's Java) finds no errors on the
main pages, as each role sees them."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from actions import roles
from actions.models import Action, Lead
from tests.factories import UserFactory

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IMPROVEMENT_PLAN = "childrens-continuous-improvement-plan-2021-24"


def person(client, group, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_w3c_checker_finds_no_errors_on_the_main_pages(client, tmp_path):
    if shutil.which("java") is None or not VNU.exists():
        pytest.fail(
            "The HTML check needs Java (apt-get install default-jre-headless) and npm's vnu-jar"
        )
    call_command("loaddata", "childrens_continuous_improvement_plan_2021_24", verbosity=0)
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="5.3")
    lead = Lead.objects.get(initials="RM")
    as_at = {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    pages = {
        "sign-in": (None, reverse("login"), {}),
        "dashboard": (roles.SCRUTINY_MEMBERS, reverse("actions:dashboard"), as_at),
        "overdue": (roles.SCRUTINY_MEMBERS, reverse("actions:overdue"), as_at),
        "at-risk": (roles.SCRUTINY_MEMBERS, reverse("actions:at_risk"), as_at),
        "register": (roles.SCRUTINY_MEMBERS, reverse("actions:register"), {"as_at": "2021-08-01"}),
        "bad-date": (roles.SCRUTINY_MEMBERS, reverse("actions:overdue"), {"as_at": "0001-01-01"}),
        "action": (roles.SCRUTINY_MEMBERS, reverse("actions:detail", args=[action.pk]), {}),
        "theme": (roles.SCRUTINY_MEMBERS, reverse("actions:theme", args=[action.theme_id]), {}),
        "lead": (roles.SCRUTINY_MEMBERS, reverse("actions:lead", args=[lead.pk]), {}),
        "my-actions": (roles.OFFICERS, reverse("actions:my_actions"), {}),
        "record-update": (
            roles.PLAN_ADMINISTRATORS,
            reverse("actions:record_update", args=[action.pk]),
            {},
        ),
        # The preview's form and the publish form on one page.
        "report-draft": (
            roles.PLAN_ADMINISTRATORS,
            reverse("reports:draft"),
            {"plan": IMPROVEMENT_PLAN, "quarter_ends_on": "2021-09-30"},
        ),
    }
    files = []
    for name, (group, path, query) in pages.items():
        client.logout()
        if group:
            person(client, group, f"{name}-reader")
        response = client.get(path, query)
        assert response.status_code == 200, path
        page = tmp_path / f"{name}.html"
        page.write_bytes(response.content)
        files.append(str(page))

    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
    )

    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
