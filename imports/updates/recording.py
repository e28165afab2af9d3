"""Recording a checked file's updates: all of them, or none."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from actions.services import progress_update_record

from .checking import propose_updates
from .workbook import FIELD_COLUMNS, HEADERS


def updates_record(*, rows, user, today=None):
    """Record every filled row's update, or none: each through progress_update_record (which
    locks the action, so an update entered on the web meanwhile is kept and seen)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        proposed, errors = propose_updates(rows, user=user, today=today)
        if errors:
            raise UpdateProblems(errors)
        recorded = []
        for number, update in proposed:
            try:
                recorded.append(
                    progress_update_record(
                        action=update.action,
                        entered_by=user,
                        **{field: getattr(update, field) for field in FIELD_COLUMNS},
                    )
                )
            except ValidationError as error:
                errors.extend(
                    f"Row {number}, {HEADERS.get(field, field)}: {message}"
                    for field, messages in error.message_dict.items()
                    for message in messages
                )
        if errors:
            raise UpdateProblems(errors)
    return recorded


class UpdateProblems(Exception):
    def __init__(self, messages):
        super().__init__("\n".join(messages))
        self.messages = list(messages)
