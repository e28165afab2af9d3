"""The action list as the agenda pack prints it: one row per outstanding item, the same rows
for the page and for the Word paper (cypeplan.documents' house style)."""

from dataclasses import dataclass

from django.utils.formats import date_format

from actions.positions import position_words
from cypeplan.documents import CommitteePaper

from .models import State

COLUMNS = [
    "No.",
    "Raised",
    "Item",
    "Who answers, and by when",
    "Where it stands",
    "Latest answer",
    "Plan actions it concerns",
]
WIDTHS = [1.4, 3.2, 7, 3.6, 3.2, 5.6, 4.4]


def _day(value):
    return date_format(value, "j F Y") if value else ""


def short(text, length):
    """`text` on one line, cut to `length` characters with an ellipsis (cheaper than
    Truncator, which pages of hundreds of rows feel)."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def action_label(action):
    """A plan action as an action list names it: its plan, its reference if it has one, and
    the start of its words (the CYPE plan's actions have no references)."""
    reference = f" {action.reference}" if action.reference else ""
    return f"{action.theme.plan.name}{reference}: {short(action.description, 80)}"


@dataclass(frozen=True)
class Row:
    """One item on an action list, as text."""

    number: int
    item: object

    @property
    def raised(self):
        minute = f", minute {self.item.minute}" if self.item.minute else ""
        return f"{_day(self.item.meeting.held_on)}{minute}"

    @property
    def words(self):
        return f"{self.item.get_kind_display()}: {self.item.words}"

    @property
    def who_and_when(self):
        due_on = self.item.answer_due_on
        due = f"Due {_day(due_on)}" if due_on else "No date set"
        return f"{self.item.answerer_shown}\n{due}"

    @property
    def stands(self):
        parts = [State(self.item.state).label]
        if self.item.is_overdue:
            parts.append("Answer overdue")
        days = self.item.days_open
        parts.append(f"Open {days} day{'' if days == 1 else 's'}")
        return "\n".join(parts)

    @property
    def latest_answer(self):
        if not self.item.latest_response_on:
            return "No answer yet"
        return f"{_day(self.item.latest_response_on)}: {self.item.latest_response_text}"

    @property
    def plan_actions(self):
        """(action, label) for each plan action, for the page."""
        return [(action, action_label(action)) for action in self.item.actions.all()]

    @property
    def actions(self):
        """Each plan action as the page names it, and its position as the page's tags say
        it (actions.positions.position_words)."""
        return "\n".join(
            f"{action_label(action)} ({', '.join(position_words(action))})"
            for action in self.item.actions.all()
        )

    def cells(self):
        return [
            str(self.number),
            self.raised,
            self.words,
            self.who_and_when,
            self.stands,
            self.latest_answer,
            self.actions or "None",
        ]


def rows(items):
    return [Row(number, item) for number, item in enumerate(items, start=1)]


def action_list_paper(meeting, items):
    """The Word paper for `meeting`'s agenda item "Action List Update"."""
    held = _day(meeting.held_on)
    paper = CommitteePaper(
        title="Action List Update",
        running_header=f"{meeting.committee} · {held} · Action List Update",
        subject=f"Actions arising from previous meetings, for the meeting of {held}",
        landscape=True,
    )
    paper.header_block(
        [
            ("REPORT TO", f"{meeting.committee} {held}"),
            ("SUBJECT", "Action List Update"),
            (
                "BRIEF FOR THE COMMITTEE",
                "The actions, information requests and recommendations from previous "
                "meetings that are still outstanding: officers’ answers, and where each "
                f"stands as at {_day(meeting.action_list_as_at)}.",
            ),
        ]
    )
    listed = rows(items)
    paper.section("Outstanding items")
    overdue = sum(1 for row in listed if row.item.is_overdue)
    paper.numbered_paragraph(
        f"{len(listed)} item{'' if len(listed) == 1 else 's'} outstanding"
        + (f", {overdue} with the answer overdue." if overdue else ".")
        if listed
        else "No items are outstanding from previous meetings."
    )
    if listed:
        paper.table(
            COLUMNS,
            [row.cells() for row in listed],
            caption=f"Action list for the meeting of {held}",
            widths=WIDTHS,
        )
    return paper
