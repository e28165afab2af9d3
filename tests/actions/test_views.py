"""The read pages over the council's real plans, checked against values worked out by hand
from the seeds (shared/seeds/004_*: section 1 of the Children's Continuous Improvement Plan,
and 000_*: the CYPE Directorate Plan 2022-24)."""

import html as html_entities
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from actions.models import RAG, Status
from tests.factories import ActionFactory, ProgressUpdateFactory, UserFactory
from tests.shown import register_shown

IMPROVEMENT_PLAN = "childrens-continuous-improvement-plan-2021-24"
CYPE_PLAN = "cype-directorate-plan-2022-24"


def page_text(response):
    """The words on the page, without tags, in one line: what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_entities.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def cell_text(fragment):
    return html_entities.unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment).split()))


def references_in(response):
    """The action references in the first column of every list table, in page order."""
    return re.findall(
        r'<tr class="govuk-table__row">\s*<td class="govuk-table__cell"[^>]*>([^<]+)</td>',
        response.content.decode(),
    )


def group_headings(response):
    return [
        cell_text(heading)
        for heading in re.findall(
            r'<h2 class="govuk-heading-m" id="group-\d+">(.*?)<span class="govuk-caption-m">',
            response.content.decode(),
            flags=re.S,
        )
    ]


# Overdue as at 1 August 2021 (the plan's recorded progress is dated 1 July 2021):
# 5.2 (June 21, in progress, SS), 5.3 and 5.4 (July 21, not started, RM),
# 6.3 (04/06/21, in progress, DM), 7.1-7.3 (July 2021, in progress, KR).
# 2.4 is due 01/08/2021 itself, so not yet overdue.


def test_improvement_plan_overdue_as_at_1_august_2021_by_lead(real_plans, member):
    response = member.get(
        reverse("actions:overdue"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    )

    assert response.status_code == 200
    assert group_headings(response) == [
        "Debby MacCormack (DM)",
        "Kathy Roberts (KR)",
        "Róisín Madden (RM)",
        "SS",
    ]
    assert references_in(response) == ["6.3", "7.1", "7.2", "7.3", "5.3", "5.4", "5.2"]
    assert "7 actions" in page_text(response)
    assert "Position as at 1 August 2021" in page_text(response)


def test_improvement_plan_overdue_as_at_1_august_2021_by_theme(real_plans, member):
    response = member.get(
        reverse("actions:overdue"),
        {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01", "by": "theme"},
    )

    assert group_headings(response) == [
        "Improving Efficiency in the Practice System",
        "Review Children's Centres Delivery Model",
        "SEND Strategy - support inclusion and access to local provision",
    ]
    assert references_in(response) == ["5.2", "5.3", "5.4", "6.3", "7.1", "7.2", "7.3"]


def test_overdue_rows_show_days_overdue_and_the_plans_own_words(real_plans, member):
    response = member.get(
        reverse("actions:overdue"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    )
    row = re.search(
        r"<td class=\"govuk-table__cell\"[^>]*>6\.3</td>(.*?)</tr>", response.content.decode(), re.S
    )
    cells = [cell_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)]

    # Action, theme, timeframe as written, due, days overdue, status, RAG, last updated, why.
    assert cells[0] == "Launch public consultation – extended to 20/06/2021"
    assert cells[1] == "Review Children's Centres Delivery Model"
    assert cells[2:5] == ["04/06/21", "4 Jun 2021", "58"]
    assert cells[5] == "In progress"
    assert "Not rated" in cells[6]
    assert cells[7] == "1 Jul 2021 31 days before"


def test_the_day_before_the_due_date_nothing_from_july_is_overdue(real_plans, member):
    response = member.get(
        reverse("actions:overdue"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-07-31"}
    )

    assert references_in(response) == ["6.3", "5.2"]


# At risk as at 1 August 2021: 6.4 (due 31/08/21, not started: due within 30 days) and
# 6.6 (never updated; the plan has run since 1 April 2021, over 90 days).


def test_improvement_plan_at_risk_as_at_1_august_2021_with_reasons(real_plans, member):
    response = member.get(
        reverse("actions:at_risk"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    )

    # Grouped by lead: 6.6 is Debby MacCormack's, 6.4 is SD's.
    assert group_headings(response) == ["Debby MacCormack (DM)", "SD"]
    assert references_in(response) == ["6.6", "6.4"]
    text = page_text(response)
    assert "Due soon, not started" in text
    assert "No update for over 90 days" in text


def test_at_risk_by_theme_groups_under_the_savings_project(real_plans, member):
    response = member.get(
        reverse("actions:at_risk"),
        {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01", "by": "theme"},
    )

    assert group_headings(response) == ["Review Children's Centres Delivery Model"]


def test_cype_plan_overdue_as_at_1_september_2022(real_plans, member):
    # Due before 1 September 2022: the two "July 2022" actions and the Front Door review
    # ("August 2022"); the plan records no progress, so none is complete.
    response = member.get(reverse("actions:overdue"), {"plan": CYPE_PLAN, "as_at": "2022-09-01"})

    assert group_headings(response) == ["Kerry Crichlow", "Róisín Madden (RM)"]
    text = page_text(response)
    assert "Support and enable the partnership review of the overall effectiveness" in text
    assert "Establish refreshed governance to monitor" in text
    assert "Review the Children's Social Care Front Door" in text
    assert "3 actions" in text


def test_dashboard_counts_for_the_improvement_plan_as_at_1_august_2021(real_plans, member):
    response = member.get(
        reverse("actions:dashboard"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    )

    counts = {
        label: int(number)
        for number, label in re.findall(
            r'count-card__number">(\d+)</span> <span class="count-card__label">([^<]+)<',
            response.content.decode(),
        )
    }
    # Complete as recorded: 1.1, 2.1, 2.3, 2.5, 3.1, 4.1, 4.3, 5.1, 6.1, 6.2.
    # No concerns: the 32 actions less 7 overdue, 2 at risk and 10 complete.
    assert counts == {
        "overdue": 7,
        "at risk (not overdue)": 2,
        "no concerns": 13,
        "complete or closed": 10,
    }
    assert sum(counts.values()) == 32
    assert "1 of the 32 actions had no update for over 90 days" in page_text(response)


def test_dashboard_counts_link_to_their_lists_keeping_plan_and_date(real_plans, member):
    response = member.get(
        reverse("actions:dashboard"), {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01"}
    )
    html = response.content.decode()
    keep = f"plan={IMPROVEMENT_PLAN}&amp;as_at=2021-08-01"

    assert f'href="/overdue/?{keep}"' in html
    assert f'href="/at-risk/?{keep}"' in html
    assert f'href="/actions/?{keep}&amp;at_risk=yes&amp;overdue=no"' in html
    assert f'href="/actions/?{keep}&amp;stale=yes"' in html
    assert f'href="/actions/?{keep}&amp;finished=yes"' in html
    assert f'href="/actions/?{keep}&amp;no_concerns=yes"' in html


def test_dashboard_rag_by_theme_has_a_chart_and_a_table_of_the_same_numbers(real_plans, member):
    action = ActionFactory(theme__plan__slug="small", theme__name="Only theme")
    ProgressUpdateFactory(action=action, reported_on=date(2022, 6, 1), rag=RAG.AMBER)
    ProgressUpdateFactory(
        action=ActionFactory(theme=action.theme), reported_on=date(2022, 6, 1), rag=RAG.RED
    )
    ProgressUpdateFactory(
        action=ActionFactory(theme=action.theme),
        reported_on=date(2022, 6, 1),
        status=Status.COMPLETE,
        rag="",
    )

    response = member.get(reverse("actions:dashboard"), {"plan": "small", "as_at": "2022-06-02"})
    html = response.content.decode()

    assert "<svg" in html and 'role="img"' in html
    assert "<title>Red: 1</title>" in html
    assert "<title>Amber: 1</title>" in html
    assert "<title>Complete or closed: 1</title>" in html
    row = re.search(r"Only theme</a></th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)</td>", row) == ["1", "1", "0", "0", "1"]


def test_a_malformed_as_at_date_is_a_clear_message_not_an_error(real_plans, member):
    with time_machine.travel(date(2023, 1, 10), tick=False):
        response = member.get(reverse("actions:overdue"), {"as_at": "31/03/2023"})

    assert response.status_code == 200
    text = page_text(response)
    assert "“31/03/2023” is not a date in the form YYYY-MM-DD" in text
    assert "Position as at 10 January 2023" in text


@pytest.mark.parametrize("name", ["actions:dashboard", "actions:overdue", "actions:register"])
def test_an_impossible_as_at_date_is_a_clear_message_not_an_error(real_plans, member, name):
    response = member.get(reverse(name), {"as_at": "2021-09-31"})

    assert response.status_code == 200
    assert "“2021-09-31” is not a real date." in page_text(response)


def test_an_unknown_plan_in_a_link_says_so_and_shows_the_first_plan(real_plans, member):
    response = member.get(reverse("actions:dashboard"), {"plan": "no-such-plan"})

    assert response.status_code == 200
    assert "There is no plan with that name in the link." in page_text(response)


def test_action_page_shows_fields_steps_and_history_newest_first(real_plans, member):
    response = member.get(reverse("actions:register"), {"q": "revised Early Help offer"})
    detail_url = re.search(r'href="(/actions/\d+/)"', response.content.decode()).group(1)
    officer = UserFactory(username="iain", first_name="Iain", last_name="Low")
    action_id = int(detail_url.split("/")[2])
    ProgressUpdateFactory(
        action_id=action_id,
        reported_on=date(2021, 9, 1),
        entered_by=officer,
        working_well="Partnership Board met twice.",
        worried_about="Recruitment to the programme manager post.",
        evidence="Board minutes",
        evidence_links="https://example.org/minutes",
    )

    text = page_text(member.get(detail_url))

    assert "Work across the partnership to develop a revised Early Help offer" in text
    assert "Re-establish the Early Help Partnership Board 01/04/21 1 Apr 2021" in text
    assert "Develop options for change 31/10/21 31 Oct 2021" in text
    assert text.index("1 September 2021") < text.index("1 July 2021")
    assert "Partnership Board met twice." in text
    assert "Recruitment to the programme manager post." in text
    assert "Entered by Iain Low" in text
    assert "Progress as the plan recorded it Complete In progress" in text
    assert "Recorded in the published plan" in text


def test_action_page_links_the_web_addresses_in_the_evidence_and_nothing_else(member):
    # evidence_links as a fixture or an old row may hold it, without the form's check.
    update = ProgressUpdateFactory(
        evidence="Minutes at https://example.org/minutes?m=3&y=2021. Not javascript:alert(1)",
        evidence_links="https://example.org/report\njavascript:alert(2)",
    )

    response = member.get(reverse("actions:detail", args=[update.action_id]))
    html = response.content.decode()

    assert re.findall(r'href="(https?:[^"]*)"', html) == [
        "https://example.org/minutes?m=3&amp;y=2021",
        "https://example.org/report",
    ]
    assert not re.search(r'href="\s*javascript', html)
    text = page_text(response)
    assert "Not javascript:alert(1)" in text
    assert "javascript:alert(2)" in text


def test_action_page_as_at_a_past_date_hides_later_updates(real_plans, member):
    response = member.get(reverse("actions:register"), {"q": "revised Early Help offer"})
    detail_url = re.search(r'href="(/actions/\d+/)"', response.content.decode()).group(1)

    text = page_text(member.get(detail_url, {"as_at": "2021-06-30"}))

    assert "1 later update reported after 30 June 2021 is not shown." in text
    assert "No progress has been reported on or before 30 June 2021." in text


def test_lead_page_lists_exceptions_first(real_plans, member):
    from actions.models import Lead

    lead = Lead.objects.get(initials="RM")
    response = member.get(reverse("actions:lead", args=[lead.pk]), {"as_at": "2021-08-01"})

    refs = references_in(response)
    # RM leads 3.1 (complete), 5.3 and 5.4 (overdue) in the improvement plan, and four
    # CYPE actions not yet due in 2021; overdue first.
    assert refs[:2] == ["5.3", "5.4"]
    assert "Róisín Madden" in page_text(response)
    assert len(refs) == 7


def test_theme_page_lists_its_actions_in_plan_order(real_plans, member):
    from themes.models import Theme

    theme = Theme.objects.get(name="Review Children's Centres Delivery Model")
    response = member.get(reverse("actions:theme", args=[theme.pk]), {"as_at": "2021-08-01"})

    assert references_in(response) == ["6.1", "6.2", "6.3", "6.4", "6.5", "6.6"]
    assert "Debby MacCormack" in page_text(response)


# The register and its downloads


def test_register_filters_by_overdue_as_at_a_date(real_plans, member):
    response = member.get(
        reverse("actions:register"),
        {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01", "overdue": "yes", "sort": "reference"},
    )

    assert references_in(response) == ["5.2", "5.3", "5.4", "6.3", "7.1", "7.2", "7.3"]


@pytest.mark.parametrize(
    "sort", ["reference", "-reference", "due", "-due", "status", "-rag", "last_update", "lead"]
)
@pytest.mark.parametrize("as_at", ["2021-08-01", "2022-03-31"])
def test_register_pages_show_every_row_once_in_order_with_its_state(
    real_plans, member, sort, as_at
):
    """The page's rows are picked from the filtered, sorted rows, then their state worked
    out: read page by page, they are every row once, in the order of the whole."""
    from actions.models import Action
    from actions.tables import ActionTable

    query = {"plan": IMPROVEMENT_PLAN, "as_at": as_at, "sort": sort, "per_page": 7}
    pages = []
    for number in range(1, 6):
        response = member.get(reverse("actions:register"), {**query, "page": number})
        table = response.context["table"]
        pages.append(register_shown(table))
    shown = [row for page in pages for row in page]

    actions = Action.objects.filter(theme__plan__slug=IMPROVEMENT_PLAN).with_state(
        date.fromisoformat(as_at)
    )
    every = {action.pk: action.latest_status for action in actions}
    assert 28 < len(shown) == len(every)  # five pages of seven, the last part full
    assert dict(shown) == every
    # The whole register in one sort, ties in the order the rows were entered.
    whole = ActionTable(actions, as_at=date.fromisoformat(as_at), order_by=sort).data.data
    in_order = whole.order_by(*whole.query.order_by, "pk").values_list("pk", flat=True)
    assert [pk for pk, _ in shown] == list(in_order)


def test_register_filters_combine(real_plans, member):
    response = member.get(
        reverse("actions:register"),
        {"plan": IMPROVEMENT_PLAN, "as_at": "2021-08-01", "status": "not_started", "overdue": "no"},
    )

    # Not started as recorded: 1.3, 1.4, 2.2, 5.3, 5.4, 6.4; less the overdue 5.3 and 5.4.
    # 6.6 has no update at all, which counts as Not started too.
    assert sorted(references_in(response)) == ["1.3", "1.4", "2.2", "6.4", "6.6"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lead": "abc"}, "Lead or supporting lead: “abc” is not one of the choices."),
        ({"status": "done"}, "Latest status: “done” is not one of the choices."),
        ({"plan": "nope"}, "Plan: “nope” is not one of the choices."),
    ],
)
def test_a_filter_edited_by_hand_in_the_link_is_named_with_its_value(
    real_plans, member, params, message
):
    response = member.get(reverse("actions:register"), params)
    html = response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")

    assert response.status_code == 200
    assert f"{message} Choose from the list." in html
    assert "<title>Error: Action register" in html
    # The filter's message is the one: no "Showing the first plan" beside an empty list.
    assert "There is no plan with that name" not in html


def test_links_keep_the_chosen_date_and_plan(real_plans, member):
    as_at = "2021-08-01"
    keep = f"plan={IMPROVEMENT_PLAN}&amp;as_at={as_at}"
    pages = {
        "dashboard": member.get(
            reverse("actions:dashboard"), {"plan": IMPROVEMENT_PLAN, "as_at": as_at}
        ),
        "overdue": member.get(
            reverse("actions:overdue"), {"plan": IMPROVEMENT_PLAN, "as_at": as_at}
        ),
        "register": member.get(
            reverse("actions:register"), {"plan": IMPROVEMENT_PLAN, "as_at": as_at}
        ),
    }

    for name, response in pages.items():
        html = response.content.decode()
        # The navigation carries plan and date to every exception page.
        assert f'href="/overdue/?{keep}"' in html, name
        assert f'href="/at-risk/?{keep}"' in html, name
        assert f'href="/actions/?{keep}"' in html, name
        if name != "dashboard":
            # Links to the actions listed carry the date.
            action_links = re.findall(r'href="/actions/\d+/([^"]*)"', html)
            assert action_links and set(action_links) == {f"?as_at={as_at}"}, name
    assert re.search(rf'href="/leads/\d+/\?as_at={as_at}"', pages["register"].content.decode())
    assert re.search(rf'href="/themes/\d+/\?as_at={as_at}"', pages["register"].content.decode())


def test_script_typed_into_plan_text_is_shown_escaped_on_every_page(member):
    script = "<script>alert('x')</script>"
    action = ActionFactory(
        description=script, theme__name=f"Theme {script}", lead__name=f"Lead {script}"
    )
    ProgressUpdateFactory(
        action=action, reported_on=date(2022, 6, 1), rag=RAG.RED, worried_about=script
    )
    keep = {"plan": action.theme.plan.slug, "as_at": "2023-06-01"}

    for url in [
        reverse("actions:dashboard"),
        reverse("actions:overdue"),
        reverse("actions:at_risk"),
        reverse("actions:register"),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:lead", args=[action.lead_id]),
        reverse("actions:theme", args=[action.theme_id]),
    ]:
        html = member.get(url, keep).content.decode()
        assert "<script>alert" not in html, url
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html, url


@pytest.mark.parametrize(
    ("as_at", "says"),
    [
        (
            "2022-03-31",
            "Directorate Plan 2022-24 began on 1 April 2022: 31 March 2022 is "
            "before it began, when none of its actions had progress to report.",
        ),
        (
            "2024-06-30",
            "Directorate Plan 2022-24 ended on 31 March 2024: this is the "
            "position as at 30 June 2024, after it ended.",
        ),
        ("2023-06-30", None),
        ("", None),
    ],
)
def test_a_date_outside_the_plans_life_is_said(real_plans, member, as_at, says):
    params = {"plan": CYPE_PLAN, **({"as_at": as_at} if as_at else {})}
    for page in ("actions:dashboard", "actions:overdue"):
        html = " ".join(member.get(reverse(page), params).content.decode().split())

        if says:
            assert f"(CYPE) {says}" in html, page
        else:
            assert "app-plan-span" not in html, page


def test_action_page_says_when_an_update_was_entered_in_london_time_as_other_pages_do(member):
    officer = UserFactory(username="iain", first_name="Iain", last_name="Low")
    # 00:30 on 2 June 2023 in London (BST) is 23:30 on 1 June in UTC.
    with time_machine.travel(datetime(2023, 6, 2, 0, 30, tzinfo=ZoneInfo("Europe/London"))):
        update = ProgressUpdateFactory(reported_on=date(2023, 6, 1), entered_by=officer)

    text = page_text(member.get(reverse("actions:detail", args=[update.action_id])))

    assert "Entered by Iain Low on 2 June 2023 at 00:30" in text
