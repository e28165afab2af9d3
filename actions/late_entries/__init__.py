"""What a page's "entered later" notice and the late-entries listing are about: one action,
a theme, a lead's actions, a plan or every plan. A notice counts only the updates (entered or
corrected), confirmed due dates and timeframe changes of the actions its page shows, so it
never claims a change the page does not have."""

from .about import EVERY_PLAN, About, about_in_link
from .corrections import correction_words
from .moves import Move, SupportChange, moved_late, support_changed_late, user_name
from .timeframes import (
    TimeframeChange,
    timeframe_changes_late,
    timeframe_changes_late_count,
    timeframe_changes_since,
)

__all__ = [
    "EVERY_PLAN",
    "About",
    "Move",
    "SupportChange",
    "TimeframeChange",
    "about_in_link",
    "correction_words",
    "moved_late",
    "support_changed_late",
    "timeframe_changes_late",
    "timeframe_changes_late_count",
    "timeframe_changes_since",
    "user_name",
]
