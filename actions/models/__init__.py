from .action import (
    AT_RISK_RAGS,
    FINISHED,
    RAG,
    Action,
    ActionQuerySet,
    ActionState,
    Status,
    SubStep,
    update_window,
    warning_window,
)
from .leads import Division, Lead
from .progress import NARRATIVE_LIMIT, ProgressUpdate
from .timeframe import Timeframe

__all__ = [
    "AT_RISK_RAGS",
    "FINISHED",
    "NARRATIVE_LIMIT",
    "RAG",
    "Action",
    "ActionQuerySet",
    "ActionState",
    "Division",
    "Lead",
    "ProgressUpdate",
    "Status",
    "SubStep",
    "Timeframe",
    "update_window",
    "warning_window",
]
