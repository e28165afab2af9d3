"""The web addresses in a report's evidence are links a member can follow, on the page, in
the Word file and in the PDF; a report published before that keeps them as plain text."""

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import models
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from actions.models import Status
from reports.models import QuarterlyReport
from reports.services import quarterly_report_publish
from tests.factories import ProgressUpdateFactory

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END
from .test_views import page_text

DRAFT = "https://example.org/draft-agreement?v=4&by=health"
PLACES = "https://example.org/school-places-plan"


@pytest.fixture
def report(plan):
    """Quarter 2's report: the overdue action's evidence holds a web address and a
    javascript: one; the completed action's evidence links to the plan it published."""
    with time_machine.travel(datetime(2022, 9, 26, 9, tzinfo=LONDON), tick=False):
        ProgressUpdateFactory(
            action=plan["overdue"],
            reported_on=date(2022, 9, 26),
            status=Status.IN_PROGRESS,
            rag="amber",
            evidence=f"Draft agreement v4 ({DRAFT}).\njavascript:alert(1) data:text/html,hi",
        )
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)


def in_second_wording(report):
    """`report` as published before evidence was linked."""
    models.QuerySet.update(QuarterlyReport.objects.filter(pk=report.pk), wording=2)
    return QuarterlyReport.objects.get(pk=report.pk)


def docx_links(content):
    document = Document(io.BytesIO(content))
    return [
        link.address
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for link in paragraph.hyperlinks
    ]


def pdf_links(content):
    return [
        str(annotation.get_object()["/A"]["/URI"])
        for page in PdfReader(io.BytesIO(content)).pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object()["/Subtype"] == "/Link"
    ]


@pytest.mark.django_db
def test_the_report_page_links_the_web_addresses_in_the_evidence(client, people, report):
    client.force_login(people["scrutiny"])

    response = client.get(reverse("reports:detail", args=[report.pk]))
    html = response.content.decode()

    escaped = DRAFT.replace("&", "&amp;")
    assert f'href="{escaped}" rel="noopener noreferrer">{escaped}</a>' in html
    assert f'href="{PLACES}"' in html
    assert not re.search(r'href="\s*(javascript|data):', html)
    assert "javascript:alert(1) data:text/html,hi" in page_text(response)


@pytest.mark.django_db
def test_a_report_published_before_evidence_was_linked_keeps_it_as_plain_text(
    client, people, report
):
    report = in_second_wording(report)
    client.force_login(people["scrutiny"])

    response = client.get(reverse("reports:detail", args=[report.pk]))
    html = response.content.decode()

    assert 'href="https://example.org' not in html
    assert f"Draft agreement v4 ({DRAFT})." in page_text(response)
    assert docx_links(client.get(reverse("reports:docx", args=[report.pk])).content) == []
    assert pdf_links(client.get(reverse("reports:pdf", args=[report.pk])).content) == []


@pytest.mark.django_db
def test_the_word_file_links_the_web_addresses_in_the_evidence(client, people, report):
    client.force_login(people["scrutiny"])

    content = client.get(reverse("reports:docx", args=[report.pk])).content

    # The completion's evidence in what changed, then the overdue action's.
    assert docx_links(content) == [PLACES, DRAFT]
    document = Document(io.BytesIO(content))
    assert any(
        cell.text == f"Draft agreement v4 ({DRAFT}).\njavascript:alert(1) data:text/html,hi"
        for table in document.tables
        for row in table.rows
        for cell in row.cells
    )


@pytest.mark.django_db
def test_the_pdf_links_the_web_addresses_in_the_evidence(client, people, report):
    client.force_login(people["scrutiny"])

    content = client.get(reverse("reports:pdf", args=[report.pk])).content

    links = pdf_links(content)
    assert DRAFT in links
    assert PLACES in links
    assert not [link for link in links if not link.startswith("https://example.org/")]
    # Printed once: a link that reads as its address isn't followed by it in brackets.
    text = "".join(
        "".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )
    assert text.count("example.org/draft-agreement") == 1
