"""The admin: where plan administrators enter and keep every plan, theme, lead,
timeframe and action. One module per models module."""

from . import action, leads, progress, reminder, timeframe

__all__ = ["action", "leads", "progress", "reminder", "timeframe"]
