"""Officers record progress in the browser: who may, the rules they meet, and that nothing
is lost."""

import re
from datetime import date

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse

from actions import roles
from actions.models import RAG, ProgressUpdate, Status
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)

TODAY = date(2023, 5, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2023, 5, 15), tick=False):
        yield


def user_in(group, username, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people(db):
    """Everyone who might try to update the action, by their relation to it."""
    people = {
        "accountable lead": user_in(roles.OFFICERS, "accountable"),
        "supporting lead": user_in(roles.OFFICERS, "supporting"),
        "delegate": user_in(roles.OFFICERS, "delegate"),
        "supporting lead's delegate": user_in(roles.OFFICERS, "supportdelegate"),
        "another officer": user_in(roles.OFFICERS, "another"),
        "scrutiny member": user_in(roles.SCRUTINY_MEMBERS, "councillor"),
        "administrator": user_in(roles.PLAN_ADMINISTRATORS, "admin", is_staff=True),
        "no role": UserFactory(username="nobody"),
    }
    lead = LeadFactory(name="Iain Low", initials="IL", user=people["accountable lead"])
    lead.delegates.add(people["delegate"])
    supporter = LeadFactory(name="Pat Bee", initials="PB", user=people["supporting lead"])
    supporter.delegates.add(people["supporting lead's delegate"])
    # A scrutiny member who is also named as a lead still may not update.
    LeadFactory(name="Cllr Lead", user=people["scrutiny member"])
    return people


@pytest.fixture
def action(people):
    from actions.models import Lead

    action = ActionFactory(
        theme=ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1))),
        lead=Lead.objects.get(initials="IL"),
        reference="1.2",
        description="Re-establish the Early Help Partnership Board",
    )
    action.supporting_leads.add(Lead.objects.get(initials="PB"))
    return action


def form_data(**changes):
    data = {
        "reported_on_day": "15",
        "reported_on_month": "5",
        "reported_on_year": "2023",
        "status": Status.IN_PROGRESS,
        "rag": RAG.GREEN,
        "rag_change_reason": "",
        "working_well": "The board met on 3 May; minutes agreed.",
        "worried_about": "",
        "evidence": "",
        "evidence_links": "",
        "seen_up_to": "0",
    }
    data.update(changes)
    return data


def update_url(action):
    return reverse("actions:record_update", args=[action.pk])


ALLOWED = {
    "accountable lead": True,
    "supporting lead": True,
    "delegate": True,
    "supporting lead's delegate": True,
    "another officer": False,
    "scrutiny member": False,
    "administrator": True,
    "no role": False,
}


@pytest.mark.parametrize(("who", "allowed"), ALLOWED.items())
def test_who_may_open_the_update_form(client, people, action, who, allowed):
    client.force_login(people[who])

    response = client.get(update_url(action))

    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("who", "allowed"), ALLOWED.items())
def test_who_may_post_an_update(client, people, action, who, allowed):
    client.force_login(people[who])

    response = client.post(update_url(action), form_data())

    assert response.status_code == (302 if allowed else 403)
    assert ProgressUpdate.objects.filter(action=action).count() == (1 if allowed else 0)


def test_anonymous_visitors_are_sent_to_sign_in_and_cannot_post(client, action):
    assert client.get(update_url(action))["Location"].startswith(reverse("login"))
    client.post(update_url(action), form_data())
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(("who", "allowed"), ALLOWED.items())
def test_the_action_page_offers_the_button_only_to_those_allowed(
    client, people, action, who, allowed
):
    client.force_login(people[who])

    response = client.get(reverse("actions:detail", args=[action.pk]))

    if who == "no role":
        assert response.status_code == 403
    else:
        assert (update_url(action) in response.content.decode()) is allowed


def test_a_recorded_update_is_saved_with_who_entered_it_and_shown_on_the_action(
    client, people, action
):
    client.force_login(people["delegate"])

    response = client.post(update_url(action), form_data(), follow=True)

    update = ProgressUpdate.objects.get(action=action)
    assert update.entered_by == people["delegate"]
    assert update.reported_on == TODAY
    assert "Your update reporting on 15 May 2023 has been recorded." in response.content.decode()
    assert "The board met on 3 May; minutes agreed." in response.content.decode()


def test_the_form_shows_the_previous_update_and_starts_from_its_status_and_rag(
    client, people, action
):
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2023, 4, 1),
        status=Status.IN_PROGRESS,
        rag=RAG.AMBER,
        worried_about="Chair not yet appointed.",
    )
    client.force_login(people["accountable lead"])

    html = client.get(update_url(action)).content.decode()

    assert "Previous update" in html
    assert "Chair not yet appointed." in html
    assert re.search(r'value="amber"[^>]*checked', html)
    assert re.search(r'value="in_progress"[^>]*checked', html)
    assert 'name="reported_on_day" value="15"' in html


def test_the_previous_updates_evidence_shows_its_web_addresses_and_links_as_links(
    client, people, action
):
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2023, 4, 1),
        status=Status.IN_PROGRESS,
        rag=RAG.GREEN,
        evidence="Minutes at https://example.org/minutes <3 May>\nAgreed.",
        evidence_links="https://example.org/board\n\nhttps://example.org/terms",
    )
    client.force_login(people["accountable lead"])

    html = client.get(update_url(action)).content.decode()
    previous = html[html.index('id="previous-heading"') :]

    assert (
        'Minutes at <a class="govuk-link app-web-address" href="https://example.org/minutes" '
        'rel="noopener noreferrer">https://example.org/minutes</a> &lt;3 May&gt;<br>Agreed.'
    ) in previous
    for address in ("https://example.org/board", "https://example.org/terms"):
        assert (
            f'<li><a class="govuk-link app-web-address" href="{address}" '
            f'rel="noopener noreferrer">{address}</a></li>'
        ) in previous


def errors_on_page(response):
    """The error summary's entries, in order: (the field it links to, the message)."""
    html = response.content.decode()
    summary = re.search(r'class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return [
        (target, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for target, text in re.findall(r'<a href="#([^"]+)">(.*?)</a>', summary.group(0), re.S)
    ]


@pytest.mark.parametrize(
    ("changes", "target", "message"),
    [
        (
            {"status": Status.COMPLETE, "rag": "none"},
            "id_evidence",
            "Marking an action Complete needs evidence: say how we know it was done.",
        ),
        (
            {"rag": RAG.RED},
            "id_worried_about",
            "A Red rating needs “What are we worried about and what are we doing about it?”.",
        ),
        ({"rag": "none"}, "id_rag_0", "Choose a RAG rating: Red, Amber or Green."),
        ({"rag": ""}, "id_rag_0", "Choose a RAG rating: Red, Amber or Green."),
        (
            {"reported_on_day": "16"},
            "id_reported_on_0",
            "The date it reports on can’t be in the future: today is 15 May 2023.",
        ),
        (
            {"reported_on_day": "31", "reported_on_month": "3", "reported_on_year": "2022"},
            "id_reported_on_0",
            "The date it reports on can’t be before the plan started (1 April 2022).",
        ),
        (
            {"reported_on_day": "31", "reported_on_month": "9", "reported_on_year": "2022"},
            "id_reported_on_0",
            "Date it reports on must be a real date: September 2022 has 30 days",
        ),
        (
            {"reported_on_month": ""},
            "id_reported_on_0",
            "Date it reports on must include a month",
        ),
        (
            {"evidence_links": "javascript:alert(1)"},
            "id_evidence_links",
            "Evidence links must be web addresses starting http:// or https://. "
            "This is not: javascript:alert(1)",
        ),
        (
            {"working_well": "x" * 100_000},
            "id_working_well",
            "“What&#x27;s working well and how do we know?” must be 10,000 characters or "
            "fewer: it has 100,000.",
        ),
        (
            {
                "revised_due_on_day": "30",
                "revised_due_on_month": "6",
                "revised_due_on_year": "2024",
            },
            "id_revised_due_reason",
            "Say why the due date changed: a revised due date needs its reason.",
        ),
        (
            {"revised_due_reason": "The board was postponed"},
            "id_revised_due_on_0",
            "Give the revised due date, or leave its reason empty.",
        ),
        (
            {
                "revised_due_on_day": "31",
                "revised_due_on_month": "6",
                "revised_due_on_year": "2024",
                "revised_due_reason": "Postponed",
            },
            "id_revised_due_on_0",
            "Revised due date must be a real date: June 2024 has 30 days",
        ),
        (
            {
                "revised_due_on_day": "1",
                "revised_due_on_month": "5",
                "revised_due_on_year": "2023",
                "revised_due_reason": "Postponed",
            },
            "id_revised_due_on_0",
            "The revised due date can’t be before the date this update reports on (15 May 2023).",
        ),
    ],
)
def test_each_rule_is_a_message_linked_to_its_field_and_nothing_is_saved(
    client, people, action, changes, target, message
):
    client.force_login(people["accountable lead"])

    response = client.post(update_url(action), form_data(**changes))

    assert response.status_code == 200
    assert errors_on_page(response) == [(target, message)]
    assert f'id="{target}"' in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_changing_the_rag_needs_a_reason_on_the_form(client, people, action):
    shown = ProgressUpdateFactory(action=action, reported_on=date(2023, 4, 1), rag=RAG.GREEN)
    client.force_login(people["accountable lead"])

    response = client.post(
        update_url(action),
        form_data(rag=RAG.AMBER, worried_about="Venue lost.", seen_up_to=str(shown.pk)),
    )

    assert errors_on_page(response) == [
        ("id_rag_change_reason", "The RAG has changed from Green to Amber: say why.")
    ]


def seen_up_to_on_the_form(client, action):
    html = client.get(update_url(action)).content.decode()
    return re.search(r'name="seen_up_to" value="(\d+)"', html).group(1)


def test_a_back_dated_update_is_held_to_the_rag_before_its_date_not_the_newest(
    client, people, action
):
    """Amber on 1 March, Red on 1 May: an update reporting on 1 April follows the Amber.
    Red on 1 April is a change to explain; Amber is none, whatever the newest says."""
    ProgressUpdateFactory(
        action=action, reported_on=date(2023, 3, 1), rag=RAG.AMBER, worried_about="Late."
    )
    ProgressUpdateFactory(
        action=action,
        reported_on=date(2023, 5, 1),
        rag=RAG.RED,
        worried_about="Later.",
        rag_change_reason="Venue lost.",
    )
    client.force_login(people["accountable lead"])
    seen_up_to = seen_up_to_on_the_form(client, action)
    on_1_april = {"reported_on_day": "1", "reported_on_month": "4", "worried_about": "Slow."}

    red = client.post(
        update_url(action), form_data(rag=RAG.RED, seen_up_to=seen_up_to, **on_1_april)
    )
    amber = client.post(
        update_url(action), form_data(rag=RAG.AMBER, seen_up_to=seen_up_to, **on_1_april)
    )

    assert errors_on_page(red) == [
        ("id_rag_change_reason", "The RAG has changed from Amber to Red: say why.")
    ]
    assert amber.status_code == 302
    assert ProgressUpdate.objects.get(reported_on=date(2023, 4, 1)).rag == RAG.AMBER


def test_a_form_without_the_updates_it_saw_is_held_to_every_update(client, people, action):
    """The number comes from the form: a post without it gets no allowance for updates
    that landed meanwhile, so the RAG rule can't be stepped round by leaving it out."""
    ProgressUpdateFactory(action=action, reported_on=date(2023, 4, 1), rag=RAG.GREEN)
    client.force_login(people["accountable lead"])

    response = client.post(
        update_url(action), form_data(rag=RAG.RED, worried_about="Lost.", seen_up_to="")
    )

    assert errors_on_page(response) == [
        ("id_rag_change_reason", "The RAG has changed from Green to Red: say why.")
    ]


def test_what_was_typed_is_kept_when_the_form_comes_back_with_an_error(client, people, action):
    client.force_login(people["accountable lead"])

    response = client.post(
        update_url(action),
        form_data(rag=RAG.RED, working_well="Kept after the error, word for word."),
    )

    assert "Kept after the error, word for word." in response.content.decode()


def test_script_in_every_text_field_is_stored_as_typed_and_shown_escaped(client, people, action):
    script = "<script>alert('x')</script>"
    client.force_login(people["accountable lead"])
    client.post(
        update_url(action),
        form_data(
            status=Status.COMPLETE,
            rag="none",
            working_well=script,
            worried_about=script,
            evidence=script,
            rag_change_reason=script,
        ),
    )

    update = ProgressUpdate.objects.get()
    assert update.working_well == update.evidence == script
    html = client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_an_update_that_landed_while_the_form_was_open_is_kept_and_the_officer_told(
    client, people, action
):
    ProgressUpdateFactory(action=action, reported_on=date(2023, 4, 1), rag=RAG.GREEN)
    client.force_login(people["accountable lead"])
    html = client.get(update_url(action)).content.decode()
    seen_up_to = re.search(r'name="seen_up_to" value="(\d+)"', html).group(1)
    # Meanwhile the delegate records an Amber update.
    ProgressUpdateFactory(
        action=action,
        reported_on=TODAY,
        rag=RAG.AMBER,
        worried_about="Venue lost.",
        entered_by=people["delegate"],
    )

    # The lead, who saw Green, keeps Green: no RAG change as far as they know.
    response = client.post(
        update_url(action),
        form_data(seen_up_to=seen_up_to),
        follow=True,
    )

    assert ProgressUpdate.objects.filter(action=action).count() == 3
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "Your update reporting on 15 May 2023 has been recorded." in text
    assert (
        "While you had the form open, delegate recorded an update reporting on 15 May 2023." in text
    )


def test_the_latest_state_is_the_latest_report_date_whatever_the_entry_order(
    client, people, action
):
    client.force_login(people["accountable lead"])
    client.post(update_url(action), form_data(rag=RAG.GREEN))
    # A later-entered update that reports on an earlier date does not become the latest.
    response = client.post(
        update_url(action),
        form_data(
            reported_on_day="1",
            rag=RAG.AMBER,
            worried_about="Looking back at 1 May.",
        ),
        follow=True,
    )

    from actions.models import Action

    assert Action.objects.with_state(TODAY).get(pk=action.pk).latest_rag == RAG.GREEN
    assert "An update reporting on a later date (15 May 2023) remains the latest position." in (
        response.content.decode()
    )


# My actions


def test_my_actions_lists_what_the_officer_leads_supports_or_delegates_first_things_first(
    client, people, action
):
    from actions.models import Lead

    il = Lead.objects.get(initials="IL")
    overdue = ActionFactory(lead=il, timeframe__label="March 2023", description="Overdue one")
    ProgressUpdateFactory(action=overdue, reported_on=date(2023, 3, 1), rag=RAG.GREEN)
    fine = ActionFactory(lead=il, timeframe__label="Ongoing", description="Fine one")
    ProgressUpdateFactory(action=fine, reported_on=date(2023, 5, 1), rag=RAG.GREEN)
    due_update = ActionFactory(lead=il, timeframe__label="Ongoing", description="Due update")
    ProgressUpdateFactory(action=due_update, reported_on=date(2023, 3, 20), rag=RAG.GREEN)
    ActionFactory(description="Someone else's")
    client.force_login(people["delegate"])

    html = client.get(reverse("actions:my_actions")).content.decode()

    # Each name shows twice: in its link and in its button's hidden text.
    order = list(
        dict.fromkeys(
            re.findall(r"(Overdue one|Fine one|Due update|Someone else&#x27;s|Re-establish)", html)
        )
    )
    # The action fixture is due March 2023 and never updated: overdue and stale, so at
    # risk too, it comes before the one that is only overdue.
    assert order == ["Re-establish", "Overdue one", "Due update", "Fine one"]
    assert "Update due this quarter" in html
    assert len(re.findall(r'href="/actions/\d+/update/"', html)) == 4


def test_scrutiny_members_have_no_my_actions_page(client, people):
    client.force_login(people["scrutiny member"])

    assert client.get(reverse("actions:my_actions")).status_code == 403


# Delegates


def test_a_lead_adds_and_removes_their_own_delegate(client, people, action):
    lead = action.lead
    helper = people["another officer"]
    client.force_login(people["accountable lead"])

    client.post(reverse("actions:lead_delegates", args=[lead.pk]), {"delegate": helper.pk})
    assert set(lead.delegates.all()) == {people["delegate"], helper}
    client.force_login(helper)
    assert client.get(update_url(action)).status_code == 200

    client.force_login(people["accountable lead"])
    client.post(reverse("actions:lead_delegates", args=[lead.pk]), {"remove": helper.pk})
    assert set(lead.delegates.all()) == {people["delegate"]}
    client.force_login(helper)
    assert client.get(update_url(action)).status_code == 403


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({}, "Choose the officer to add as a delegate."),
        (
            {"delegate": "abc"},
            "That person can’t be added: choose an officer from the list "
            "who isn’t already a delegate.",
        ),
    ],
)
def test_a_delegate_not_chosen_is_said_in_words_on_the_field(
    client, people, action, posted, message
):
    lead = action.lead
    client.force_login(people["accountable lead"])

    response = client.post(reverse("actions:lead_delegates", args=[lead.pk]), posted, follow=True)

    assert response.redirect_chain[-1][0].endswith("#delegates")
    page = response.content.decode()
    assert "<title>Error: " in page
    summary = page[page.index('<section aria-labelledby="delegates">') :]
    assert summary.index("There is a problem") < summary.index('id="id_delegate_error"')
    assert message in summary[summary.index('id="id_delegate_error"') :]
    # The browser leaves an empty choice to the service (no pop-up of its own).
    assert re.search(r'<form method="post" action="[^"]+/delegates/" novalidate>', summary)
    assert set(lead.delegates.all()) == {people["delegate"]}
    # Said once: not also in the banner at the top of the page.
    assert not response.context["messages"]
    assert (
        "id_delegate_error"
        not in client.get(reverse("actions:lead", args=[lead.pk])).content.decode()
    )


def test_a_delegate_added_or_removed_is_said_in_the_delegates_section(client, people, action):
    lead = action.lead
    client.force_login(people["accountable lead"])
    url = reverse("actions:lead_delegates", args=[lead.pk])

    for posted, said in [
        ({"delegate": people["another officer"].pk}, "can now record progress on"),
        ({"remove": people["another officer"].pk}, "is no longer a delegate."),
        ({"remove": people["another officer"].pk}, "That person is not a delegate for this lead."),
    ]:
        page = client.post(url, posted, follow=True).content.decode()
        section = page[page.index('<section aria-labelledby="delegates">') :]
        assert said in section
        assert page.count(said) == 1


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("accountable lead", True),
        ("administrator", True),
        ("delegate", False),
        ("supporting lead", False),
        ("another officer", False),
        ("scrutiny member", False),
    ],
)
def test_who_may_change_a_leads_delegates(client, people, action, who, allowed):
    client.force_login(people[who])

    response = client.post(
        reverse("actions:lead_delegates", args=[action.lead_id]),
        {"delegate": people["another officer"].pk},
    )

    assert response.status_code == (302 if allowed else 403)
    assert action.lead.delegates.filter(pk=people["another officer"].pk).exists() is allowed


def test_the_lead_page_offers_delegate_controls_only_to_those_who_may_use_them(
    client, people, action
):
    url = reverse("actions:lead", args=[action.lead_id])
    client.force_login(people["accountable lead"])
    assert "Add delegate" in client.get(url).content.decode()
    client.force_login(people["scrutiny member"])
    assert "Add delegate" not in client.get(url).content.decode()


def as_the_box_counts(characters, line_breaks):
    """Text of `characters` characters as a text box counts them, `line_breaks` of them
    line breaks, sent as a browser sends it: each line break as CR LF."""
    line = "w" * ((characters - line_breaks) // (line_breaks + 1))
    text = "\n".join([line] * (line_breaks + 1))
    text += "w" * (characters - len(text))
    assert len(text) == characters and text.count("\n") == line_breaks
    return text, text.replace("\n", "\r\n")


def test_line_breaks_count_as_the_box_counts_them_not_as_the_browser_sends_them(
    client, people, action
):
    # 9,990 characters in the box with 49 line breaks: the browser sends 10,039.
    typed, sent = as_the_box_counts(9_990, 49)
    assert len(sent) == 10_039
    client.force_login(people["accountable lead"])

    response = client.post(update_url(action), form_data(working_well=sent))

    assert response.status_code == 302
    assert ProgressUpdate.objects.get(action=action).working_well == typed


def test_text_longer_than_its_box_takes_is_refused_naming_the_box(client, people, action):
    _, sent = as_the_box_counts(10_001, 3)
    client.force_login(people["accountable lead"])

    response = client.post(update_url(action), form_data(working_well=sent))

    assert errors_on_page(response) == [
        (
            "id_working_well",
            "“What&#x27;s working well and how do we know?” must be 10,000 characters or "
            "fewer: it has 10,001.",
        )
    ]
    assert not ProgressUpdate.objects.exists()
