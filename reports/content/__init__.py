"""What a quarterly report says, draft or published: one object the page, the Word file and
the PDF are all built from, so the three always agree.

A draft is computed from the live plan (positions as at the quarter end, as known now); a
published report is rebuilt from its frozen copy alone (never the live actions or leads).
"""

from .report import COUNT_LABELS, ReportContent
from .tables import CountRow, LeadRow, Table
from .words import (
    CHANGE_DETAIL_HEADINGS,
    WORDING,
    action_name,
    action_names,
    action_words,
    change_detail,
    change_words,
    due_words,
    evidence_words,
    flag_words,
    lead_words,
    long_date,
    moment,
    short_date,
    status_words,
)

__all__ = [
    "CHANGE_DETAIL_HEADINGS",
    "COUNT_LABELS",
    "WORDING",
    "CountRow",
    "LeadRow",
    "ReportContent",
    "Table",
    "action_name",
    "action_names",
    "action_words",
    "change_detail",
    "change_words",
    "due_words",
    "evidence_words",
    "flag_words",
    "lead_words",
    "long_date",
    "moment",
    "short_date",
    "status_words",
]
