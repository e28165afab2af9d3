"""Publishing a quarterly report, drafting one, and what entered later changed since.

quarterly_report_publish is the one way a report is published: the admin's browser form,
the publish_quarterly_report command and the tests all call it.
"""

from .files import (
    report_document_download,
    report_document_kept,
    report_document_make,
    report_documents_failed,
    report_documents_failure_record,
    report_documents_lock,
    report_documents_made_while_waiting,
    report_documents_make_later,
    report_documents_start,
    report_documents_try_again,
)
from .publishing import (
    CORRECTED,
    PublishedMeanwhile,
    previous_report,
    published_quarters_outside,
    quarter_for_plan,
    quarterly_report_correct,
    quarterly_report_draft,
    quarterly_report_publish,
    report_content,
    report_name,
)
from .since_publication import COMPARED, LateChange, LateCounts, changed_since_publication

__all__ = [
    "COMPARED",
    "CORRECTED",
    "LateChange",
    "LateCounts",
    "PublishedMeanwhile",
    "changed_since_publication",
    "previous_report",
    "published_quarters_outside",
    "quarter_for_plan",
    "quarterly_report_correct",
    "quarterly_report_draft",
    "quarterly_report_publish",
    "report_content",
    "report_document_download",
    "report_document_kept",
    "report_document_make",
    "report_documents_failed",
    "report_documents_failure_record",
    "report_documents_lock",
    "report_documents_made_while_waiting",
    "report_documents_make_later",
    "report_documents_start",
    "report_documents_try_again",
    "report_name",
]
