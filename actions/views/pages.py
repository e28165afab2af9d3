"""The register of every action, and the pages about one action, lead or theme."""

from dataclasses import replace

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import mark_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from cypeplan.kept import kept_value, version_expression
from themes.models import Theme

from .. import hooks
from ..downloads import Context, actions_download, download_format
from ..filters import ActionFilter
from ..late_entries import EVERY_PLAN, About, about_in_link, correction_words, user_name
from ..models import Action, Lead, ProgressUpdate, SubStep
from ..models.rules import NEWEST_FIRST, counts_from_themes
from ..tables import ActionTable
from .dashboards import ROWS_PER_PAGE, themes_counted
from .progress import delegates_outcome, may_manage_delegates
from .scope import Scope, reader_page

# Read by the as-at control or the pager; the register's filters carry everything else.
SCOPE_AND_PAGE_PARAMS = {"as_at", "as_at_day", "as_at_month", "as_at_year", "page", "_export"}


class ActionRegister(SingleTableMixin, FilterView):
    """Every action, filtered, sorted and paginated; ?_export=csv|xlsx downloads the same
    rows in the same order."""

    table_class = ActionTable
    filterset_class = ActionFilter
    template_name = "actions/action_register.html"
    table_pagination = {"per_page": 50}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # The plan here is a filter, which names a plan the link gets wrong itself: the
        # scope's "Showing the first plan" would contradict it.
        self.scope = replace(Scope.from_request(request), plan_error="")

    def get(self, request, *args, **kwargs):
        self.file_format = download_format(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # The matching actions hold their state only when the sort needs it (a filter on
        # it adds it itself); the page's rows get theirs, and their theme, plan, lead and
        # timeframe, once picked (ActionTable.paginate).
        actions = Action.objects.in_plan_on(self.scope.as_at)
        if self.request.GET.get("sort", "").lstrip("-") in ActionTable.STATE_COLUMNS:
            actions = actions.with_state(self.scope.as_at)
        return actions

    def get_table_pagination(self, table):
        # A download is every matching row: don't count them for a page nobody sees.
        if self.file_format:
            return False
        return super().get_table_pagination(table)

    def render_to_response(self, context, **response_kwargs):
        if not self.file_format:
            return super().render_to_response(context, **response_kwargs)
        plan = self.filterset.form.cleaned_data.get("plan") if self.filterset.is_bound else None
        download = Context(
            plan=plan.name if plan else "All plans",
            title="Action register",
            which="Every action matching the filters, in the register's order.",
            as_at=self.scope.as_at,
            filters=self.filterset.in_words(),
            made_at=timezone.now(),
            synthetic=bool(plan and plan.is_synthetic),
        )
        rows = context["table"].data.data
        return actions_download(
            rows.order_by(*ActionTable.ordering(rows)).with_state(self.scope.as_at),
            file_format=self.file_format,
            context=download,
            names=[plan.slug if plan else "all-plans", "register"],
        )

    def get_table_kwargs(self):
        # The page's rows are kept under the filters and the sort, however the link orders
        # them, and the address the site is served at, which their links begin with (the
        # page itself is added by ActionTable.paginate, the date by kept_key).
        return {
            "as_at": self.scope.as_at,
            "keep_date": self.scope.keep_date,
            "kept_as": self.scope.kept_key(
                "register", sorted(self.filter_params()), get_script_prefix()
            ),
            "version": self.scope.data_version,
        }

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "as_at": self.scope.as_at}

    def filter_params(self):
        """The link's filters, sort and rows a page, as (name, value) in its order."""
        return [
            (name, value)
            for name, values in self.request.GET.lists()
            if name not in SCOPE_AND_PAGE_PARAMS
            for value in values
        ]

    def filter_fields(self):
        """The filter form's fields drawn, kept while nothing in the database changes
        under the link's filters (cypeplan/kept.py): fourteen fields, five of them lists
        read from the database, drawn by Django's form templates, were a third of the
        page's time at 10,000 actions."""
        form = self.filterset.form

        def drawn():
            version = self.filterset.read_choices()
            fields = "".join(
                f'<div class="register-filters__field">{field.as_field_group()}</div>'
                for field in form
            )
            return mark_safe(fields), version

        about = ("register filters", form.is_bound, sorted(self.filter_params()))
        return kept_value(self.scope.kept_key(*about), self.scope.data_version, drawn)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            scope=self.scope,
            # A download shows no form.
            filter_fields=None if self.file_format else self.filter_fields(),
            nav_section="register",
            filter_params=self.filter_params(),
            **kwargs,
        )


register = reader_page(ActionRegister.as_view())


@reader_page
def action_detail(request, pk):
    action = get_object_or_404(
        Action.objects.annotate(
            # The data's version as the action was read, and what panels read with it.
            **{hooks.ACTION_READ_AT: version_expression()},
            **hooks.action_detail_annotations(),
        )
        .select_related("theme__plan", "lead__division", "timeframe")
        .prefetch_related(
            "supporting_leads",
            Prefetch("sub_steps", queryset=SubStep.objects.select_related("timeframe")),
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("entered_by").order_by(
                    *NEWEST_FIRST
                ),
            ),
        ),
        pk=pk,
    )
    scope = Scope.from_request(request, plan=action.theme.plan, open_at_plan_end=False)
    can_update = action.may_be_updated_by(request.user)
    state = action.state(scope.as_at)
    updates = action.progress_updates.all()
    shown = [update for update in updates if update.reported_on <= scope.as_at]
    # The dates confirmed for the action itself (not its steps), newest first: those for
    # its timeframe's words apply; those for earlier words are kept, and said not to.
    confirmed = (
        list(action.date_confirmations.filter(sub_step=None).select_related("entered_by"))
        if action.timeframe.to_be_confirmed
        else []
    )
    confirmations = [c for c in confirmed if c.gives_date_to(action)]
    lapsed = [c for c in confirmed if not c.gives_date_to(action)]
    return render(
        request,
        "actions/action_detail.html",
        {
            "scope": scope,
            "action": action,
            "state": state,
            "updates": shown,
            "later_updates": len(updates) - len(shown),
            "revisions": [update for update in shown if update.revised_due_on],
            "recorded": _recorded(request, updates),
            "can_update": can_update,
            "confirmations": confirmations,
            "lapsed_confirmations": lapsed,
            "panels": hooks.panels(
                "action_detail",
                request,
                action=action,
                as_at=scope.as_at,
                scope=scope,
                confirmations=confirmations,
            ),
            # An officer's own action belongs to My actions (where recording an update
            # came from); anyone else's, and every action for an administrator, to the
            # register.
            "nav_section": "my-actions"
            if can_update and not request.user.has_perm("actions.change_action")
            else "register",
        },
    )


def _recorded(request, updates):
    """The update the signed-in person has just recorded, named by ?recorded=<key> in the
    address the update form sent them to; None for anyone else or any other value."""
    key = request.GET.get("recorded", "")
    return next(
        (u for u in updates if str(u.key) == key and u.entered_by_id == request.user.pk), None
    )


@reader_page
def lead_detail(request, pk):
    scope = Scope.from_request(request)
    lead = get_object_or_404(Lead.objects.select_related("division"), pk=pk)

    def actions():
        return (
            Action.objects.of_lead(lead)
            .in_plan_on(scope.as_at)
            .exceptions_first(scope.as_at)
            .listed()
        )

    def draw(page):
        return render_to_string(
            "includes/action_table.html",
            {
                "page": page,
                "keep_date": scope.keep_date,
                "caption": "Actions",
                "show_theme": True,
                "show_plan": True,
                "lead": lead,
            },
        )

    # Kept as drawn while nothing in the database changes (cypeplan/kept.py).
    page = scope.drawn_page(actions, ROWS_PER_PAGE, request.GET.get("page"), draw, "lead", lead.pk)
    may_manage = may_manage_delegates(request.user, lead)
    outcome, other_messages, form = delegates_outcome(request, lead)
    return render(
        request,
        "actions/lead_detail.html",
        {
            "scope": scope,
            "lead": lead,
            "page": page,
            "delegates": lead.delegates.order_by("first_name", "last_name", "username"),
            "may_manage_delegates": may_manage,
            "delegate_form": form if may_manage else None,
            "delegates_outcome": outcome,
            "messages": other_messages,
            "nav_section": "register",
        },
    )


@reader_page
def theme_detail(request, pk):
    theme = get_object_or_404(
        Theme.objects.select_related("plan").prefetch_related("savings"), pk=pk
    )
    scope = Scope.from_request(request, plan=theme.plan)

    def actions():
        return (
            Action.objects.filter(theme=theme)
            .in_plan_on(scope.as_at)
            .with_state(scope.as_at)
            .select_related("lead", "timeframe")
            .order_by("position")
        )

    def draw(page):
        return render_to_string(
            "includes/action_table.html",
            {
                "page": page,
                "keep_date": scope.keep_date,
                "caption": "Actions in plan order",
                "show_lead": True,
            },
        )

    # The page as drawn, and the theme's counts (its row of the plan's, which the dashboard
    # reads too), kept while nothing in the database changes (cypeplan/kept.py).
    page = scope.drawn_page(
        actions, ROWS_PER_PAGE, request.GET.get("page"), draw, "theme", theme.pk
    )
    counted = [row for row in themes_counted(scope, theme.plan) if row["theme_id"] == theme.pk]
    return render(
        request,
        "actions/theme_detail.html",
        {
            "scope": scope,
            "theme": theme,
            "page": page,
            "counts": counts_from_themes(counted),
            "nav_section": "register",
        },
    )


@reader_page
def late_entries(request):
    """The updates entered after the as-at date that report on or before it, the due dates
    confirmed and the timeframes changed after it (of the action, theme or lead in ?action=,
    ?theme= or ?lead=, or the plan in ?plan=, or of every plan), and its actions added to
    their plan or given another lead or theme since (and, for a lead, the actions they were
    made or stopped being a supporting lead of since): why a past date's position now differs
    from that day's. What the past-date notice (the late_entries tag) counts, listed."""
    scope = Scope.from_request(request)
    about, about_error = about_in_link(request.GET)
    plan = scope.plan if request.GET.get("plan") and not scope.plan_error else None
    if about is None and plan is not None:
        about = About("plan", plan)
    about_actions = about or EVERY_PLAN
    late = about_actions.entered_late(scope.as_at)
    corrected = about_actions.corrected_late(scope.as_at)
    confirmed = about_actions.confirmed_late(scope.as_at)
    timeframes = about_actions.timeframe_changes_late(scope.as_at)
    # The actions the notice says a past date's pages leave out, or show where they are now:
    # both few (the performance team adds or moves actions), so not paged.
    added = [
        (action, user_name(action.__dict__, "added_by_"))
        for action in about_actions.added_listed(scope.as_at)
    ]
    moved = about_actions.moved_late(scope.as_at)
    supported = about_actions.support_changed_late(scope.as_at)
    updates = late.select_related("action__theme__plan", "entered_by").order_by(
        "-entered_at", "-pk"
    )
    # Only an action whose date is to be confirmed has any: few, so not paged.
    confirmations = confirmed.select_related("action__theme__plan", "entered_by").order_by(
        "-entered_at", "-pk"
    )
    page = Paginator(updates, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    corrections = [
        (record, correction_words(record))
        for record in corrected.select_related("action__theme__plan", "history_user").order_by(
            "-history_date", "-history_id"
        )
    ]
    confirmations = list(confirmations)
    also = [
        words
        for found, words in (
            (corrections, "updates corrected"),
            (confirmations, "due dates confirmed"),
            (timeframes, "timeframes changed"),
            (added, "actions added to the plan"),
            (moved, "actions given another lead or theme"),
            (supported, "supporting leads changed"),
        )
        if found
    ]
    return render(
        request,
        "actions/late_entries.html",
        {
            "scope": scope,
            "about": about,
            "about_error": about_error,
            "updates": page,
            "page": page,
            # Only a superuser corrects an update: few, so not paged.
            "corrections": corrections,
            "confirmations": confirmations,
            # The heading's other kinds: "and due dates confirmed since".
            "also_since": (
                f"{', '.join(also[:-1])} and {also[-1]} since"
                if len(also) > 1
                else f"and {also[0]} since"
                if also
                else ""
            ),
            # Timeframes change by import or in the admin, rarely: not paged either.
            "timeframes": timeframes,
            "added": added,
            "moved": moved,
            "supported": supported,
            "nav_section": "dashboard",
        },
    )
