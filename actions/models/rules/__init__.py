"""The as-at rules of DOMAIN.md, over many actions (ActionQuerySet) and one (ActionState)."""

from .choices import AT_RISK_RAGS, FINISHED, RAG, Status, rag_words
from .due import due_date_as_at, effective_due_on, original_due_on
from .known import (
    NEWEST_FIRST,
    end_of_day,
    is_known,
    known,
    newest_key,
    quarter_start,
    update_window,
    warning_window,
)
from .permissions import (
    RECORD_UPDATES,
    may_record_updates,
    people_who_may_record_updates,
    people_with_permission,
)
from .position import (
    CONCERN_FLAGS,
    NO_CONCERNS,
    ActionState,
    counts_from_themes,
    has_no_concerns,
)
from .queryset import ActionQuerySet

__all__ = [
    "AT_RISK_RAGS",
    "CONCERN_FLAGS",
    "FINISHED",
    "NEWEST_FIRST",
    "NO_CONCERNS",
    "RAG",
    "RECORD_UPDATES",
    "ActionQuerySet",
    "ActionState",
    "Status",
    "counts_from_themes",
    "due_date_as_at",
    "effective_due_on",
    "end_of_day",
    "has_no_concerns",
    "is_known",
    "known",
    "may_record_updates",
    "newest_key",
    "original_due_on",
    "people_who_may_record_updates",
    "people_with_permission",
    "quarter_start",
    "rag_words",
    "update_window",
    "warning_window",
]
