"""A large report's Word and PDF files are made in a process of their own, never while a
reader waits: publishing in the browser starts it, a download serves the file kept or says
it is being made, and the files kept stay exactly as first made.

The plans here are small; REPORT_DOCUMENTS_MADE_WHILE_WAITING is lowered so they count as
large. The 10,000-action timings are in the README (manage.py benchmark_reports)."""

import io
import zipfile
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions.models import Action, Status
from actions.services import progress_update_record
from reports import services
from reports.models import QuarterlyReport, ReportDocument

from .conftest import PUBLISHED_AT, QUARTER_END
from .test_pages import publish_form
from .test_views import page_text


@pytest.fixture
def started(monkeypatch):
    """The reports whose files a process of their own was started for (none is started)."""
    reports = []
    monkeypatch.setattr(services.files, "report_documents_make_later", reports.append)
    return reports


@pytest.fixture
def large(settings):
    """The test plan's three actions are more than a download may make files for."""
    settings.REPORT_DOCUMENTS_MADE_WHILE_WAITING = 2


def never_made(monkeypatch):
    def fails(content):
        raise AssertionError("The file was made again")

    monkeypatch.setattr("reports.documents.report_pdf", fails)
    monkeypatch.setattr("reports.documents.report_docx", fails)


def publish(plan):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        return services.quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)


def kept(report):
    return {document.kind: bytes(document.content) for document in report.documents.all()}


@pytest.mark.django_db
@pytest.mark.parametrize("url_name, label", [("reports:pdf", "PDF"), ("reports:docx", "Word")])
def test_a_large_reports_download_says_its_file_is_being_made_and_never_makes_it_there(
    client, plan, people, large, started, monkeypatch, django_assert_num_queries, url_name, label
):
    report = publish(plan)
    never_made(monkeypatch)
    client.force_login(people["scrutiny"])

    # Session, user, permissions x2; the report; its stored file (none yet).
    with django_assert_num_queries(6):
        response = client.get(reverse(url_name, args=[report.pk]))

    assert response.status_code == 202
    assert response["Retry-After"] == "120"
    assert response["Content-Type"].startswith("text/html")
    text = page_text(response)
    assert f"The {label} file is being made" in text
    assert f"This report holds 3 actions, so its {label} file takes some minutes" in text
    assert f"Try again in a few minutes: download the {label} file" in text
    assert started == [report]
    assert not ReportDocument.objects.exists()


@pytest.mark.django_db
def test_a_small_reports_first_download_still_makes_and_keeps_its_file(
    client, plan, people, started
):
    report = publish(plan)
    client.force_login(people["scrutiny"])

    response = client.get(reverse("reports:pdf", args=[report.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert kept(report) == {"pdf": response.content}
    assert started == []


@pytest.mark.django_db
def test_downloads_serve_the_files_kept_without_making_them_again(
    client, plan, people, large, started, monkeypatch, django_assert_num_queries
):
    report = publish(plan)
    call_command("make_report_documents", "--report", str(report.pk), stdout=StringIO())
    files = kept(report)
    never_made(monkeypatch)
    client.force_login(people["scrutiny"])

    for url_name, kind in (("reports:pdf", "pdf"), ("reports:docx", "docx")):
        # Session, user, permissions x2; the report; its stored file.
        with django_assert_num_queries(6):
            response = client.get(reverse(url_name, args=[report.pk]))
        assert response.status_code == 200
        assert response.content == files[kind]
    assert started == []


@pytest.mark.django_db
def test_a_published_reports_files_stay_as_first_made_after_the_plan_changes(
    client, plan, people, large, started, django_assert_num_queries
):
    report = publish(plan)
    call_command("make_report_documents", "--report", str(report.pk), stdout=StringIO())
    files = kept(report)
    assert set(files) == {"docx", "pdf"}

    # After publication: an action reworded, a back-dated update, the plan renamed.
    Action.objects.filter(pk=plan["overdue"].pk).update(description="Reworded since")
    with time_machine.travel(PUBLISHED_AT.replace(day=20), tick=False):
        progress_update_record(
            action=plan["overdue"],
            entered_by=people["admin"],
            reported_on=QUARTER_END,
            status=Status.COMPLETE,
            evidence="Entered late",
        )
    plan["plan"].name = "Renamed Plan"
    plan["plan"].save()
    client.force_login(people["scrutiny"])

    pdf = client.get(reverse("reports:pdf", args=[report.pk])).content
    word = client.get(reverse("reports:docx", args=[report.pk])).content
    call_command("make_report_documents", stdout=StringIO())

    assert {"pdf": pdf, "docx": word} == files == kept(report)
    with zipfile.ZipFile(io.BytesIO(word)) as document:
        xml = document.read("word/document.xml").decode()
    assert "Refresh the partnership agreement" in xml
    assert "Reworded since" not in xml and "Renamed Plan" not in xml


@pytest.mark.django_db
def test_publishing_a_large_report_in_the_browser_starts_making_its_files_once_committed(
    client, plan, people, large, started, django_capture_on_commit_callbacks
):
    client.force_login(people["admin"])

    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        time_machine.travel(PUBLISHED_AT, tick=False),
    ):
        response = client.post(reverse("reports:publish"), publish_form(plan["plan"]))
    # Not before the publication commits: a process of its own would not see it.
    assert started == []
    for callback in callbacks:
        callback()

    report = QuarterlyReport.objects.get()
    assert started == [report]
    text = page_text(client.get(response["Location"]))
    assert (
        "Published Quarter 2 2022/23 (July to September 2022), version 1: it now reads the "
        "same for ever. Its Word "
        "and PDF files are being made: for a report of 3 actions that takes some minutes."
    ) in text


@pytest.mark.django_db
def test_publishing_a_small_report_in_the_browser_leaves_its_files_to_the_first_download(
    client, plan, people, started, django_capture_on_commit_callbacks
):
    client.force_login(people["admin"])

    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(PUBLISHED_AT, tick=False),
    ):
        response = client.post(reverse("reports:publish"), publish_form(plan["plan"]))

    assert started == []
    text = page_text(client.get(response["Location"]))
    assert "it now reads the same for ever." in text
    assert "being made" not in text


@pytest.mark.django_db
def test_the_process_started_makes_that_reports_files_in_this_database(plan, monkeypatch):
    report = publish(plan)
    other = publish(plan)  # version 2: not asked for
    commands = []

    class Process:
        def __init__(self, command, **options):
            commands.append((command, options))

    monkeypatch.setattr(services.files.subprocess, "Popen", Process)
    services.report_documents_make_later(report)

    [(command, options)] = commands
    assert command[1].endswith("manage.py")
    assert options["start_new_session"] is True
    out = StringIO()
    call_command(*command[2:], stdout=out)
    assert set(kept(report)) == {"docx", "pdf"}
    assert kept(other) == {}
    assert f"{report}: made its PDF file in " in out.getvalue()


@pytest.mark.django_db
def test_trying_again_while_the_files_are_being_made_starts_no_second_process(
    client, plan, people, large, monkeypatch
):
    report = publish(plan)
    commands = []
    monkeypatch.setattr(
        services.files.subprocess, "Popen", lambda command, **_: commands.append(command)
    )
    client.force_login(people["scrutiny"])

    with services.report_documents_lock(report):
        response = client.get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 202
    assert commands == []

    # Once nothing is making them (the process failed, say), trying again starts one.
    assert client.get(reverse("reports:pdf", args=[report.pk])).status_code == 202
    assert [command[2:5] for command in commands] == [
        ["make_report_documents", "--report", str(report.pk)]
    ]


@pytest.mark.django_db
def test_a_process_for_another_database_makes_nothing_and_says_why(plan):
    report = publish(plan)

    with pytest.raises(CommandError, match="^Asked to make files in the database “elsewhere”"):
        call_command(
            "make_report_documents", *("--report", str(report.pk)), "--database-name", "elsewhere"
        )
    with pytest.raises(CommandError, match="^There is no published report number 999.$"):
        call_command("make_report_documents", "--report", "999")

    assert not ReportDocument.objects.exists()


@pytest.mark.django_db
def test_a_report_whose_files_another_process_is_making_is_left_to_it(plan):
    report = publish(plan)
    out = StringIO()

    with services.report_documents_lock(report) as mine:
        assert mine
        call_command("make_report_documents", "--report", str(report.pk), stdout=out)

    said = out.getvalue().strip()
    assert said == f"{report}: its files are being made by another process already."
    assert not ReportDocument.objects.exists()
    # Once the other is done, the files can be made.
    call_command("make_report_documents", "--report", str(report.pk), stdout=StringIO())
    assert set(kept(report)) == {"docx", "pdf"}


@pytest.mark.django_db
def test_a_file_that_fails_to_be_made_leaves_the_report_and_the_other_file_and_says_so(
    client, plan, people, large, started, monkeypatch
):
    report = publish(plan)

    def fails(content):
        raise OSError("No space left on device")

    monkeypatch.setattr("reports.documents.report_pdf", fails)
    out = StringIO()
    with pytest.raises(CommandError, match="^1 file could not be made.$"):
        call_command("make_report_documents", "--report", str(report.pk), stdout=out)

    assert f"{report}: its PDF file could not be made (No space left on device)." in out.getvalue()
    assert QuarterlyReport.objects.get() == report
    assert set(kept(report)) == {"docx"}
    client.force_login(people["scrutiny"])
    # The Word file is served; the PDF's download says making it failed, and starts nothing.
    assert client.get(reverse("reports:docx", args=[report.pk])).content == kept(report)["docx"]
    response = client.get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 500
    assert started == []


@pytest.fixture
def failed(plan, large, monkeypatch):
    """A large report whose PDF its own process failed to make at 11:40 on the day it was
    published."""
    report = publish(plan)

    def fails(content):
        raise OSError("No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr("reports.documents.report_pdf", fails)
        at = PUBLISHED_AT.replace(hour=11, minute=40)
        with time_machine.travel(at, tick=False), pytest.raises(CommandError):
            call_command("make_report_documents", "--report", str(report.pk), stdout=StringIO())
    return report


@pytest.mark.django_db
def test_a_download_after_the_files_failed_to_be_made_says_so_when_and_what_to_do(
    client, people, started, failed
):
    report = failed
    client.force_login(people["scrutiny"])

    response = client.get(reverse("reports:pdf", args=[report.pk]))

    assert response.status_code == 500
    assert not response.has_header("Retry-After")
    text = page_text(response)
    assert "The PDF file could not be made" in text
    assert "is being made" not in text
    assert "Making this report’s Word and PDF files failed on 5 October 2022 at 11:40" in text
    assert "Ask a plan administrator (the performance team) to try making them again." in text
    assert "Try making the files again" not in text
    assert started == []
    # A reader can't start it again by hand either.
    retry = reverse("reports:documents_try_again", args=[report.pk])
    assert client.post(retry).status_code == 403
    assert started == []


@pytest.mark.django_db
def test_a_plan_administrator_tries_making_the_failed_files_again(client, people, started, failed):
    report = failed
    client.force_login(people["admin"])
    pdf = reverse("reports:pdf", args=[report.pk])
    assert "Try making the files again" in page_text(client.get(pdf))

    response = client.post(reverse("reports:documents_try_again", args=[report.pk]), follow=True)

    assert response.redirect_chain == [(report.get_absolute_url(), 302)]
    assert "Its Word and PDF files are being made again" in page_text(response)
    assert started == [report]
    # Until they are made, the download says they are being made.
    response = client.get(pdf)
    assert response.status_code == 202
    assert "The PDF file is being made" in page_text(response)
    # Made this time: served, and no failure is said any more.
    call_command("make_report_documents", "--report", str(report.pk), stdout=StringIO())
    assert services.report_documents_failed(report) is None
    assert client.get(pdf).content == kept(report)["pdf"]


@pytest.mark.django_db
def test_a_failure_is_said_only_for_the_report_it_was_kept_for(failed):
    # A superuser's deletion may leave a report's number to a later one.
    later = QuarterlyReport(pk=failed.pk, published_at=failed.published_at.replace(day=6))

    assert services.report_documents_failed(failed) == PUBLISHED_AT.replace(hour=11, minute=40)
    assert services.report_documents_failed(later) is None
