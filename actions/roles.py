"""The three groups people sign in as, and the permissions each holds.

Plain data: migrations copy it (they must not import app code that changes) and the
tests read it to check the groups in the database match.
"""

PLAN_ADMINISTRATORS = "Plan administrators"
OFFICERS = "Officers"
SCRUTINY_MEMBERS = "Scrutiny members"

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


def _permissions(verbs, models):
    """'app_label.verb_model' for each verb and model, as User.has_perm spells them."""
    return {
        f"{app_label}.{verb}_{model}"
        for app_label, model in (name.split(".") for name in models)
        for verb in verbs
    }


# Progress updates are history: nobody but a superuser may change or delete one.
GROUP_PERMISSIONS = {
    PLAN_ADMINISTRATORS: sorted(
        _permissions(("add", "change", "delete", "view"), PLAN_MODELS)
        | _permissions(("add", "view"), [PROGRESS_UPDATE])
        | _permissions(("view",), HISTORY_MODELS)
        # The log of update reminders sent.
        | _permissions(("view",), ["actions.reminder"])
    ),
    OFFICERS: sorted(
        _permissions(("view",), [*PLAN_MODELS, PROGRESS_UPDATE])
        | _permissions(("add",), [PROGRESS_UPDATE])
    ),
    SCRUTINY_MEMBERS: sorted(_permissions(("view",), [*PLAN_MODELS, PROGRESS_UPDATE])),
}

# Only plan administrators use the Django admin.
STAFF_GROUPS = (PLAN_ADMINISTRATORS,)
