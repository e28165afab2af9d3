"""The admin site: Django's, with malformed input refused where it comes in and search that
finds words as people type them, for every model admin registered (ours and those of apps
added later)."""

from .changed_meanwhile import LAST_SAVE, SEEN_AS, ChangedMeanwhileAdmin, record_of_deletion
from .checked_inputs import (
    NEW_ROWS,
    PLAIN_ID_FIELDS,
    CheckedInputsAdmin,
    TypedTextAdmin,
    rows_gone,
    step_aside,
)
from .revert import RevertKeepsReadOnlyFields
from .signed_out import NOT_SAVED_YET, KeptWhenSignedOutAdmin
from .site import FORM_PAGES, CouncilAdminSite

__all__ = [
    "FORM_PAGES",
    "LAST_SAVE",
    "NEW_ROWS",
    "NOT_SAVED_YET",
    "PLAIN_ID_FIELDS",
    "SEEN_AS",
    "ChangedMeanwhileAdmin",
    "CheckedInputsAdmin",
    "CouncilAdminSite",
    "KeptWhenSignedOutAdmin",
    "RevertKeepsReadOnlyFields",
    "TypedTextAdmin",
    "record_of_deletion",
    "rows_gone",
    "step_aside",
]
