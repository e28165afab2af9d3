"""The workbook officers download: its columns, its instructions and a row per action."""

from django.db.models import Max

from actions.models import RAG, ProgressUpdate, Status, rag_words

from ..reading import Column

# Columns the file carries for reading (what the action is and where it stands).
ABOUT = [
    Column("action_id", "Action ID", "cypeplan’s number for the action: don’t change it."),
    Column("plan", "Plan", "For reading only."),
    Column("theme", "Theme", "For reading only."),
    Column("reference", "Reference", "For reading only."),
    Column("action", "Action", "For reading only."),
    Column("lead", "Lead", "For reading only."),
    Column("timeframe", "Timeframe", "For reading only."),
    Column("due", "Due", "The due date now (a revised one if there is one). For reading only."),
    Column("latest_status", "Latest status", "For reading only."),
    Column("latest_rag", "Latest RAG", "For reading only."),
    Column("last_updated", "Last updated", "For reading only."),
    Column(
        "seen_up_to",
        "Updates seen up to",
        "cypeplan’s number for the newest update when you downloaded the file: don’t change "
        "it. Updates recorded since are shown to you before yours is, and one already "
        "recorded is not recorded twice.",
    ),
]
# Columns the officer fills in: one update per row with any of them filled.
UPDATE = [
    Column("reported_on", "Date it reports on", "Day first, e.g. 30/09/2024. Empty: today."),
    Column(
        "status",
        "Status",
        "Not started, In progress, In consultation, On hold, Complete or Closed / superseded.",
    ),
    Column("rag", "RAG", "Red, Amber or Green (empty when complete or closed)."),
    Column("working_well", "What’s working well and how do we know?", ""),
    Column(
        "worried_about",
        "What are we worried about and what are we doing about it?",
        "Needed for Red or Amber.",
    ),
    Column("evidence", "Evidence", "Needed to mark an action Complete: how we know it was done."),
    Column("evidence_links", "Evidence links", "Web addresses, one per line."),
    Column("rag_change_reason", "Why the RAG changed", "Needed when the RAG changes."),
    Column("revised_due_on", "Revised due date", "Only if it will now be done later than planned."),
    Column("revised_due_reason", "Why the due date changed", "Needed with a revised due date."),
]
COLUMNS = ABOUT + UPDATE
HEADERS = {column.key: column.header for column in COLUMNS}
FIELD_COLUMNS = {
    "reported_on": "reported_on",
    "status": "status",
    "rag": "rag",
    "working_well": "working_well",
    "worried_about": "worried_about",
    "evidence": "evidence",
    "evidence_links": "evidence_links",
    "rag_change_reason": "rag_change_reason",
    "revised_due_on": "revised_due_on",
    "revised_due_reason": "revised_due_reason",
}
STATUSES = (
    {label.casefold(): value for value, label in Status.choices}
    | {value: value for value in Status.values}
    | {"closed": Status.CLOSED, "superseded": Status.CLOSED}
)
RAGS = {label.casefold(): value for value, label in RAG.choices}

INSTRUCTIONS = [
    "How to record updates with this workbook",
    "",
    "Each row is one of your actions, with where it stands now. To record an update on one, "
    "fill in its Status and the other update columns on the right; leave the rest of the row "
    "as it is.",
    "Rows you leave empty are skipped. Each filled row becomes one progress update, checked by "
    "the same rules as the form: a Red or Amber rating needs what we are worried about, "
    "Complete needs evidence, a changed RAG needs its reason.",
    "Upload the file on My actions: you will see every update it would record, and any "
    "problem by row, before anything is recorded. Either all of them are recorded or none.",
]


def _when(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _newest_entered(action_ids):
    """{action id: the number of its newest update as entered (ids grow as updates are
    entered)} for these actions that have any update: one query."""
    return dict(
        ProgressUpdate.objects.filter(action__in=action_ids)
        .order_by()
        .values_list("action")
        .annotate(Max("pk"))
    )


def update_rows(actions, *, as_at):
    """The actions as rows to fill in, with the latest position as at `as_at` and the
    newest update entered on each (4 queries)."""
    rows = []
    newest = _newest_entered(actions.values("pk"))
    for action in (
        actions.with_state(as_at)
        .select_related("theme__plan", "lead", "timeframe")
        .order_by("theme__plan__name", "theme__position", "position")
    ):
        rows.append(
            {
                "action_id": action.pk,
                "plan": action.theme.plan.name,
                "theme": action.theme.name,
                "reference": action.reference,
                "action": action.description,
                "lead": str(action.lead),
                "timeframe": action.timeframe.label,
                "due": _when(action.due_on)
                or ("To be confirmed" if action.timeframe.to_be_confirmed else "No due date"),
                "latest_status": Status(action.latest_status).label,
                "latest_rag": rag_words(action.latest_status, action.latest_rag),
                "last_updated": _when(action.latest_reported_on) or "Never",
                "seen_up_to": newest.get(action.pk, 0),
            }
        )
    return rows
