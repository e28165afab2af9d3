"""What a plan administrator should put right, each list a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Subquery

from actions.models import Action, DateConfirmation, Lead, ProgressUpdate, SubStep
from themes.models import Plan

from .models import PlanImport

# Each list shows at most this many rows, and says how many there are in all.
SHOWN = 100


def _limited(queryset):
    return {"count": queryset.count(), "rows": list(queryset[:SHOWN])}


def data_quality(*, as_at):
    """The data-quality lists as at `as_at` (today on the page): two queries each."""
    # A confirmation answers for the words it confirmed: one for earlier words doesn't.
    confirmed = DateConfirmation.objects.giving_action_dates(
        OuterRef("pk"), OuterRef("timeframe__label")
    )
    step_confirmed = DateConfirmation.objects.filter(
        sub_step=OuterRef("pk"), timeframe_label=OuterRef("timeframe__label")
    )
    actions = Action.objects.select_related("theme__plan", "lead", "timeframe").order_by(
        "theme__plan__name", "theme__position", "position"
    )
    unfinished = (
        Action.objects.filter(theme__plan=OuterRef("pk"))
        .with_state(as_at)
        .filter(is_finished=False)
        .order_by()
        .values("theme__plan")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return {
        "initials_only": _limited(
            Lead.objects.filter(name="").annotate(actions_led=Count("actions")).order_by("initials")
        ),
        "no_sign_in": _limited(
            Lead.objects.filter(user=None)
            .exclude(name="")
            .annotate(actions_led=Count("actions"))
            .order_by("name")
        ),
        "to_confirm": _limited(
            actions.filter(timeframe__to_be_confirmed=True).exclude(Exists(confirmed))
        ),
        "steps_to_confirm": _limited(
            SubStep.objects.in_plan()
            .filter(timeframe__to_be_confirmed=True)
            .exclude(Exists(step_confirmed))
            .select_related("action__theme__plan", "timeframe")
            .order_by(
                "action__theme__plan__name",
                "action__theme__position",
                "action__position",
                "position",
            )
        ),
        "no_due_date": _limited(
            actions.filter(timeframe__due_on=None, timeframe__to_be_confirmed=False)
        ),
        "never_updated": _limited(
            actions.exclude(Exists(ProgressUpdate.objects.filter(action=OuterRef("pk"))))
        ),
        "ended_unfinished": _limited(
            Plan.objects.filter(ends_on__lt=as_at)
            .annotate(unfinished=Subquery(unfinished))
            .filter(unfinished__gt=0)
            .order_by("name")
        ),
        "import_warnings": _limited(
            PlanImport.objects.with_warnings().select_related("uploaded_by", "plan")
        ),
    }
