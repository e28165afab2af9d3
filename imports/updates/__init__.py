"""Officers' updates by spreadsheet: their actions out, with the latest position and empty
update columns; the filled rows back, each checked by the update rules (ProgressUpdate.clean)
and recorded through progress_update_record, all or none."""

from .checking import (
    newest_update_number,
    preview_as_now,
    preview_of_updates,
    preview_rows,
    propose_updates,
    undated_report_on,
)
from .recording import UpdateProblems, updates_record
from .workbook import ABOUT, COLUMNS, INSTRUCTIONS, UPDATE, update_rows

__all__ = [
    "ABOUT",
    "COLUMNS",
    "INSTRUCTIONS",
    "UPDATE",
    "UpdateProblems",
    "newest_update_number",
    "preview_as_now",
    "preview_of_updates",
    "preview_rows",
    "propose_updates",
    "undated_report_on",
    "update_rows",
    "updates_record",
]
