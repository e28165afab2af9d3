"""The four groups people sign in as, and the permissions each holds.

Plain data: migrations copy it (they must not import app code that changes) and the
tests read it to check the groups in the database match.
"""

PLAN_ADMINISTRATORS = "Plan administrators"
OFFICERS = "Officers"
SCRUTINY_MEMBERS = "Scrutiny members"
# Democratic services: record meetings and what members raise, and the committee's decisions.
SCRUTINY_OFFICERS = "Scrutiny officers"

# The things a plan is made of; everyone signed in may read them.
PLAN_MODELS = (
    "themes.plan",
    "themes.theme",
    "themes.saving",
    "actions.division",
    "actions.lead",
    "actions.timeframe",
    "actions.action",
    "actions.substep",
)
PROGRESS_UPDATE = "actions.progressupdate"
# Published quarterly reports (reports/): everyone reads them; plan administrators preview
# drafts and publish; nobody but a superuser changes or deletes one.
REPORT_MODELS = ("reports.quarterlyreport", "reports.reportposition")
PUBLISH_REPORTS = ("reports.add_quarterlyreport", "reports.preview_quarterlyreport")
# The audit trail django-simple-history keeps of who changed what.
HISTORY_MODELS = (
    "themes.historicalplan",
    "themes.historicaltheme",
    "themes.historicalsaving",
    "actions.historicaldivision",
    "actions.historicallead",
    "actions.historicallead_delegates",
    "actions.historicaltimeframe",
    "actions.historicalaction",
    "actions.historicalaction_supporting_leads",
    "actions.historicalsubstep",
    "actions.historicalprogressupdate",
)
# Scrutiny's meetings and the items members raise at them (the scrutiny app). Named as
# data only: actions never imports scrutiny.
SCRUTINY_RECORDS = ("scrutiny.meeting", "scrutiny.item")
SCRUTINY_RESPONSE = "scrutiny.response"
SCRUTINY_STATE_CHANGE = "scrutiny.statechange"
SCRUTINY_HISTORY = (
    "scrutiny.historicalmeeting",
    "scrutiny.historicalitem",
    "scrutiny.historicalitem_actions",
)
# Accept an answer, send it back, or withdraw an item: scrutiny officers only.
RECORD_DECISION = "scrutiny.record_decision"
SCRUTINY_READING = (*SCRUTINY_RECORDS, SCRUTINY_RESPONSE, SCRUTINY_STATE_CHANGE)


def _permissions(verbs, models):
    """'app_label.verb_model' for each verb and model, as User.has_perm spells them."""
    return {
        f"{app_label}.{verb}_{model}"
        for app_label, model in (name.split(".") for name in models)
        for verb in verbs
    }


# Progress updates, answers to scrutiny and an item's steps are history: nobody but a
# superuser may change or delete one. Meetings and items are never deleted either (an item
# raised in error is withdrawn, with the reason).
GROUP_PERMISSIONS = {
    PLAN_ADMINISTRATORS: sorted(
        _permissions(("add", "change", "delete", "view"), PLAN_MODELS)
        | _permissions(("add", "view"), [PROGRESS_UPDATE])
        | _permissions(("view",), HISTORY_MODELS)
        # The log of update reminders sent.
        | _permissions(("view",), ["actions.reminder"])
        | _permissions(("add", "change", "view"), SCRUTINY_RECORDS)
        | _permissions(("add", "view"), [SCRUTINY_RESPONSE])
        | _permissions(("view",), [SCRUTINY_STATE_CHANGE, *SCRUTINY_HISTORY])
        # The record of every import, and of every date confirmed (both append-only).
        | _permissions(("view",), ["imports.planimport", "actions.dateconfirmation"])
        | _permissions(("view",), [*REPORT_MODELS, "reports.historicalquarterlyreport"])
        | set(PUBLISH_REPORTS)
    ),
    OFFICERS: sorted(
        _permissions(("view",), [*PLAN_MODELS, PROGRESS_UPDATE, *SCRUTINY_READING, *REPORT_MODELS])
        | _permissions(("add",), [PROGRESS_UPDATE, SCRUTINY_RESPONSE])
    ),
    SCRUTINY_MEMBERS: sorted(
        _permissions(("view",), [*PLAN_MODELS, PROGRESS_UPDATE, *SCRUTINY_READING, *REPORT_MODELS])
    ),
    SCRUTINY_OFFICERS: sorted(
        _permissions(("view",), [*PLAN_MODELS, PROGRESS_UPDATE, *SCRUTINY_READING, *REPORT_MODELS])
        | _permissions(("add", "change"), SCRUTINY_RECORDS)
        | _permissions(("view",), SCRUTINY_HISTORY)
        | {RECORD_DECISION}
    ),
}

# Plan administrators and scrutiny officers use the Django admin.
STAFF_GROUPS = (PLAN_ADMINISTRATORS, SCRUTINY_OFFICERS)
