from .dashboards import at_risk, dashboard, overdue
from .pages import action_detail, late_entries, lead_detail, register, theme_detail
from .progress import lead_delegates, my_actions, record_update

__all__ = [
    "action_detail",
    "at_risk",
    "dashboard",
    "late_entries",
    "lead_delegates",
    "lead_detail",
    "my_actions",
    "overdue",
    "record_update",
    "register",
    "theme_detail",
]
