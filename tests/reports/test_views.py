"""The report's page, its Word and PDF downloads, the draft preview and publishing."""

import io
import re
import subprocess
from datetime import date, datetime
from html import unescape

import pytest
import time_machine
import tinycss2
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from pypdf.generic import ContentStream

from actions.models import Status
from actions.services import progress_update_record
from cypeplan.documents import table_rows
from reports import documents
from reports.models import QuarterlyReport
from reports.services import quarterly_report_publish, report_content
from tests.factories import ProgressUpdateFactory

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END

LATER = datetime(2022, 11, 1, 9, tzinfo=LONDON)


@pytest.fixture
def report(plan, people):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return quarterly_report_publish(
            plan=plan["plan"],
            quarter_ends_on=QUARTER_END,
            published_by=people["admin"],
            report_to="Children and Young People Scrutiny Sub-Committee 7 March 2023",
            lead_officer="Director of Education",
        )


def page_text(response):
    """The page's visible words, tags stripped and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def report_part(response):
    """The page from the paper's title to its end, leaving out what the app adds around it
    (the changed-since-publication section, version notices and download links)."""
    text = page_text(response)
    opening = text[text.index("For general release") : text.index("Download this report")]
    sections = text[text.index("1. Summary") : text.index("© Croydon Council")]
    return opening + sections


def docx_text(content):
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    return "\n".join(paragraphs), table_rows(document)


def pdf_text(content, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def enter_late_changes(plan, people):
    """A back-dated update reporting on a day inside the quarter, the lead renamed and the
    action's text edited in the admin, all after publication."""
    with time_machine.travel(LATER, tick=False):
        progress_update_record(
            action=plan["overdue"],
            reported_on=date(2022, 9, 29),
            status=Status.COMPLETE,
            entered_by=people["officer"],
            evidence="Signed by every partner on 29 September",
        )
    plan["lead"].name = "Renamed Lead"
    plan["lead"].save()
    plan["overdue"].description = "Text edited in the admin after publication"
    plan["overdue"].save()


@pytest.mark.django_db
def test_the_report_page_its_word_and_pdf_read_the_same_after_later_entries_and_edits(
    client, plan, people, report, tmp_path
):
    client.force_login(people["scrutiny"])
    url = reverse("reports:detail", args=[report.pk])
    page_before = report_part(client.get(url))
    word_before = docx_text(client.get(reverse("reports:docx", args=[report.pk])).content)
    pdf_before = pdf_text(client.get(reverse("reports:pdf", args=[report.pk])).content, tmp_path)
    assert "Nothing entered since publication changes" in page_text(client.get(url))

    enter_late_changes(plan, people)

    response = client.get(url)
    assert report_part(response) == page_before
    assert docx_text(client.get(reverse("reports:docx", args=[report.pk])).content) == word_before
    assert (
        pdf_text(client.get(reverse("reports:pdf", args=[report.pk])).content, tmp_path)
        == pdf_before
    )
    # The downloads are the files stored at the first download; made afresh from the
    # frozen copy now, they read the same too.
    fresh = report_content(QuarterlyReport.objects.get(pk=report.pk))
    assert docx_text(documents.report_docx(fresh).to_bytes()) == word_before
    assert pdf_text(documents.report_pdf(fresh), tmp_path) == pdf_before
    assert "Renamed Lead" not in page_before + word_before[0] + str(word_before[1]) + pdf_before
    # The late update is listed under "changed since publication", with who and when.
    late = page_text(response)
    late = late[late.index("Changed since publication") : late.index("1. Summary")]
    assert "1.1 Refresh the partnership agreement" in late
    assert "Reporting on 29 September 2022: Complete" in late
    # A finished action's RAG is its status: said once, not "Complete; Complete".
    assert "Complete; Complete" not in late
    assert "Entered by officer on 1 November 2022 at 09:00" in late


@pytest.mark.django_db
def test_the_word_file_holds_the_same_table_rows_as_the_page(client, people, report):
    client.force_login(people["officer"])
    content = report_content(report)

    response = client.get(reverse("reports:docx", args=[report.pk]))

    assert response["Content-Disposition"] == (
        'attachment; filename="test-plan_Q2-2022-23_as-at-2022-09-30_v1_published-'
        '2022-10-05-1015.docx"'
    )
    document = Document(io.BytesIO(response.content))
    tables = table_rows(document)
    # The header block first, then every table the page shows, row for row.
    assert tables[0][0] == [
        "REPORT TO:",
        "Children and Young People Scrutiny Sub-Committee 7 March 2023",
    ]
    page_tables = [
        content.summary_table,
        *[t for t in content.change_tables if t.rows],
        *content.exception_tables,
        content.lead_table,
        *content.position_tables,
    ]
    assert tables[1:] == [[t.columns, *t.rows] for t in page_tables]
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    for table in page_tables:
        assert f'id="{table.id}"' in html
        assert html.count('<tr class="govuk-table__row">') >= len(table.rows)
    assert document.core_properties.title == content.title
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "1. Summary",
        "2. What changed since Quarter 1 2022/23",
        "3. Overdue and at-risk actions by theme",
        "4. Overdue and at-risk actions by lead",
        "5. Every action’s position",
    ]


@pytest.mark.django_db
def test_the_pdf_is_tagged_titled_in_english_and_names_every_overdue_action(
    client, people, report, tmp_path
):
    client.force_login(people["officer"])
    response = client.get(reverse("reports:pdf", args=[report.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "_v1_published-2022-10-05-1015.pdf" in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    catalogue = pdf.trailer["/Root"]
    assert bool(catalogue["/MarkInfo"]["/Marked"]) is True
    assert "/StructTreeRoot" in catalogue
    assert str(catalogue["/Lang"]).lower() == "en-gb"
    assert pdf.metadata.title == report_content(report).title
    text = " ".join(pdf_text(response.content, tmp_path).split())
    for position in report_content(report).overdue:
        assert f"{position.reference} {position.description}" in text
    assert "Test Directorate Plan · Quarter 2 2022/23 · position as at 30 September 2022" in text


@pytest.mark.django_db
def test_the_report_reads_exceptions_first_with_both_narratives_and_the_evidence(
    client, people, report
):
    client.force_login(people["scrutiny"])

    text = page_text(client.get(reverse("reports:detail", args=[report.pk])))

    summary = text.index("1. Summary")
    exceptions = text.index("3. Overdue and at-risk actions by theme")
    every = text.index("5. Every action’s position")
    assert summary < exceptions < every
    overdue = text[exceptions:every]
    assert "1.1 Refresh the partnership agreement" in overdue
    assert "What’s working well and how do we know?" in overdue
    assert "Partners have agreed the draft." in overdue
    assert "Health partners have not yet signed." in overdue
    assert "Draft agreement v3" in overdue
    assert "Overdue by 92 days" in overdue
    assert "REPORT TO: Children and Young People Scrutiny Sub-Committee 7 March 2023" in text
    assert "Overdue 1" in text


@pytest.mark.django_db
def test_the_lead_table_names_actions_by_reference_where_the_plan_gives_them(report):
    lead_table = report_content(report).lead_table

    assert lead_table.columns[3] == "Actions (ref)"
    assert lead_table.rows == [["Iain Low, Director of Education", "1", "1", "1.1"]]


def drawn_right_edges(content):
    """For each page of a PDF, the rightmost point (in points) of any line, box or word on
    it: its paths' points, read from the page's drawing operators under their transforms,
    and its words' boxes (pdftotext -bbox)."""
    reader = PdfReader(io.BytesIO(content))
    edges = []
    for number, page in enumerate(reader.pages, start=1):
        matrix, saved, right = (1, 0, 0, 1, 0, 0), [], 0.0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"q":
                saved.append(matrix)
            elif operator == b"Q":
                matrix = saved.pop()
            elif operator == b"cm":
                a, b, c, d, e, f = (float(value) for value in operands)
                m = matrix
                matrix = (
                    a * m[0] + b * m[2],
                    a * m[1] + b * m[3],
                    c * m[0] + d * m[2],
                    c * m[1] + d * m[3],
                    e * m[0] + f * m[2] + m[4],
                    e * m[1] + f * m[3] + m[5],
                )
            elif operator in (b"re", b"m", b"l"):
                x, y, *size = (float(value) for value in operands)
                points = [(x, y), (x + size[0], y + size[1])] if size else [(x, y)]
                right = max(
                    [right, *(matrix[0] * px + matrix[2] * py + matrix[4] for px, py in points)]
                )
        words = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(number), "-l", str(number), "-", "-"],
            input=content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        right = max([right, *(float(x) for x in re.findall(r'xMax="([\d.]+)"', words))])
        edges.append(right)
    return edges


@pytest.mark.django_db
def test_nothing_in_the_pdf_is_drawn_beyond_the_right_margin(report):
    content = documents.report_pdf(report_content(report))

    width = float(PdfReader(io.BytesIO(content)).pages[0].mediabox.width)
    right_margin = 12 / 25.4 * 72  # @page margin: 12 mm
    edges = drawn_right_edges(content)
    assert len(edges) >= 2
    # Tables reach the margin, and nothing goes past it (half a point for rounding).
    assert all(edge <= width - right_margin + 0.5 for edge in edges), edges
    assert max(edges) > width - right_margin - 5


def test_no_plan_name_can_end_the_print_headers_css_string(client, plan, people):
    # A form feed ends a CSS string as a line break does: what followed it would be rules.
    plan["plan"].name = 'Plan \f" } } main { display: none } @page { x'
    plan["plan"].save()
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(
            plan=plan["plan"],
            quarter_ends_on=QUARTER_END,
            published_by=people["admin"],
            report_to="Children and Young People Scrutiny Sub-Committee 7 March 2023",
            lead_officer="Director of Education",
        )
    client.force_login(people["scrutiny"])

    css = client.get(reverse("reports:print_css", args=[report.pk])).content.decode()

    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    assert [rule.type for rule in rules] == ["at-rule"]
    assert rules[0].lower_at_keyword == "page"
    margin = [token for token in rules[0].content if token.type == "at-keyword"]
    assert [token.lower_value for token in margin] == ["top-left", "bottom-right"]


@pytest.mark.django_db
def test_later_entries_are_called_other_only_when_they_change_no_position_shown(
    client, plan, people, report
):
    """Two later updates of one action, both listed beside the position they changed, are not
    "other entries"; an update of another action reporting before its latest one is."""
    client.force_login(people["scrutiny"])
    url = reverse("reports:detail", args=[report.pk])
    with time_machine.travel(LATER, tick=False):
        for reported_on in (date(2022, 9, 29), date(2022, 9, 28)):
            ProgressUpdateFactory(
                action=plan["overdue"], reported_on=reported_on, status=Status.COMPLETE, rag=""
            )

    late = page_text(client.get(url))
    late = late[late.index("Changed since publication") : late.index("1. Summary")]
    assert "Reporting on 28 September 2022" in late and "Reporting on 29 September 2022" in late
    assert "Other " not in late

    with time_machine.travel(LATER, tick=False):
        ProgressUpdateFactory(action=plan["fine"], reported_on=date(2022, 8, 31), rag="green")

    late = page_text(client.get(url))
    assert "Other entries made since publication change no position shown here." in late
