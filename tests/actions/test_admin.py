"""The admin, as the performance team (a plan administrator) uses it."""

import re
from datetime import date, datetime
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from actions.models import RAG, Action, ProgressUpdate, Status, Timeframe
from actions.roles import PLAN_ADMINISTRATORS
from tests.factories import (
    ActionFactory,
    DivisionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    SubStepFactory,
    ThemeFactory,
    TimeframeFactory,
    UserFactory,
)
from tests.html_forms import post_form
from themes.models import Saving

TODAY = date(2022, 10, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(
        datetime(2022, 10, 15, 12, tzinfo=ZoneInfo("Europe/London")), tick=False
    ):
        yield


@pytest.fixture(autouse=True)
def empty_content_type_cache():
    """The admin looks content types up through a process-wide cache: start each test
    with it empty so a page's query count doesn't depend on which tests ran before."""
    ContentType.objects.clear_cache()


@pytest.fixture
def plan_administrator(db):
    user = UserFactory(username="performance", is_staff=True)
    user.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    return user


@pytest.fixture
def plan_admin_client(client, plan_administrator):
    client.force_login(plan_administrator)
    return client


def plan_with(rows):
    """A plan with `rows` of everything, the first of each kind carrying `rows` of what its
    change page lists: the first theme `rows` savings, the first lead `rows` delegates, the
    first action `rows` progress updates, sub-steps and supporting leads."""
    entered_by = UserFactory()
    plan = PlanFactory()
    division = DivisionFactory()
    timeframes = [
        TimeframeFactory(label=label)
        for label in ["March 2023", "Ongoing", "Sept-Nov 2021", "01/04/21 31/07/21 31/10/21"]
    ]
    themes = [ThemeFactory(plan=plan) for _ in range(rows)]
    leads = [LeadFactory(division=division) for _ in range(rows)]
    actions = [
        ActionFactory(theme=theme, lead=lead, timeframe=timeframes[n % len(timeframes)])
        for n, (theme, lead) in enumerate(zip(themes, leads, strict=True))
    ]
    for n, action in enumerate(actions):
        ProgressUpdateFactory(action=action, reported_on=date(2022, 6, 1), entered_by=entered_by)
        SubStepFactory(action=action, timeframe=timeframes[0])
        Saving.objects.create(theme=themes[n], year="2021/22", amount_thousands=Decimal("12.5"))

    first_action, first_lead, first_theme = actions[0], leads[0], themes[0]
    for n in range(1, rows):
        ProgressUpdateFactory(
            action=first_action,
            reported_on=date(2022, 7, 1 + n % 28),
            status=Status.IN_PROGRESS,
            rag=RAG.AMBER,
            worried_about="Recruitment is slow.",
            entered_by=entered_by,
        )
        SubStepFactory(action=first_action, timeframe=timeframes[n % len(timeframes)])
        Saving.objects.create(
            theme=first_theme, year=f"{2022 + n}/{(23 + n) % 100:02}", amount_thousands=n
        )
    first_action.supporting_leads.add(*leads[1:])
    first_lead.delegates.add(*[UserFactory() for _ in range(rows)])
    division.director = first_lead
    division.save()
    return {
        "plan": plan,
        "theme": first_theme,
        "saving": first_theme.savings.first(),
        "division": division,
        "lead": first_lead,
        "timeframe": timeframes[3],
        "action": first_action,
        "substep": first_action.sub_steps.first(),
        "progressupdate": first_action.progress_updates.first(),
    }


MODELS = [
    ("themes", "plan"),
    ("themes", "theme"),
    ("themes", "saving"),
    ("actions", "division"),
    ("actions", "lead"),
    ("actions", "timeframe"),
    ("actions", "action"),
    ("actions", "substep"),
    ("actions", "progressupdate"),
]


# Queries per page for a plan administrator. Every page starts with the same four: the
# session, the user, the user's own permissions and their groups' permissions. "Counts"
# are the two a list makes: rows matching its filters, and rows in all. "Content type"
# is the lookup behind the History button. "As stored" is what a change page reads to
# tell, when it is saved, whether someone else saved meanwhile: a relation's chosen rows
# (many-to-many) and an inline's rows, each one query.
QUERIES = {
    ("themes", "plan", "changelist"): 7,  # + counts, the page with each plan's theme count
    ("themes", "plan", "add"): 5,  # + content type
    # + the plan, its themes (inline), content type, its themes as stored
    ("themes", "plan", "change"): 8,
    ("themes", "theme", "changelist"): 8,  # + plan filter's choices, counts, the page
    ("themes", "theme", "add"): 6,  # + content type, plan choices
    # + the theme, its savings, content type, plans, its savings as stored
    ("themes", "theme", "change"): 9,
    ("themes", "saving", "changelist"): 9,  # + plan filter, counts, the page, year filter
    ("themes", "saving", "add"): 5,  # + content type
    ("themes", "saving", "change"): 7,  # + the saving, content type, its theme's label
    ("actions", "division", "changelist"): 7,  # + counts, the page with directors and counts
    ("actions", "division", "add"): 5,  # + content type
    ("actions", "division", "change"): 7,  # + the division, content type, director's label
    ("actions", "lead", "changelist"): 8,  # + division filter, counts, the page
    ("actions", "lead", "add"): 8,  # + content type, divisions, users (sign-in), users (delegates)
    # as add + the lead and its current delegates, and its delegates as stored
    ("actions", "lead", "change"): 11,
    ("actions", "timeframe", "changelist"): 7,  # + counts, the page
    ("actions", "timeframe", "add"): 5,  # + content type
    # + the timeframe, content type, the actions and the sub-steps it times (its "Used by")
    ("actions", "timeframe", "change"): 8,
    # The action list, 11: the four every page makes; the choices for the plan, theme,
    # lead and division filters (4); the number of actions matching the filters and the
    # number in all (2); and the page of actions, each with its theme, lead, timeframe
    # and its state as at today (latest status, RAG and report date; overdue, at risk,
    # stale) in that one query.
    ("actions", "action", "changelist"): 11,
    ("actions", "action", "add"): 5,  # + content type
    # The action page, 15: the four; the action with its state as at today; its
    # supporting leads; its timeframe's words; its progress updates with who entered
    # them; its sub-steps with theirs; content type; then the labels of the chosen
    # theme, lead and supporting leads (autocompletes); its supporting leads and
    # sub-steps as stored.
    ("actions", "action", "change"): 15,
    ("actions", "substep", "changelist"): 7,  # + counts, the page with actions and timeframes
    ("actions", "substep", "add"): 5,  # + content type
    ("actions", "substep", "change"): 8,  # + the sub-step, content type, action and timeframe
    # + plan filter, counts, the page with actions and authors, date hierarchy (2)
    ("actions", "progressupdate", "changelist"): 10,
    ("actions", "progressupdate", "add"): 5,  # + content type
    ("actions", "progressupdate", "change"): 6,  # + the update with action and author, content type
}


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 60])
@pytest.mark.parametrize(
    "app_label, model",
    sorted({(app_label, model) for app_label, model, _ in QUERIES}),
)
def test_every_admin_page_renders_in_the_same_number_of_queries_however_many_rows(
    plan_admin_client, django_assert_num_queries, rows, app_label, model
):
    objects = plan_with(rows)

    for page in ["changelist", "add", "change"]:
        args = [objects[model].pk] if page == "change" else []
        url = reverse(f"admin:{app_label}_{model}_{page}", args=args)
        ContentType.objects.clear_cache()
        expected = QUERIES[app_label, model, page]
        with django_assert_num_queries(expected, info=f"{url} with {rows} rows"):
            response = plan_admin_client.get(url)
        assert response.status_code == 200, url


def rows_shown(response):
    """The admin list as a person reads it: one {column heading: text} per row."""
    changelist = response.context["cl"]
    html = response.content.decode()
    if 'id="result_list"' not in html:
        assert not changelist.result_list
        return []
    start = html.index('id="result_list"')
    table = html[start : html.index("</table>", start)]
    headers = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r'<th scope="col".*?<div class="text">(.*?)</div>', table, re.S)
    ]
    rows = []
    for row in re.findall(r"<tr>.*?</tr>|<tr class.*?</tr>", table.split("</thead>")[1], re.S):
        cells = [
            unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))
            for cell in re.findall(r"<t[hd][ >].*?</t[hd]>", row, re.S)
        ]
        rows.append(dict(zip(headers, cells, strict=True)))
    assert len(rows) == len(changelist.result_list)
    return rows


@pytest.fixture
def actions_in_every_state(db):
    """As at 15 Oct 2022, for a plan that started 1 Apr 2022 (stale if no update since
    17 Jul; a not-started action due by 14 Nov is at risk)."""
    theme = ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1)))
    july, march, november = (
        TimeframeFactory(label=label) for label in ["July 2022", "March 2023", "November 2022"]
    )

    def action(description, timeframe, *updates):
        made = ActionFactory(theme=theme, description=description, timeframe=timeframe)
        for reported_on, status, rag in updates:
            ProgressUpdateFactory(
                action=made,
                reported_on=reported_on,
                status=status,
                rag=rag,
                worried_about="Recruitment." if rag in (RAG.RED, RAG.AMBER) else "",
                evidence="Minutes." if status == Status.COMPLETE else "",
            )
        return made

    action("Review the front door", july, (date(2022, 10, 1), Status.IN_PROGRESS, RAG.GREEN))
    action("Publish the strategy", march, (date(2022, 10, 1), Status.IN_PROGRESS, RAG.AMBER))
    action("Agree data sharing", march, (date(2022, 6, 1), Status.IN_PROGRESS, RAG.GREEN))
    action("Open the family hub", july, (date(2022, 8, 1), Status.COMPLETE, RAG.GREEN))
    action("Recruit social workers", november)
    # Reported after the as-at date, so it doesn't count yet.
    action(
        "Extend the SEND model",
        march,
        (date(2022, 10, 1), Status.IN_PROGRESS, RAG.GREEN),
        (date(2022, 10, 20), Status.ON_HOLD, RAG.RED),
    )


def actions_listed(client, **filters):
    response = client.get(reverse("admin:actions_action_changelist"), filters)
    assert response.status_code == 200
    return {row["Action"] for row in rows_shown(response)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"overdue": "yes"}, {"Review the front door"}),
        (
            {"overdue": "no"},
            {
                "Publish the strategy",
                "Agree data sharing",
                "Open the family hub",
                "Recruit social workers",
                "Extend the SEND model",
            },
        ),
        (
            {"at_risk": "yes"},
            {"Publish the strategy", "Agree data sharing", "Recruit social workers"},
        ),
        ({"stale": "yes"}, {"Agree data sharing", "Recruit social workers"}),
        ({"status": Status.COMPLETE}, {"Open the family hub"}),
        ({"status": Status.NOT_STARTED}, {"Recruit social workers"}),
        ({"status": Status.ON_HOLD}, set()),
        ({"rag": RAG.AMBER}, {"Publish the strategy"}),
        ({"rag": RAG.RED}, set()),
        # A complete action shows as complete, not as a colour.
        (
            {"rag": RAG.GREEN},
            {"Review the front door", "Agree data sharing", "Extend the SEND model"},
        ),
        ({"at_risk": "yes", "overdue": "yes"}, set()),
    ],
)
def test_action_list_filters_show_the_actions_in_that_state_as_at_today(
    plan_admin_client, actions_in_every_state, filters, expected
):
    assert actions_listed(plan_admin_client, **filters) == expected


@pytest.mark.django_db
def test_action_list_shows_due_date_latest_status_rag_with_its_date_and_flags_in_words(
    plan_admin_client, actions_in_every_state
):
    response = plan_admin_client.get(reverse("admin:actions_action_changelist"))

    rows = {row["Action"]: row for row in rows_shown(response)}
    assert "as at 15 Oct 2022" in response.content.decode()
    front_door = rows["Review the front door"]
    assert front_door["Due"] == "31 Jul 2022"
    assert front_door["Latest status"] == "In progress"
    assert front_door["RAG (date)"] == "Green (1 Oct 2022)"
    assert (front_door["Overdue"], front_door["At risk"], front_door["Stale"]) == (
        "Yes",
        "No",
        "No",
    )
    assert rows["Publish the strategy"]["RAG (date)"] == "Amber (1 Oct 2022)"
    assert rows["Open the family hub"]["RAG (date)"] == "Complete (1 Aug 2022)"
    assert rows["Open the family hub"]["Latest status"] == "Complete"
    assert rows["Recruit social workers"]["RAG (date)"] == "No update yet"
    assert rows["Recruit social workers"]["Latest status"] == "Not started"
    assert rows["Extend the SEND model"]["RAG (date)"] == "Green (1 Oct 2022)"
    stale = rows["Agree data sharing"]
    assert (stale["Overdue"], stale["At risk"], stale["Stale"]) == ("No", "Yes", "Yes")


@pytest.mark.django_db
def test_action_search_finds_actions_by_their_leads_initials(plan_admin_client):
    ActionFactory(description="Review the front door", lead=LeadFactory(initials="RM"))
    ActionFactory(description="Publish the strategy", lead=LeadFactory(initials="SD"))

    assert actions_listed(plan_admin_client, q="RM") == {"Review the front door"}


@pytest.mark.django_db
def test_action_page_shows_its_progress_history_newest_first_read_only_with_a_link_to_add(
    plan_admin_client, plan_administrator
):
    action = ActionFactory()
    ProgressUpdateFactory(action=action, reported_on=date(2022, 6, 1), working_well="First.")
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2022, 9, 1),
        working_well="Second.",
        entered_by=plan_administrator,
    )

    response = plan_admin_client.get(reverse("admin:actions_action_change", args=[action.pk]))

    html = response.content.decode()
    assert html.index("Second.") < html.index("First.")
    assert "performance" in html  # who entered it
    history = response.context["inline_admin_formsets"][1]
    assert history.opts.model is ProgressUpdate
    assert not history.has_add_permission
    assert not history.has_change_permission
    assert not history.has_delete_permission
    add_url = reverse("admin:actions_progressupdate_add")
    assert f'href="{add_url}?action={action.pk}"' in html


@pytest.mark.django_db
def test_timeframe_with_a_date_that_does_not_exist_shows_the_error_quoting_the_label(
    plan_admin_client,
):
    response = plan_admin_client.post(
        reverse("admin:actions_timeframe_add"), {"label": "31/09/21", "_save": "Save"}
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["label"]
    assert any("31/09/21" in error for error in errors)
    assert "31/09/21" in response.content.decode()
    assert not Timeframe.objects.exists()


@pytest.mark.django_db
def test_timeframe_saved_in_the_admin_gets_its_dates_from_the_label(plan_admin_client):
    response = plan_admin_client.post(
        reverse("admin:actions_timeframe_add"), {"label": "Sept-Nov 2021", "_save": "Save"}
    )

    assert response.status_code == 302
    timeframe = Timeframe.objects.get(label="Sept-Nov 2021")
    assert timeframe.due_on == date(2021, 11, 30)
    listed = rows_shown(plan_admin_client.get(reverse("admin:actions_timeframe_changelist")))
    assert listed == [
        {
            "": "",
            "Label": "Sept-Nov 2021",
            "Starts on": "1 Sep 2021",
            "Due on": "30 Nov 2021",
            "Milestones": "-",
            "Ongoing": "No",
            "Qualifier": "-",
        }
    ]
    change = plan_admin_client.get(reverse("admin:actions_timeframe_change", args=[timeframe.pk]))
    form = change.context["adminform"].form
    # The dates are shown, not edited; "move all" is the confirmation a shared one asks.
    assert list(form.fields) == ["label", "move_all"]
    assert "30 Nov 2021" in change.content.decode()


@pytest.mark.django_db
def test_admin_history_shows_who_changed_a_timeframe(plan_admin_client):
    plan_admin_client.post(
        reverse("admin:actions_timeframe_add"), {"label": "March 2023", "_save": "Save"}
    )
    timeframe = Timeframe.objects.get()

    response = plan_admin_client.get(
        reverse("admin:actions_timeframe_history", args=[timeframe.pk])
    )

    assert response.status_code == 200
    assert "performance" in response.content.decode()


@pytest.fixture
def action(db):
    return ActionFactory(theme=ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1))))


def update_form(action, **fields):
    return {
        "action": action.pk,
        "reported_on": "2022-10-01",
        "status": Status.IN_PROGRESS,
        "rag": RAG.GREEN,
        "working_well": "Board re-established.",
        "worried_about": "",
        "evidence": "",
        "evidence_links": "",
        "rag_change_reason": "",
        "_save": "Save",
        **fields,
    }


@pytest.mark.django_db
def test_adding_a_progress_update_in_the_admin_records_who_entered_it(
    plan_admin_client, plan_administrator, action
):
    response = plan_admin_client.post(
        reverse("admin:actions_progressupdate_add"), update_form(action)
    )

    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.action == action
    assert update.entered_by == plan_administrator
    assert update.reported_on == date(2022, 10, 1)
    assert update.working_well == "Board re-established."


@pytest.mark.django_db
def test_revised_due_date_added_in_the_admin_is_kept_with_its_reason(plan_admin_client, action):
    response = plan_admin_client.post(
        reverse("admin:actions_progressupdate_add"),
        update_form(
            action,
            revised_due_on="2022-10-10",
            revised_due_reason="The partner agency asked for more time.",
        ),
    )

    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.revised_due_on == date(2022, 10, 10)
    assert update.revised_due_reason == "The partner agency asked for more time."
    listed = plan_admin_client.get(reverse("admin:actions_action_changelist")).content.decode()
    assert "10 Oct 2022 (revised; the plan said 31 Mar 2023)" in unescape(listed)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "description, stop",
    [("Agree the protocol", "."), ("Agree the protocol with schools.", "")],
)
def test_the_same_progress_update_form_sent_twice_records_one_update(
    plan_admin_client, action, description, stop
):
    # A description ending with its own full stop has no second one after the quote.
    Action.objects.filter(pk=action.pk).update(description=description)
    action.refresh_from_db()
    url = reverse("admin:actions_progressupdate_add")
    form = post_form(plan_admin_client.get(url, {"action": action.pk}).content.decode())
    form.update(update_form(action))

    first = plan_admin_client.post(url, form)
    again = plan_admin_client.post(url, form)

    assert first.status_code == 302
    assert ProgressUpdate.objects.count() == 1
    assert again.status_code == 200
    assert (
        "This form has already been saved: the update “In progress on 1 Oct 2022” is in the "
        f"progress history of “{action}”{stop} To record another update, start a new form."
        in unescape(again.content.decode())
    )


def opened_update_form(client, action, **fields):
    """The admin's add-update page as opened (with a new key) and filled in."""
    url = reverse("admin:actions_progressupdate_add")
    form = post_form(client.get(url, {"action": action.pk}).content.decode())
    return url, {**form, **update_form(action, **fields)}


@pytest.mark.django_db
def test_back_after_adding_an_update_and_save_again_is_refused_naming_the_update(
    plan_admin_client, action
):
    # Back opens the page afresh, under a new key, with what was typed restored; a
    # browser sends each line break in a box as CR LF.
    typed = {"worried_about": "Staffing.\r\nFunding."}
    url, first = opened_update_form(plan_admin_client, action, **typed)
    _, again = opened_update_form(plan_admin_client, action, **typed)
    assert again["form_key"] != first["form_key"]
    assert plan_admin_client.post(url, first).status_code == 302

    refused = plan_admin_client.post(url, again)

    update = ProgressUpdate.objects.get()
    page = unescape(refused.content.decode())
    change_url = reverse("admin:actions_progressupdate_change", args=[update.pk])
    assert refused.status_code == 200
    assert (
        f"You added this update to “{action}” already: "
        f'“<a href="{change_url}">In progress on 1 Oct 2022</a>”, entered at 12:00 on '
        "15 October 2022. Nothing new has been saved."
    ) in page
    assert '<input type="checkbox" name="record_again"' in page
    assert (
        '<label class="vCheckboxLabel" for="id_record_again">Record it again anyway</label>' in page
    )


@pytest.mark.django_db
def test_ticking_record_it_again_anyway_records_a_second_update(plan_admin_client, action):
    url, first = opened_update_form(plan_admin_client, action)
    _, again = opened_update_form(plan_admin_client, action)
    plan_admin_client.post(url, first)
    refused = plan_admin_client.post(url, again)

    resent = plan_admin_client.post(
        url, {**post_form(refused.content.decode()), "_save": "Save", "record_again": "on"}
    )

    assert resent.status_code == 302
    assert ProgressUpdate.objects.filter(action=action).count() == 2


@pytest.mark.django_db
def test_an_update_saying_something_else_on_the_same_action_is_recorded(plan_admin_client, action):
    url, first = opened_update_form(plan_admin_client, action)
    _, other = opened_update_form(plan_admin_client, action, working_well="Board meets monthly.")
    plan_admin_client.post(url, first)

    assert plan_admin_client.post(url, other).status_code == 302
    assert ProgressUpdate.objects.filter(action=action).count() == 2


@pytest.mark.django_db
def test_the_same_update_added_by_someone_else_is_recorded(plan_admin_client, action):
    url, first = opened_update_form(plan_admin_client, action)
    plan_admin_client.post(url, first)
    colleague = UserFactory(username="colleague", is_staff=True)
    colleague.groups.add(Group.objects.get(name=PLAN_ADMINISTRATORS))
    theirs_browser = Client()
    theirs_browser.force_login(colleague)
    _, theirs = opened_update_form(theirs_browser, action)

    assert theirs_browser.post(url, theirs).status_code == 302
    assert ProgressUpdate.objects.filter(action=action).count() == 2


@pytest.mark.django_db
def test_add_progress_update_link_starts_the_form_on_that_action_today(plan_admin_client, action):
    response = plan_admin_client.get(
        reverse("admin:actions_progressupdate_add"), {"action": action.pk}
    )

    form = response.context["adminform"].form
    assert form.initial["action"] == str(action.pk)
    assert form.initial["reported_on"] == TODAY


@pytest.mark.django_db
def test_complete_update_without_evidence_shows_the_error_on_evidence_and_saves_nothing(
    plan_admin_client, action
):
    response = plan_admin_client.post(
        reverse("admin:actions_progressupdate_add"),
        update_form(action, status=Status.COMPLETE, rag=""),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["evidence"]
    assert "needs evidence" in errors["evidence"][0]
    assert not ProgressUpdate.objects.exists()


@pytest.fixture
def update(action):
    return ProgressUpdateFactory(action=action, reported_on=date(2022, 6, 1))


@pytest.mark.django_db
def test_plan_administrator_sees_a_progress_update_read_only(plan_admin_client, update):
    response = plan_admin_client.get(
        reverse("admin:actions_progressupdate_change", args=[update.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert "<textarea" not in html
    assert "Work is under way." in html


@pytest.mark.django_db
def test_plan_administrator_cannot_change_a_progress_update(plan_admin_client, update, action):
    response = plan_admin_client.post(
        reverse("admin:actions_progressupdate_change", args=[update.pk]),
        update_form(action, working_well="Rewritten."),
    )

    assert response.status_code == 403
    update.refresh_from_db()
    assert update.working_well == "Work is under way."


@pytest.mark.django_db
def test_plan_administrator_cannot_delete_a_progress_update(plan_admin_client, update):
    url = reverse("admin:actions_progressupdate_delete", args=[update.pk])

    assert plan_admin_client.get(url).status_code == 403
    assert plan_admin_client.post(url, {"post": "yes"}).status_code == 403
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


@pytest.mark.django_db
def test_plan_administrator_is_not_offered_bulk_delete_of_progress_updates(
    plan_admin_client, update
):
    changelist = reverse("admin:actions_progressupdate_changelist")
    response = plan_admin_client.get(changelist)

    assert "delete_selected" not in response.content.decode()
    response = plan_admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes"}
    )
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


@pytest.mark.django_db
def test_superuser_can_correct_and_delete_a_progress_update(admin_client, update, action):
    change = reverse("admin:actions_progressupdate_change", args=[update.pk])
    assert 'name="_save"' in admin_client.get(change).content.decode()

    response = admin_client.post(
        change,
        update_form(action, reported_on="2022-06-01", working_well="Corrected.")
        | {"progress_as_written": ""},
    )

    assert response.status_code == 302
    update.refresh_from_db()
    assert update.working_well == "Corrected."
    delete = reverse("admin:actions_progressupdate_delete", args=[update.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ProgressUpdate.objects.exists()


@pytest.mark.django_db
def test_an_update_a_superuser_moves_to_the_right_action_leaves_the_wrong_one_as_it_was(
    admin_client, update, action
):
    right = ActionFactory(theme=action.theme)
    change = reverse("admin:actions_progressupdate_change", args=[update.pk])

    response = admin_client.post(
        change,
        update_form(right, reported_on="2022-06-01") | {"progress_as_written": ""},
    )

    assert response.status_code == 302
    states = Action.objects.with_state(TODAY).in_bulk([action.pk, right.pk])
    wrong, moved = states[action.pk], states[right.pk]
    assert (wrong.latest_status, wrong.latest_reported_on) == (Status.NOT_STARTED, None)
    assert (moved.latest_status, moved.latest_reported_on) == (
        Status.IN_PROGRESS,
        date(2022, 6, 1),
    )


@pytest.mark.django_db
def test_plan_administrator_edits_an_action_and_adds_a_sub_step_with_its_own_timeframe(
    plan_admin_client, action
):
    july = TimeframeFactory(label="July 2022")
    management = {
        f"{prefix}-{name}": value
        for prefix in ["sub_steps", "progress_updates"]
        for name, value in [("INITIAL_FORMS", 0), ("MIN_NUM_FORMS", 0), ("MAX_NUM_FORMS", 1000)]
    }

    response = plan_admin_client.post(
        reverse("admin:actions_action_change", args=[action.pk]),
        {
            "theme": action.theme_id,
            "position": action.position,
            "reference": "1.2",
            "description": "Re-establish the partnership board",
            "expected_outcome": "",
            "lead": action.lead_id,
            "timeframe_label": action.timeframe.label,
            "answers": "",
            "delivered_through": "",
            "performance_measures": "",
            **management,
            "sub_steps-TOTAL_FORMS": 1,
            "sub_steps-0-position": 1,
            "sub_steps-0-description": "Agree terms of reference",
            "sub_steps-0-timeframe_label": "July 2022",
            "progress_updates-TOTAL_FORMS": 0,
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.reference == "1.2"
    sub_step = action.sub_steps.get()
    assert (sub_step.description, sub_step.timeframe) == ("Agree terms of reference", july)
    assert action.history.first().history_user.username == "performance"


def action_form(action, **fields):
    """The action's admin page as posted, with no sub-steps."""
    management = {
        f"{prefix}-{name}": value
        for prefix in ["sub_steps", "progress_updates"]
        for name, value in [
            ("TOTAL_FORMS", 0),
            ("INITIAL_FORMS", 0),
            ("MIN_NUM_FORMS", 0),
            ("MAX_NUM_FORMS", 1000),
        ]
    }
    return {
        "theme": action.theme_id,
        "position": action.position,
        "reference": action.reference,
        "description": action.description,
        "expected_outcome": "",
        "lead": action.lead_id,
        "timeframe_label": action.timeframe.label,
        "answers": "",
        "delivered_through": "",
        "performance_measures": "",
        **management,
        "_save": "Save",
        **fields,
    }


@pytest.mark.django_db
def test_an_action_with_progress_cannot_move_to_another_plans_theme(plan_admin_client, update):
    action = update.action
    action.theme.plan.name = "Children's Continuous Improvement Plan 2021-24"
    action.theme.plan.save()
    elsewhere = ThemeFactory(plan=PlanFactory(name="CYPE Directorate Plan 2022-24"))

    response = plan_admin_client.post(
        reverse("admin:actions_action_change", args=[action.pk]),
        action_form(action, theme=elsewhere.pk),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["theme"] == [
        "This action has progress recorded in the Children's Continuous Improvement Plan "
        "2021-24, so it stays in that plan: choose one of that plan’s themes. If the work "
        "carries on in the CYPE Directorate Plan 2022-24, close the action with an update "
        "and add it there as a new action."
    ]
    action.refresh_from_db()
    assert action.theme.plan.name == "Children's Continuous Improvement Plan 2021-24"


@pytest.mark.django_db
@pytest.mark.parametrize("updated", [False, True])
def test_an_action_moves_to_another_theme_of_its_plan_or_if_never_updated_another_plan(
    plan_admin_client, action, updated
):
    if updated:
        ProgressUpdateFactory(action=action, reported_on=date(2022, 6, 1))
        theme = ThemeFactory(plan=action.theme.plan)
    else:
        theme = ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1)))

    response = plan_admin_client.post(
        reverse("admin:actions_action_change", args=[action.pk]),
        action_form(action, theme=theme.pk),
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.theme == theme


@pytest.mark.django_db
@pytest.mark.parametrize("search", ["Crichlow", "KC", "Director of Quality"])
def test_lead_search_finds_a_lead_by_name_initials_or_job_title(plan_admin_client, search):
    LeadFactory(name="Kerry Crichlow", initials="KC", job_title="Director of Quality")
    LeadFactory(name="Shelley Davies", initials="SD", job_title="Director of Education")

    response = plan_admin_client.get(reverse("admin:actions_lead_changelist"), {"q": search})

    assert [row["Lead"] for row in rows_shown(response)] == ["Kerry Crichlow (KC)"]


@pytest.mark.django_db
def test_an_account_another_lead_signs_in_with_is_refused_naming_that_lead(plan_admin_client):
    from actions.roles import OFFICERS

    account = UserFactory(username="kcrichlow")
    account.groups.add(Group.objects.get(name=OFFICERS))
    LeadFactory(name="Kerry Crichlow", initials="KC", user=account)
    other = LeadFactory(name="Shelley Davies", initials="")
    url = reverse("admin:actions_lead_change", args=[other.pk])
    form = post_form(plan_admin_client.get(url).content.decode())

    response = plan_admin_client.post(url, {**form, "user": account.pk, "_save": "Save"})

    assert response.context["adminform"].form.errors["user"] == [
        "The account kcrichlow already signs in as Kerry Crichlow (KC): each account is one "
        "person. Choose another account, or first take it off Kerry Crichlow (KC)."
    ]
    other.refresh_from_db()
    assert other.user is None


@pytest.mark.django_db
def test_only_someone_who_may_record_progress_is_added_as_a_delegate_in_the_admin(
    plan_admin_client,
):
    from actions.roles import OFFICERS, SCRUTINY_MEMBERS

    councillor = UserFactory(username="cllr", first_name="Pat", last_name="Member")
    councillor.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
    officer = UserFactory(username="deputy")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    lead = LeadFactory(name="Kerry Crichlow")
    url = reverse("admin:actions_lead_change", args=[lead.pk])
    form = post_form(plan_admin_client.get(url).content.decode())

    refused = plan_admin_client.post(
        url, {**form, "delegates": [councillor.pk, officer.pk], "_save": "Save"}
    )
    added = plan_admin_client.post(url, {**form, "delegates": [officer.pk], "_save": "Save"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["delegates"] == [
        "Can’t be a delegate: Pat Member. A delegate records progress for this lead, so must "
        "be an officer or plan administrator who can sign in, and not the lead."
    ]
    assert added.status_code == 302
    assert list(lead.delegates.all()) == [officer]


@pytest.mark.django_db
def test_a_leads_account_is_chosen_from_those_who_may_record_progress(plan_admin_client):
    from actions.roles import OFFICERS, SCRUTINY_MEMBERS

    councillor = UserFactory(username="cllr-pat")
    councillor.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
    closed = UserFactory(username="left-in-2023", is_active=False)
    closed.groups.add(Group.objects.get(name=OFFICERS))
    officer = UserFactory(username="kerry-c")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    lead = LeadFactory(name="Kerry Crichlow")
    url = reverse("admin:actions_lead_change", args=[lead.pk])

    page = plan_admin_client.get(url)
    offered = [person.username for person in page.context["adminform"].form.fields["user"].queryset]
    refused = plan_admin_client.post(
        url, {**post_form(page.content.decode()), "user": councillor.pk, "_save": "Save"}
    )

    assert "kerry-c" in offered
    assert "cllr-pat" not in offered and "left-in-2023" not in offered
    assert "Account they sign in with" in page.content.decode()
    assert refused.status_code == 200 and "user" in refused.context["adminform"].form.errors
    lead.refresh_from_db()
    assert lead.user is None


def changed_times(changes):
    """An action and a lead, each changed `changes` times, every change also moving one of
    its many-to-many rows (adding a supporting lead, a delegate): 2 × `changes` + 1 history
    rows."""
    action = ActionFactory()
    lead = LeadFactory()
    for n in range(changes):
        action.description = f"Change {n}"
        action.save()
        action.supporting_leads.add(LeadFactory())
        lead.job_title = f"Job {n}"
        lead.save()
        lead.delegates.add(UserFactory())
    return {"action": action, "lead": lead}


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [1, 15])
@pytest.mark.parametrize("model", ["action", "lead"])
def test_history_page_renders_in_the_same_number_of_queries_however_many_changes(
    plan_admin_client, django_assert_num_queries, changes, model
):
    changed = changed_times(changes)[model]
    url = reverse(f"admin:actions_{model}_history", args=[changed.pk])
    # The four every page makes; the object; the count for paging; the page of history
    # rows with who made them and the rows they point to; those records' many-to-many rows
    # (supporting leads or delegates) with what they name; content type (of users).
    with django_assert_num_queries(9, info=f"{url} after {changes} changes"):
        response = plan_admin_client.get(url)
    # Every change to those rows is still named on the page.
    field = "Supporting leads" if model == "action" else "Delegates"
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())
    assert text.count(f"{field}: [") == changes


def deletion_summary(client, model, objects):
    """The "Delete selected" confirmation page for `objects`, as text."""
    response = client.post(
        reverse(f"admin:actions_{model}_changelist"),
        {"action": "delete_selected", "_selected_action": [each.pk for each in objects]},
    )
    assert response.status_code == 200
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


@pytest.mark.django_db
def test_deleting_selected_actions_names_their_supporting_leads_in_words(admin_client):
    actions = [ActionFactory(), ActionFactory()]
    actions[0].supporting_leads.add(LeadFactory(name="Ada Brook"), LeadFactory(name="Cy Dale"))
    actions[1].supporting_leads.add(LeadFactory(name="Eve Ford"))

    text = deletion_summary(admin_client, "action", actions)

    assert "object (" not in text
    for name in ["Ada Brook", "Cy Dale", "Eve Ford"]:
        assert f"Supporting lead: {name}" in text
    assert "Supporting leads: 3" in text


@pytest.mark.django_db
def test_deleting_selected_leads_names_their_delegates_in_words(admin_client):
    leads = [LeadFactory(), LeadFactory()]
    leads[0].delegates.add(UserFactory(username="abrook"))
    leads[1].delegates.add(UserFactory(username="cdale"))

    text = deletion_summary(admin_client, "lead", leads)

    assert "object (" not in text
    for name in ["abrook", "cdale"]:
        assert f"Delegate: {name}" in text
    assert "Delegates: 2" in text
