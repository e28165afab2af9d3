"""Publishing a quarterly report: one transaction freezes every position as at the quarter
end as known at that moment; a published report reads the same for ever."""

import io
from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from docx import Document

from actions import changes as changes_module
from actions.models import Status
from actions.services import progress_update_record
from reports import documents
from reports.models import PublishedReportLocked, QuarterlyReport, ReportPosition
from reports.services import (
    quarter_for_plan,
    quarterly_report_correct,
    quarterly_report_draft,
    quarterly_report_publish,
    report_content,
)

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END


def publish(plan, people, when=PUBLISHED_AT, **header):
    with time_machine.travel(when, tick=False):
        return quarterly_report_publish(
            plan=plan, quarter_ends_on=QUARTER_END, published_by=people["admin"], **header
        )


@pytest.mark.django_db
def test_publishing_freezes_every_position_as_at_the_quarter_end(plan, people):
    report = publish(plan["plan"], people, report_to="Scrutiny Sub-Committee 7 March 2023")

    assert report.version == 1
    assert report.replaces is None
    assert report.quarter_name == "Quarter 2 2022/23 (July to September 2022)"
    assert report.published_by_name == "Pat Admin"
    assert report.report_to == "Scrutiny Sub-Committee 7 March 2023"
    frozen = {p.data["reference"]: p.data for p in ReportPosition.objects.filter(report=report)}
    assert set(frozen) == {"1.1", "1.2", "2.1"}
    assert frozen["1.1"]["is_overdue"] is True
    assert frozen["1.1"]["days_overdue"] == 92
    assert frozen["1.1"]["worried_about"] == "Health partners have not yet signed."
    assert frozen["2.1"]["status"] == Status.COMPLETE
    assert report.counts["overdue"] == 1
    assert report.counts["total"] == 3


@pytest.mark.django_db
def test_publishing_again_makes_a_new_version_that_replaces_the_old(plan, people):
    first = publish(plan["plan"], people)
    second = publish(plan["plan"], people, when=datetime(2022, 10, 6, 9, tzinfo=LONDON))

    assert second.version == 2
    assert second.replaces == first
    assert list(QuarterlyReport.objects.current()) == [second]
    assert report_content(first).report.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "quarter_ends_on, message",
    [
        (date(2022, 9, 29), "29 September 2022 is not the end of a quarter"),
        (date(2021, 12, 31), "is outside the Test Directorate Plan"),
        (date(2022, 12, 31), "Quarter 3 2022/23 (October to December 2022) hasn’t ended yet"),
    ],
)
def test_a_date_that_is_no_reportable_quarter_end_is_refused(
    plan, people, quarter_ends_on, message
):
    with time_machine.travel(PUBLISHED_AT, tick=False), pytest.raises(ValidationError) as error:
        quarterly_report_publish(plan=plan["plan"], quarter_ends_on=quarter_ends_on)

    assert message in " ".join(error.value.messages)
    assert not QuarterlyReport.objects.exists()


@pytest.mark.django_db
def test_a_published_report_reads_the_same_after_late_updates_and_admin_edits(plan, people):
    report = publish(plan["plan"], people)
    before = report_content(QuarterlyReport.objects.get(pk=report.pk))

    with time_machine.travel(datetime(2022, 11, 1, 9, tzinfo=LONDON), tick=False):
        progress_update_record(
            action=plan["overdue"],
            reported_on=date(2022, 9, 29),
            status=Status.COMPLETE,
            entered_by=people["admin"],
            evidence="Signed by every partner",
        )
    plan["lead"].name = "Iain Lowe-Renamed"
    plan["lead"].save()
    plan["overdue"].description = "Edited later in the admin"
    plan["overdue"].save()

    after = report_content(QuarterlyReport.objects.get(pk=report.pk))
    assert after.positions == before.positions
    assert after.counts == before.counts
    assert [t.rows for t in after.exception_tables] == [t.rows for t in before.exception_tables]
    assert "Edited later" not in str([t.rows for t in after.position_tables])


@pytest.mark.django_db
def test_nobody_but_a_superuser_can_change_or_delete_a_published_report(plan, people):
    report = publish(plan["plan"], people)
    superuser = people["admin"].__class__.objects.create_superuser("root", "r@example.org", "x")

    report.subject = "Changed"
    with pytest.raises(PublishedReportLocked):
        report.save()
    with pytest.raises(PublishedReportLocked):
        report.save(corrected_by=people["admin"])
    with pytest.raises(PublishedReportLocked):
        report.delete()
    with pytest.raises(PublishedReportLocked):
        QuarterlyReport.objects.filter(pk=report.pk).update(subject="Bulk")
    with pytest.raises(PublishedReportLocked):
        QuarterlyReport.objects.all().delete()
    position = report.positions.first()
    with pytest.raises(PublishedReportLocked):
        position.save()
    with pytest.raises(PublishedReportLocked):
        report.positions.update(data={})
    assert QuarterlyReport.objects.get(pk=report.pk).subject == ""

    report.save(corrected_by=superuser)
    assert QuarterlyReport.objects.get(pk=report.pk).subject == "Changed"
    report.delete(deleted_by=superuser)
    assert not QuarterlyReport.objects.exists()
    assert not ReportPosition.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("stored", "sent"), [("\n", "\r\n"), ("\r\n", "\n")])
def test_a_correction_of_line_breaks_alone_keeps_them_and_adds_nothing_to_the_history(
    plan, people, stored, sent
):
    report = publish(plan["plan"], people, brief_for_committee=f"Line one{stored}line two")
    superuser = people["admin"].__class__.objects.create_superuser("root", "r@example.org", "x")
    report.brief_for_committee = f"Line one{sent}line two"

    quarterly_report_correct(report=report, corrected_by=superuser)

    stored_now = QuarterlyReport.objects.get(pk=report.pk).brief_for_committee
    assert stored_now == f"Line one{stored}line two"
    assert [entry.history_type for entry in report.history.all()] == ["+"]


@pytest.mark.django_db
def test_the_plans_first_quarter_says_there_is_nothing_earlier_and_names_no_quarter_before(plan):
    quarter = quarter_for_plan(plan["plan"], date(2022, 6, 30), today=date(2022, 7, 5))
    content, _ = quarterly_report_draft(plan=plan["plan"], quarter=quarter)
    document = Document(io.BytesIO(documents.report_docx(content).to_bytes()))
    words = "\n".join(
        [paragraph.text for paragraph in document.paragraphs]
        + [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    )

    assert content.summary.endswith(
        "It is the plan’s first report, so there is no earlier position to compare the "
        "figures with."
    )
    assert "compared with the plan's start" not in words
    assert content.summary_table.columns == ["Count", "As at 30 June 2022"]
    assert "Not known" not in words
    assert "What changed since the plan's start" in words
    assert "Quarter 4 2021/22" not in words


@pytest.mark.django_db
def test_a_published_reports_what_changed_stays_as_published_when_the_rules_change(
    plan, people, monkeypatch
):
    # 1.1 was not rated at June's end and Amber at September's: a RAG change today. A
    # report published while the rule left first ratings out keeps the lists it published.
    without_rag_changes = tuple(
        (name, (lambda *args: None) if name == "rag_changes" else rule)
        for name, rule in changes_module._RULES
    )
    monkeypatch.setattr(changes_module, "_RULES", without_rag_changes)
    report = publish(plan["plan"], people)
    monkeypatch.undo()

    published = report_content(QuarterlyReport.objects.get(pk=report.pk)).changes
    draft, _ = quarterly_report_draft(plan=plan["plan"], quarter=report.quarter)

    assert published.rag_changes == []
    assert [(c.reference, c.was, c.now) for c in draft.changes.rag_changes] == [
        ("1.1", "Not rated", "Amber")
    ]
