"""A report's Word and PDF files made ahead of its readers, by the command that publishes
it and by make_report_documents: kept as the downloads serve them, never made twice."""

import io
import zipfile
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from reports.models import QuarterlyReport, ReportDocument
from reports.services import CORRECTED, quarterly_report_publish, report_content
from tests.factories import ActionFactory, PlanFactory, ThemeFactory

from .conftest import PUBLISHED_AT, QUARTER_END


def kept(report):
    """{kind: bytes} of the files kept for the report."""
    return {document.kind: bytes(document.content) for document in report.documents.all()}


def publish(plan):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)


@pytest.mark.django_db
def test_the_command_publishes_then_keeps_the_reports_word_and_pdf_as_readers_get_them(
    client, plan, people
):
    out, err = StringIO(), StringIO()

    with time_machine.travel(PUBLISHED_AT, tick=False):
        call_command("publish_quarterly_report", "test-plan", "2022-09-30", stdout=out, stderr=err)

    report = QuarterlyReport.objects.get()
    files = kept(report)
    assert set(files) == {"docx", "pdf"}
    assert PdfReader(io.BytesIO(files["pdf"])).metadata.title == report_content(report).title
    with zipfile.ZipFile(io.BytesIO(files["docx"])) as word:
        assert "Refresh the partnership agreement" in word.read("word/document.xml").decode()
    # stdout stays the report's address alone; what was made is said on stderr.
    assert out.getvalue().strip().endswith(f"/reports/{report.pk}/")
    said = err.getvalue()
    assert f"{report}: made its Word file in " in said
    assert f"{report}: made its PDF file in " in said
    # A reader downloads the files kept, not new ones.
    client.force_login(people["scrutiny"])
    assert client.get(reverse("reports:pdf", args=[report.pk])).content == files["pdf"]
    assert client.get(reverse("reports:docx", args=[report.pk])).content == files["docx"]


@pytest.mark.django_db
def test_the_command_can_leave_the_files_to_the_first_download(plan):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        call_command(
            "publish_quarterly_report",
            *("test-plan", "2022-09-30", "--no-documents"),
            stdout=StringIO(),
        )

    assert not ReportDocument.objects.exists()


@pytest.mark.django_db
def test_a_file_that_cannot_be_made_leaves_the_report_published_and_says_so(plan, monkeypatch):
    def fails(report):
        raise OSError("libpango-1.0.so.0: cannot open shared object file")

    monkeypatch.setattr("reports.documents.report_pdf", fails)
    out, err = StringIO(), StringIO()

    with time_machine.travel(PUBLISHED_AT, tick=False):
        call_command("publish_quarterly_report", "test-plan", "2022-09-30", stdout=out, stderr=err)

    report = QuarterlyReport.objects.get()
    assert out.getvalue().strip().endswith(f"/reports/{report.pk}/")
    assert set(kept(report)) == {"docx"}
    assert (
        f"{report}: its PDF file could not be made (libpango-1.0.so.0: cannot open shared "
        "object file). A reader's first download makes it, or run manage.py "
        "make_report_documents again."
    ) in err.getvalue()
    # Run again while it still can't be made: the command fails, naming how many.
    with pytest.raises(CommandError, match="^1 file could not be made.$"):
        call_command("make_report_documents", stdout=StringIO())


@pytest.mark.django_db
def test_make_report_documents_makes_only_the_missing_files_and_keeps_what_readers_have(
    client, plan, people, django_assert_num_queries
):
    first = publish(plan)
    second = publish(plan)  # version 2 of the same quarter
    client.force_login(people["scrutiny"])
    readers_pdf = client.get(reverse("reports:pdf", args=[first.pk])).content
    out = StringIO()

    call_command("make_report_documents", stdout=out)

    said = out.getvalue()
    assert f"{first}: made its Word file in " in said
    assert f"{first}: its PDF file was made already." in said
    assert f"{second}: made its Word file in " in said
    assert f"{second}: made its PDF file in " in said
    assert set(kept(first)) == set(kept(second)) == {"docx", "pdf"}
    assert kept(first)["pdf"] == readers_pdf

    again = StringIO()
    # With nothing to make, one query: the reports that lack a file.
    with django_assert_num_queries(1):
        call_command("make_report_documents", stdout=again)
    assert again.getvalue().strip() == (
        "Every published report's Word and PDF files are made already."
    )
    assert ReportDocument.objects.count() == 4


@pytest.mark.django_db
def test_make_report_documents_for_one_plan_leaves_other_plans_and_names_them_when_unknown(
    plan,
):
    ours = publish(plan)
    other_plan = PlanFactory(name="Another Plan", slug="another-plan")
    ActionFactory(theme=ThemeFactory(plan=other_plan), description="Another plan's action")
    other = publish({"plan": other_plan})

    message = "No plan called “no-such-plan”. The plans are: another-plan, test-plan."
    with pytest.raises(CommandError, match=message):
        call_command("make_report_documents", "--plan", "no-such-plan")
    assert not ReportDocument.objects.exists()

    out = StringIO()
    call_command("make_report_documents", "--plan", "test-plan", stdout=out)
    assert set(kept(ours)) == {"docx", "pdf"}
    assert kept(other) == {}
    assert str(other) not in out.getvalue()


@pytest.mark.django_db
def test_a_superusers_correction_in_the_admin_reaches_the_word_and_pdf_files(client, plan, people):
    report = publish(plan)
    client.force_login(people["scrutiny"])
    client.get(reverse("reports:docx", args=[report.pk]))
    client.get(reverse("reports:pdf", args=[report.pk]))
    assert set(kept(report)) == {"docx", "pdf"}
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)

    client.post(
        reverse("admin:reports_quarterlyreport_change", args=[report.pk]),
        {"subject": "Corrected by a superuser", "report_to": "Scrutiny Sub-Committee"},
    )

    client.force_login(people["scrutiny"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    word = client.get(reverse("reports:docx", args=[report.pk])).content
    pdf = client.get(reverse("reports:pdf", args=[report.pk])).content
    assert "Corrected by a superuser" in page
    with zipfile.ZipFile(io.BytesIO(word)) as document:
        assert "Corrected by a superuser" in document.read("word/document.xml").decode()
    assert "Corrected by a superuser" in "".join(
        sheet.extract_text() for sheet in PdfReader(io.BytesIO(pdf)).pages
    )
    # Kept again as made now, and the history says who corrected it and what followed.
    assert kept(report) == {"docx": word, "pdf": pdf}
    latest = report.history.latest()
    assert latest.history_user == superuser
    assert latest.history_change_reason == CORRECTED
