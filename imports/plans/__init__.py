"""A plan from a spreadsheet: read the rows into what they propose, compare that with the
database (the preview), and write it in one transaction (the confirmation).

Identity is stable: an action is the same action when it has the same plan, theme and
reference (or, where the plan gives no references, the same place in its theme), so the
same file imported twice changes nothing and an edited file changes exactly what was edited.
An action with progress is never deleted: left out of the file, it is closed.
"""

from actions.timeframes import why_not_a_date

from .dates import unreadable_errors
from .leads import lead_names
from .preview import compare, fingerprint
from .proposal import propose, read_date
from .writing import plan_import_write

__all__ = [
    "compare",
    "fingerprint",
    "lead_names",
    "plan_import_write",
    "propose",
    "read_date",
    "unreadable_errors",
    "why_not_a_date",
]
