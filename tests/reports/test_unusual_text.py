"""Text as people really type and paste it (other scripts, emoji, invisible and control
characters, markup-like words) through the pages and documents that show it again."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from actions.models import Status
from cypeplan.documents import table_rows
from reports.services import quarterly_report_publish
from tests.factories import ProgressUpdateFactory

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END

PASTED = "Agreed with partners\x1b on\x08 3\u00a0May \u2013 \u05d1\u05d9\u05ea \u05e1\u05e4\u05e8"


@pytest.mark.django_db
def test_a_report_whose_evidence_has_a_control_character_still_downloads_as_word(
    client, plan, people
):
    with time_machine.travel(datetime(2022, 9, 25, 9, 0, tzinfo=LONDON), tick=False):
        ProgressUpdateFactory(
            action=plan["overdue"],
            reported_on=date(2022, 9, 24),
            status=Status.IN_PROGRESS,
            rag="amber",
            worried_about="Health partners have not yet signed.",
            evidence=PASTED,
        )
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    client.force_login(people["scrutiny"])

    response = client.get(reverse("reports:docx", args=[report.pk]))

    assert response.status_code == 200
    cells = [
        cell
        for table in table_rows(Document(io.BytesIO(response.content)))
        for row in table
        for cell in row
    ]
    assert any(
        "Agreed with partners on 3\u00a0May \u2013 \u05d1\u05d9\u05ea \u05e1\u05e4\u05e8" in cell
        for cell in cells
    )


def pdf_font_names(data):
    """The names of the fonts a PDF draws its pages' text with."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.django_db
def test_a_reports_pdf_draws_emoji_and_arabic_with_fonts_that_have_them(client, plan, people):
    # Without such fonts on the server (make pdf-libraries installs them) WeasyPrint draws an
    # empty box for each of these characters.
    with time_machine.travel(datetime(2022, 9, 25, 9, 0, tzinfo=LONDON), tick=False):
        ProgressUpdateFactory(
            action=plan["overdue"],
            reported_on=date(2022, 9, 24),
            status=Status.IN_PROGRESS,
            rag="amber",
            worried_about="Family hub 👨‍👩‍👧 opening delayed 🏴󠁧󠁢󠁷󠁬󠁳󠁿; مدرسة الأمل has not replied.",
        )
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    client.force_login(people["scrutiny"])

    fonts = pdf_font_names(client.get(reverse("reports:pdf", args=[report.pk])).content)

    assert any("Emoji" in name for name in fonts), fonts
    assert any("DejaVu" in name for name in fonts), fonts
