"""A published report is always shown in the wording it was published with: a later way of
writing its words reaches only the reports published after it."""

import io
import re

import pytest
import time_machine
from django.urls import reverse
from docx import Document

from cypeplan.documents import table_rows
from reports.content import WORDING
from reports.services import quarterly_report_publish, report_content

from .conftest import FIRST_PUBLISHED_AT, FIRST_QUARTER_END, in_first_wording
from .test_views import page_text

# Every word the unreferenced plan's first report showed when reports were written in the
# first wording: its summary, then each table's columns and rows, in the page's order.
FIRST_WORDING_SUMMARY = (
    "This report gives the position of the 3 actions in the Unreferenced Plan as at 30 June "
    "2022, the end of Quarter 1 2022/23 (April to June 2022), as known when it was "
    "published. Each figure is compared with the plan's start on 1 April 2022."
)
CHANGE_COLUMNS = ["Ref", "Action", "Lead", "Theme"]
AGREEMENT = "Refresh the partnership agreement"
EARLY_HELP = (
    "Work with schools, health partners and the voluntary sector to develop a shared "
    "approach to early help for families, with one front door"
)
PLACES = "Publish the school places plan"
IAIN = "Iain Low, Director of Education"
FIRST_WORDING_TABLES = [
    (
        ["Count", "As at 30 June 2022", "At the plan's start", "Change"],
        [
            ["Actions in the plan", "3", "", "Not known"],
            ["Overdue", "1", "", "Not known"],
            ["At risk (not overdue)", "1", "", "Not known"],
            ["No concerns", "0", "", "Not known"],
            ["Complete or closed", "1", "", "Not known"],
            ["No update for over 90 days (counted above too)", "0", "", "Not known"],
            ["At risk, overdue or not (counted above too)", "2", "", "Not known"],
        ],
    ),
    (
        [*CHANGE_COLUMNS, "Days overdue"],
        [["", AGREEMENT, "Iain Low", "Working in Partnership", "30"]],
    ),
    (
        [*CHANGE_COLUMNS, "Why at risk"],
        [
            ["", AGREEMENT, "Iain Low", "Working in Partnership", "Amber"],
            ["", EARLY_HELP, "Iain Low", "Working in Partnership", "Red"],
        ],
    ),
    ([*CHANGE_COLUMNS, "Change and the officer’s reason"], []),
    (
        [*CHANGE_COLUMNS, "Evidence"],
        [["", PLACES, "Róisín Madden", "Working in Partnership", ""]],
    ),
    ([*CHANGE_COLUMNS, "Change and the reason"], []),
    ([*CHANGE_COLUMNS, "Last update"], []),
    ([*CHANGE_COLUMNS, "Days overdue"], []),
    ([*CHANGE_COLUMNS, "Detail"], []),
    ([*CHANGE_COLUMNS, "Detail"], []),
    (
        [
            "Action, lead and due date",
            "Position",
            "What’s working well and how do we know?",
            "What are we worried about and what are we doing about it?",
            "Evidence",
        ],
        [
            [
                f"{AGREEMENT}\nLead: {IAIN}\nDue: 31 May 2022\n(May 2022)",
                "Overdue by 30 days\nAt risk: Amber\nIn progress\nAmber\nas at 15 Jun 2022",
                "Work is under way.",
                "",
                "",
            ],
            [
                f"{EARLY_HELP}\nLead: {IAIN}\nDue: 31 Mar 2023\n(March 2023)",
                "At risk: Red\nIn progress\nRed\nas at 15 Jun 2022",
                "Work is under way.",
                "",
                "",
            ],
        ],
    ),
    (
        ["Lead", "Overdue", "At risk", "Actions (ref)"],
        [[IAIN, "1", "2", "(no ref), (no ref)"]],
    ),
    (
        ["Ref", "Action", "Lead", "Due", "Status and RAG", "Position"],
        [
            [
                "",
                AGREEMENT,
                IAIN,
                "31 May 2022\n(May 2022)",
                "In progress\nAmber\nas at 15 Jun 2022",
                "Overdue by 30 days\nAt risk: Amber",
            ],
            [
                "",
                EARLY_HELP,
                IAIN,
                "31 Mar 2023\n(March 2023)",
                "In progress\nRed\nas at 15 Jun 2022",
                "At risk: Red",
            ],
            [
                "",
                PLACES,
                "Róisín Madden, Head of Service",
                "30 Sep 2022\n(September 2022)",
                "Complete\nas at 10 Jun 2022",
                "Complete",
            ],
        ],
    ),
]


def tables(content):
    return [
        (table.columns, table.rows)
        for table in [
            content.summary_table,
            *content.change_tables,
            *content.exception_tables,
            content.lead_table,
            *content.position_tables,
        ]
    ]


@pytest.fixture
def first_report(unreferenced):
    with time_machine.travel(FIRST_PUBLISHED_AT, tick=False):
        return quarterly_report_publish(
            plan=unreferenced["plan"], quarter_ends_on=FIRST_QUARTER_END
        )


@pytest.mark.django_db
def test_a_report_is_published_in_the_current_wording_and_shown_in_it(first_report):
    assert first_report.wording == WORDING == 3
    assert report_content(first_report).wording == 3


@pytest.mark.django_db
def test_a_report_published_in_the_first_wording_reads_exactly_as_it_was_published(
    client, people, first_report
):
    report = in_first_wording(first_report)
    content = report_content(report)

    assert content.summary == FIRST_WORDING_SUMMARY
    assert tables(content) == FIRST_WORDING_TABLES
    client.force_login(people["scrutiny"])
    text = page_text(client.get(reverse("reports:detail", args=[report.pk])))
    assert FIRST_WORDING_SUMMARY in text
    assert "Iain Low, Director of Education 1 2 (no ref), (no ref)" in text


@pytest.mark.django_db
def test_the_lead_table_names_actions_without_a_reference_by_their_words(
    client, people, first_report
):
    lead_table = report_content(first_report).lead_table

    assert lead_table.columns[3] == "Actions"
    assert lead_table.rows == [
        [
            IAIN,
            "1",
            "2",
            f"{AGREEMENT}\nWork with schools, health partners and the voluntary sector to "
            "develop a shared approach to early h…",
        ]
    ]
    client.force_login(people["scrutiny"])
    text = page_text(client.get(reverse("reports:detail", args=[first_report.pk])))
    assert "(no ref)" not in text
    assert f"{IAIN} 1 2 {AGREEMENT} Work with schools" in text


@pytest.mark.django_db
def test_without_references_each_row_is_headed_by_the_actions_words_and_there_is_no_ref_column(
    client, people, first_report
):
    content = report_content(first_report)
    client.force_login(people["scrutiny"])

    html = client.get(reverse("reports:detail", args=[first_report.pk])).content.decode()
    word_tables = table_rows(
        Document(io.BytesIO(client.get(reverse("reports:docx", args=[first_report.pk])).content))
    )

    assert content.position_tables[0].columns[0] == "Action"
    assert [row[0] for row in content.position_tables[0].rows] == [AGREEMENT, EARLY_HELP, PLACES]
    assert all(table.columns[0] == "Action" for table in content.change_tables)
    assert not re.search(r'<th scope="row"[^>]*>\s*</th>', html)
    assert re.search(rf'<th scope="row"[^>]*>{AGREEMENT}</th>', html)
    assert not any(table[0][0] == "Ref" for table in word_tables)


@pytest.mark.django_db
def test_a_first_wording_report_keeps_its_ref_column(client, people, first_report):
    report = in_first_wording(first_report)
    client.force_login(people["scrutiny"])

    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()

    assert re.search(r'<th scope="col"[^>]*>Ref</th>', html)
    assert "report-table--without-refs" not in html


@pytest.mark.django_db
def test_a_completion_with_no_evidence_says_none_was_given(client, people, first_report):
    completed = next(
        t for t in report_content(first_report).change_tables if "Completed" in t.heading
    )
    client.force_login(people["scrutiny"])

    text = page_text(client.get(reverse("reports:detail", args=[first_report.pk])))

    assert completed.rows == [
        [PLACES, "Róisín Madden", "Working in Partnership", "No evidence given"]
    ]
    assert f"{PLACES} Róisín Madden Working in Partnership No evidence given" in text


@pytest.mark.django_db
def test_the_plans_first_report_says_it_has_nothing_to_compare_with_and_shows_no_comparison(
    client, people, first_report
):
    content = report_content(first_report)
    client.force_login(people["scrutiny"])

    text = page_text(client.get(reverse("reports:detail", args=[first_report.pk])))

    assert content.summary_table.columns == ["Count", "As at 30 June 2022"]
    assert content.summary_table.rows[0] == ["Actions in the plan", "3"]
    assert (
        "as known when it was published. It is the plan’s first report, so there is no "
        "earlier position to compare the figures with." in text
    )
    assert "Not known" not in text
    assert "At the plan's start" not in text
