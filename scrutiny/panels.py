"""What scrutiny adds to actions' pages, reminders, register and navigation, through
actions/hooks.py (actions never imports scrutiny). Registered in ScrutinyConfig.ready()."""

import django_filters
from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Value, When
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format
from django.utils.text import Truncator

from actions import hooks
from actions.models import people_with_permission
from actions.reminders import how_soon
from cypeplan.kept import kept_value, rows_and_version

from .models import Item
from .notices import ANSWER

ASKED_ABOUT_CHOICES = [
    ("yes", "Yes, any item"),
    ("outstanding", "Yes, still awaiting the committee’s acceptance"),
    ("no", "No"),
]


def action_detail_panel(request, *, action, scope, **context):
    """The members' items that concern this action, with where each stands as at the page's
    date (`scope`'s), drawn once and kept as drawn while nothing in the database changes
    (cypeplan/kept.py). Whether any item concerns the action is read with the action
    (ASKED_ABOUT, with the data's version then): no query when none does or the panel is
    kept; one, for the items with their state, when it is worked out. Its words and links
    depend on the action, the date and the address the site is served at, never on who
    reads it."""

    def drawn():
        items, version = [], getattr(action, hooks.ACTION_READ_AT)
        if getattr(action, ASKED_ABOUT):
            items, version = rows_and_version(
                Item.objects.concerning(action)
                .with_state(scope.as_at)
                .filter(state__isnull=False)
                .select_related("meeting", "answerer")
                .order_by("-meeting__held_on", "position", "pk")
            )
        html = render_to_string(
            "scrutiny/panels/action_detail.html", {"items": items, "as_at": scope.as_at}
        )
        return html, version

    about = ("scrutiny: the action's items", action.pk, get_script_prefix())
    return kept_value(scope.kept_key(*about), scope.data_version, drawn)


# Read with the action on its page (actions/hooks.py): does any members' item concern it?
ASKED_ABOUT = "asked_about_by_members"


def any_item_concerns_action():
    return Exists(Item.actions.through.objects.filter(action=OuterRef("pk")))


def my_actions_panel(request, *, as_at, **context):
    """The items this officer (or a lead they are a delegate for) owes an answer to,
    overdue first, then soonest due. One query; nothing for someone who owes none."""
    items = list(
        Item.objects.owed_by(request.user)
        .outstanding(as_at)
        .select_related("meeting", "answerer")
        .order_by(
            Case(When(is_overdue=True, then=Value(0)), default=Value(1)),
            "state",
            "answer_due_on",
            "meeting__held_on",
            "pk",
        )
    )
    if not items:
        return ""
    return render_to_string(
        "scrutiny/panels/my_actions.html", {"items": items, "as_at": as_at}, request=request
    )


def answers_owed_reminders(as_at):
    """One reminder section for each person who owes an answer overdue or due soon: the
    lead named to answer it, if they have an account, and their delegates; each active,
    allowed to record answers, with an email address. Overdue ones first. Three queries."""
    items = (
        Item.objects.overdue_or_due_soon(as_at)
        .filter(answerer__isnull=False)
        .select_related("meeting", "answerer__user")
        .prefetch_related("answerer__delegates")
        .order_by("answer_due_on", "meeting__held_on", "pk")
    )
    # The answer link would turn anyone else away (Item.objects.answerable_by).
    may_answer = set(people_with_permission(ANSWER).values_list("pk", flat=True))
    by_user = {}
    for item in items:
        lead = item.answerer
        for user in [lead.user, *lead.delegates.all()]:
            if user is None or not user.is_active or not user.email or user.pk not in may_answer:
                continue
            by_user.setdefault(user.pk, (user, []))[1].append(item)
    sections = []
    for user, owed in by_user.values():
        overdue = sum(item.is_overdue for item in owed)
        due_soon = len(owed) - overdue
        answers = f"{len(owed)} answer{'' if len(owed) == 1 else 's'} to scrutiny"
        if not due_soon:
            when, summary = "overdue", f"{answers} overdue"
        elif not overdue:
            when, summary = "due soon", f"{answers} due soon"
        else:
            when, summary = (
                "overdue or due soon",
                f"{answers}: {overdue} overdue, {due_soon} due soon",
            )
        sections.append(
            hooks.ReminderSection(
                user=user,
                heading=f"Answers owed to the scrutiny committee, {when}",
                summary=summary,
                entries=tuple(_reminder_entry(item, as_at) for item in owed),
                why="an answer to the scrutiny committee that you, or a lead whose answers "
                "you may record, must give is overdue or due within "
                f"{settings.WARNING_WINDOW_DAYS} days",
            )
        )
    return sections


def _reminder_entry(item, as_at):
    if item.is_overdue:
        days = (as_at - item.answer_due_on).days
        due = (
            f"Answer due {date_format(item.answer_due_on, 'j F Y')}: overdue by {days} "
            f"day{'' if days == 1 else 's'}"
        )
    else:
        due = (
            f"Answer due {date_format(item.answer_due_on, 'j F Y')} "
            f"{how_soon(item.answer_due_on, as_at)}"
        )
    return hooks.ReminderEntry(
        title=Truncator(" ".join(item.words.split())).chars(140),
        url=settings.SITE_URL + reverse("scrutiny:item_answer", args=[item.pk]),
        lines=(
            f"{item.get_kind_display()} raised at the meeting of "
            f"{date_format(item.meeting.held_on, 'j F Y')}"
            + (f", minute {item.minute}" if item.minute else ""),
            due,
            f"Who must answer: {item.answerer_shown}",
        ),
    )


def asked_about_filter(as_at):
    """The register's "Members have asked about it": actions an item raised on or before the
    page's date concerns (any, or one still outstanding then), or none."""

    def asked_about(queryset, name, value):
        raised = Item.objects.filter(actions=OuterRef("pk"))
        if value == "outstanding":
            raised = raised.outstanding(as_at)
        else:
            raised = raised.filter(meeting__held_on__lte=as_at)
        if value == "no":
            return queryset.exclude(Exists(raised))
        return queryset.filter(Exists(raised))

    return django_filters.ChoiceFilter(
        label="Members have asked about it",
        choices=ASKED_ABOUT_CHOICES,
        empty_label="Either",
        method=asked_about,
    )


def register():
    hooks.register_action_detail_annotation(ASKED_ABOUT, any_item_concerns_action)
    hooks.register_panel("action_detail", action_detail_panel)
    hooks.register_panel("my_actions", my_actions_panel)
    hooks.register_reminder_section(answers_owed_reminders)
    hooks.register_register_filter("asked_about", asked_about_filter)
    hooks.register_navigation("scrutiny", "Scrutiny", "scrutiny:index", "date")
    hooks.register_action_keeper(asked_about)


def asked_about(action_ids):
    """{action id: "members have asked about it (2 scrutiny items)"} for those of these
    actions an item concerns: one query."""
    counts = (
        Item.actions.through.objects.filter(action_id__in=action_ids)
        .values("action_id")
        .annotate(items=Count("item_id"))
        .values_list("action_id", "items")
    )
    return {
        action_id: f"members have asked about it ({items} scrutiny item{'s' if items != 1 else ''})"
        for action_id, items in counts
    }
