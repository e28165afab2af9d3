"""Who may see and do what, page by page, generated from the URL configuration: a page
added to urls.py is checked here without anyone remembering to add it (the test fails
until it has sample arguments and, if it is not a plain read page, its expected access).
"""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.urls import URLResolver, get_resolver, reverse

from actions import roles
from actions.models import ProgressUpdate
from imports.models import PlanImport
from reports.services import quarterly_report_publish
from scrutiny.models import Item, Meeting, Response, StateChange
from tests.factories import (
    ActionFactory,
    ItemFactory,
    LeadFactory,
    ProgressUpdateFactory,
    SubStepFactory,
    UserFactory,
)

# The admin, and signing in and out, are tested on their own.
NOT_HERE = {"admin", "login", "logout"}

# What each role gets on GET, for pages that are not plain read pages.
# "clerk" is a scrutiny officer (democratic services).
READ_PAGE = {
    "anonymous": "sign in",
    "no role": 403,
    "scrutiny": 200,
    "officer": 200,
    "admin": 200,
    "clerk": 200,
}
# Recording meetings and items: scrutiny officers, and plan administrators.
SCRUTINY_RECORDING = {**READ_PAGE, "scrutiny": 403, "officer": 403}
SPECIAL_ACCESS = {
    # For officers and the people they delegate to; scrutiny members never.
    "actions:my_actions": {**READ_PAGE, "scrutiny": 403, "clerk": 403},
    # The sample action is led by someone else: the officer may not update it.
    "actions:record_update": {**READ_PAGE, "scrutiny": 403, "officer": 403, "clerk": 403},
    "scrutiny:meeting_add": SCRUTINY_RECORDING,
    "scrutiny:item_add": SCRUTINY_RECORDING,
    # The sample item is owed by someone else: the officer may not answer it; a plan
    # administrator may answer any item.
    "scrutiny:item_answer": {**READ_PAGE, "scrutiny": 403, "officer": 403, "clerk": 403},
    # Only scrutiny officers record the committee's decisions.
    "scrutiny:item_decide": {**READ_PAGE, "scrutiny": 403, "officer": 403, "admin": 403},
    # The health check, for load balancers and monitors: open to all, no session needed.
    "healthz": dict.fromkeys(READ_PAGE, 200),
    # Changes delegates: POST only.
    "actions:lead_delegates": dict.fromkeys(READ_PAGE, 405),
    # Plan administrators preview draft reports; nobody else.
    "reports:draft": {**READ_PAGE, "scrutiny": 403, "officer": 403, "clerk": 403},
    # Publishing: POST only (tests/reports/test_pages.py posts to it per role).
    "reports:publish": dict.fromkeys(READ_PAGE, 405),
    # Trying to make a report's files again: POST only
    # (tests/reports/test_documents_at_scale.py posts to it).
    "reports:documents_try_again": dict.fromkeys(READ_PAGE, 405),
}
# Plan administrators' pages: importing plans, data quality, confirming dates.
ADMINISTRATORS_ONLY = {**READ_PAGE, "scrutiny": 403, "officer": 403, "clerk": 403}
SPECIAL_ACCESS.update(
    {
        "imports:start": ADMINISTRATORS_ONLY,
        "imports:template": ADMINISTRATORS_ONLY,
        "imports:plan_download": ADMINISTRATORS_ONLY,
        "imports:preview": ADMINISTRATORS_ONLY,
        # Abandoning an import: POST only.
        "imports:abandon": {**ADMINISTRATORS_ONLY, "admin": 405},
        "imports:data_quality": ADMINISTRATORS_ONLY,
        # The sample action's date reads as written: nothing to confirm, so back to it.
        "imports:confirm_date": {**ADMINISTRATORS_ONLY, "admin": 302},
        "imports:confirm_step_date": {**ADMINISTRATORS_ONLY, "admin": 302},
        "imports:plan_updates_download": ADMINISTRATORS_ONLY,
        # Updates by spreadsheet: for people who record progress.
        "imports:my_updates_download": {**READ_PAGE, "scrutiny": 403, "clerk": 403},
        "imports:updates_upload": {**READ_PAGE, "scrutiny": 403, "clerk": 403},
        # The sample upload is the officer's own.
        "imports:updates_preview": {**READ_PAGE, "scrutiny": 403, "clerk": 403},
    }
)


def app_pages(resolver=None, prefix=""):
    """(name, pattern) for every named URL of the app, outside the admin."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from app_pages(pattern, namespace)
        elif pattern.name and pattern.name not in NOT_HERE:
            yield f"{prefix}{pattern.name}", pattern


PAGES = sorted(name for name, _ in app_pages())


@pytest.fixture
def world(db):
    action = ActionFactory()
    ProgressUpdateFactory(action=action)
    users = {"no role": UserFactory(username="nobody")}
    for role, group in [
        ("scrutiny", roles.SCRUTINY_MEMBERS),
        ("officer", roles.OFFICERS),
        ("admin", roles.PLAN_ADMINISTRATORS),
        ("clerk", roles.SCRUTINY_OFFICERS),
    ]:
        user = UserFactory(username=role, is_staff=group in roles.STAFF_GROUPS)
        user.groups.add(Group.objects.get(name=group))
        users[role] = user
    # The officer leads an action of their own, so officer-only pages have something to show.
    LeadFactory(user=users["officer"])
    # An item members raised about the action, owed by its lead (not the officer).
    item = ItemFactory(answerer=action.lead, actions=[action])
    plan_import = PlanImport.objects.create(
        file_name="plan.xlsx", file_size=1, uploaded_by=users["admin"], preview={}
    )
    updates_import = PlanImport.objects.create(
        kind=PlanImport.UPDATES,
        file_name="mine.xlsx",
        file_size=1,
        uploaded_by=users["officer"],
        preview={"updates": []},
    )
    return {
        "action": action,
        "sub_step": SubStepFactory(action=action),
        "item": item,
        "users": users,
        "plan_import": plan_import,
        "updates_import": updates_import,
        "report": quarterly_report_publish(
            plan=action.theme.plan, quarter_ends_on=date(2022, 9, 30)
        ),
    }


def url_for(name, world):
    """The page's URL with arguments that exist in the test's world."""
    samples = {
        "actions:detail": [world["action"].pk],
        "actions:lead": [world["action"].lead_id],
        "actions:theme": [world["action"].theme_id],
        "actions:record_update": [world["action"].pk],
        "actions:lead_delegates": [world["action"].lead_id],
        "scrutiny:meeting": [world["item"].meeting_id],
        "scrutiny:meeting_action_list_document": [world["item"].meeting_id],
        "scrutiny:item_add": [world["item"].meeting_id],
        "scrutiny:item": [world["item"].pk],
        "scrutiny:item_answer": [world["item"].pk],
        "scrutiny:item_decide": [world["item"].pk],
        "imports:plan_download": [world["action"].theme.plan.slug],
        "imports:preview": [world["plan_import"].key],
        "imports:abandon": [world["plan_import"].key],
        "imports:confirm_date": [world["action"].pk],
        "imports:confirm_step_date": [world["sub_step"].pk],
        "imports:plan_updates_download": [world["action"].theme.plan.slug],
        "imports:updates_preview": [world["updates_import"].key],
        "reports:detail": [world["report"].pk],
        "reports:docx": [world["report"].pk],
        "reports:pdf": [world["report"].pk],
        "reports:print_css": [world["report"].pk],
        "reports:documents_try_again": [world["report"].pk],
    }
    pattern = dict(app_pages())[name]
    if pattern.pattern.converters:
        assert name in samples, f"Add sample arguments for the new page {name!r} to url_for()"
        return reverse(name, args=samples[name])
    return reverse(name)


def test_every_app_page_is_covered():
    assert PAGES, "No pages found: is the URL configuration loaded?"
    assert set(SPECIAL_ACCESS) <= set(PAGES)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", list(READ_PAGE))
def test_page_access_for_every_role(client, world, name, role):
    expected = SPECIAL_ACCESS.get(name, READ_PAGE)[role]
    url = url_for(name, world)
    if role != "anonymous":
        client.force_login(world["users"][role])

    response = client.get(url)

    if expected == "sign in":
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={url}"
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_scrutiny_members_cannot_change_anything_on_any_page(client, world, name, method):
    client.force_login(world["users"]["scrutiny"])
    before = everything_recorded()

    response = getattr(client, method)(url_for(name, world), A_VALID_POST_FOR_ANY_FORM)

    assert response.status_code in {403, 405}
    assert everything_recorded() == before


# Valid for every form a page posts (an update, a meeting, an item, an answer, a decision).
A_VALID_POST_FOR_ANY_FORM = {
    "status": "complete",
    "rag": "green",
    "evidence": "x",
    "reported_on": "2022-06-01",
    "committee": "A committee",
    "held_on_day": "1",
    "held_on_month": "6",
    "held_on_year": "2022",
    "kind": "action",
    "words": "Sneaked in",
    "answerer_as_minuted": "Officers",
    "text": "An answer",
    "considers_answered": "yes",
    "decision": "withdrawn",
    "reason": "Not needed",
}


def everything_recorded():
    return [
        list(model.objects.order_by("pk").values())
        for model in (ProgressUpdate, Meeting, Item, Response, StateChange)
    ]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_cannot_post_to_any_page(client, world, name):
    before = everything_recorded()

    response = client.post(url_for(name, world), A_VALID_POST_FOR_ANY_FORM)

    assert response.status_code in {302, 403, 405}
    assert everything_recorded() == before


def test_a_refused_page_says_why_in_plain_words(client, world):
    client.force_login(world["users"]["scrutiny"])

    response = client.get(reverse("actions:record_update", args=[world["action"].pk]))

    assert response.status_code == 403
    assert "You do not have permission to do that" in response.content.decode()
    assert "Scrutiny members can read every page but change nothing." in response.content.decode()


def test_a_missing_page_says_so_in_plain_words(client, world):
    client.force_login(world["users"]["officer"])

    response = client.get(reverse("actions:detail", args=[999999]))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_my_actions_is_offered_only_to_people_who_record_progress(client, world):
    for role, offered in [
        ("scrutiny", False),
        ("officer", True),
        ("admin", True),
        ("clerk", False),
    ]:
        client.force_login(world["users"][role])
        html = client.get(reverse("actions:dashboard")).content.decode()
        assert (f'href="{reverse("actions:my_actions")}' in html) is offered, role
