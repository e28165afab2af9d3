from .action import Action, SubStep
from .confirmation import DateConfirmation
from .leads import Division, Lead
from .newest import NewestUpdate
from .progress import NARRATIVE_LIMIT, ProgressUpdate
from .reminder import Reminder
from .rules import (
    AT_RISK_RAGS,
    FINISHED,
    NO_CONCERNS,
    RAG,
    ActionQuerySet,
    ActionState,
    Status,
    may_record_updates,
    people_who_may_record_updates,
    people_with_permission,
    rag_words,
    update_window,
    warning_window,
)
from .timeframe import Timeframe

__all__ = [
    "AT_RISK_RAGS",
    "FINISHED",
    "NARRATIVE_LIMIT",
    "NO_CONCERNS",
    "RAG",
    "Action",
    "ActionQuerySet",
    "ActionState",
    "DateConfirmation",
    "Division",
    "Lead",
    "NewestUpdate",
    "ProgressUpdate",
    "Reminder",
    "Status",
    "SubStep",
    "Timeframe",
    "may_record_updates",
    "people_who_may_record_updates",
    "people_with_permission",
    "rag_words",
    "update_window",
    "warning_window",
]
