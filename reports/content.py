"""What a quarterly report says, draft or published: one object the page, the Word file and
the PDF are all built from, so the three always agree.

A draft is computed from the live plan (positions as at the quarter end, as known now); a
published report is rebuilt from its frozen copy alone (never the live actions or leads).
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property, lru_cache
from itertools import groupby

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import Truncator
from django.utils.translation import get_language

from actions.changes import Changes
from actions.positions import Position
from themes.periods import Quarter

# The way a report published now writes its words. A published report keeps the one it was
# published with (QuarterlyReport.wording) and is always shown in it; each change to what
# these functions say is a new number, with the old words kept for the reports before it.
# 1: reports published before the wording was kept (November 2026).
# 2: an action without a reference is named by its words, in the lead table and as each
#    table row's heading; a completion without evidence says so; a plan's first report
#    says there is nothing earlier to compare with.
# 3: the http and https web addresses in an Evidence column are links (on the page, in the
#    Word file and in the PDF).
WORDING = 3

# The headline counts in the order the summary lists them: (key in counts(), words).
# The keys are those ActionQuerySet.counts() gives (the first four after the total add up
# to it); any it doesn't give are left out.
COUNT_LABELS = (
    ("total", "Actions in the plan"),
    ("overdue", "Overdue"),
    ("at_risk_not_overdue", "At risk (not overdue)"),
    ("no_concerns", "No concerns"),
    ("complete_or_closed", "Complete or closed"),
    ("stale", "No update for over {window} days (counted above too)"),
    ("at_risk", "At risk, overdue or not (counted above too)"),
)


def long_date(value):
    return format_date(value, "j F Y") if value else ""


def moment(value):
    """A moment as people say it, in local time: "5 October 2022 at 10:15"."""
    return format_date(timezone.localtime(value), "j F Y \\a\\t H:i") if value else ""


def change_words(now, before, short_name):
    """ "3 more than at Quarter 1 2022/23"; "2 fewer ..."; "the same as at ..."."""
    if before is None:
        return ""
    difference = now - before
    if difference > 0:
        return f"{difference} more than at {short_name}"
    if difference < 0:
        return f"{-difference} fewer than at {short_name}"
    return f"the same as at {short_name}"


@dataclass(frozen=True)
class CountRow:
    key: str
    label: str
    now: int
    before: int | None
    change: str


@dataclass(frozen=True)
class LeadRow:
    lead_name: str
    lead_job_title: str
    overdue: int
    at_risk: int
    actions: str


@dataclass(frozen=True)
class Table:
    """One table of the report, as plain text: the page, the Word file and the PDF all
    show exactly these rows. A cell's newlines are line breaks."""

    id: str
    kind: str
    heading: str
    caption: str
    columns: list
    rows: list
    widths: list
    # A second shape of its kind, for the styles: "without-refs".
    variant: str = ""
    # The columns (by index) whose web addresses are links.
    linked_columns: tuple = ()


# --- A position in words, for the tables --------------------------------------------


def short_date(value):
    return _short_date(value, get_language()) if value else ""


@lru_cache(maxsize=4096)
def _short_date(value, language):
    # A large plan's tables write the same few hundred dates tens of thousands of times;
    # `language` keys the cache, as month names are translated.
    return format_date(value, "j M Y")


def action_words(position):
    text = f"{position.reference} {position.description}".strip()
    return text


def action_name(position):
    """An action as a list of them names it: its reference; without one, its words cut
    short, as the other pages name an action (the CYPE plan's actions have no references)."""
    return position.reference or Truncator(position.description).chars(100)


def action_names(positions, wording):
    """Several actions in one cell: references run on ("1.1, 2.3"); an action named by its
    words starts a line of its own. The first wording said "(no ref)" for each without one."""
    if wording == 1:
        return ", ".join(p.reference or "(no ref)" for p in positions)
    if all(p.reference for p in positions):
        return ", ".join(p.reference for p in positions)
    return "\n".join(action_name(p) for p in positions)


def lead_words(position):
    lead = position.lead_name
    if position.lead_job_title:
        lead += f", {position.lead_job_title}"
    if position.supporting_leads:
        lead += f"\nSupported by {', '.join(position.supporting_leads)}"
    return lead


def due_words(position):
    """The due date, with the timeframe as the plan wrote it and any revision's reason."""
    if position.due_on is None:
        return f"No due date ({position.timeframe_label})" if position.timeframe_label else ""
    words = f"{short_date(position.due_on)}"
    if position.original_due_on and position.original_due_on != position.due_on:
        words = (
            f"Revised to {short_date(position.due_on)}\nPlan: {position.timeframe_label} "
            f"({short_date(position.original_due_on)})"
        )
        if position.revised_due_reason:
            words += f"\nWhy: {position.revised_due_reason}"
    elif position.timeframe_label and position.timeframe_label != words:
        words += f"\n({position.timeframe_label})"
    return words


def status_words(position):
    """Status and RAG, always as words, with the date of the update they come from."""
    if position.is_finished:
        words = position.status_label
    else:
        words = f"{position.status_label}\n{position.rag_words}"
    if position.latest_reported_on:
        words += f"\nas at {short_date(position.latest_reported_on)}"
    else:
        words += "\nNo update yet"
    return words


def flag_words(position):
    """Overdue / at risk (with why) / stale, or complete, or no concerns."""
    if position.is_finished:
        return position.status_label
    flags = []
    if position.is_overdue:
        days = position.days_overdue
        flags.append(f"Overdue by {days} day{'s' if days != 1 else ''}" if days else "Overdue")
    if position.is_at_risk:
        reasons = "; ".join(position.risk_reasons)
        flags.append(f"At risk: {reasons}" if reasons else "At risk")
    if position.is_stale and not any("No update" in reason for reason in position.risk_reasons):
        flags.append("Stale: no recent update")
    return "\n".join(flags) or "No concerns"


CHANGE_DETAIL_HEADINGS = {
    "newly_overdue": "Days overdue",
    "overdue_carried_over": "Days overdue",
    "newly_at_risk": "Why at risk",
    "rag_changes": "Change and the officer’s reason",
    "completions": "Evidence",
    "slipped": "Change and the reason",
    "not_updated": "Last update",
}


def change_detail(name, entry, wording):
    """What changed for one action in one list of actions.changes, in words (a report's
    `wording`: the first left a completion without evidence blank)."""
    if name in ("newly_overdue", "overdue_carried_over"):
        return str(entry.days_overdue) if entry.days_overdue is not None else ""
    if name == "newly_at_risk":
        return entry.now
    if name in ("rag_changes", "slipped"):
        words = f"{entry.was} to {entry.now}"
        return f"{words}\nWhy: {entry.reason}" if entry.reason else f"{words}\nNo reason given"
    if name == "completions":
        lines = [entry.evidence, *entry.evidence_links] if entry.evidence else entry.evidence_links
        if not lines and wording > 1:
            return "No evidence given"
        return "\n".join(lines)
    if name == "not_updated":
        return f"{entry.was}" if entry.was else "Never updated"
    return ""


def evidence_words(position):
    lines = [position.evidence] if position.evidence else []
    lines += list(position.evidence_links)
    return "\n".join(lines)


@dataclass
class ReportContent:
    """Everything a quarterly report shows. `report` is the published QuarterlyReport, or
    None for a draft."""

    plan_name: str
    plan_slug: str
    quarter: Quarter
    known_at: datetime
    positions: list
    counts: dict
    previous_counts: dict
    compared_with_name: str
    compared_with_short_name: str
    changes: Changes
    header: list = field(default_factory=list)
    report: object = None
    wording: int = WORDING

    # --- Who and when -----------------------------------------------------------------

    @property
    def as_at(self) -> date:
        return self.quarter.ends_on

    @property
    def is_draft(self):
        return self.report is None

    @property
    def title(self):
        return f"{self.plan_name}: quarterly report on progress and risk, {self.quarter.name}"

    @property
    def edition(self):
        """ "Version 2, published 5 October 2022 at 10:15, replacing version 1"."""
        if self.report is None:
            return f"Draft, not published: the position as known on {moment(self.known_at)}"
        words = f"Version {self.report.version}, published {moment(self.report.published_at)}"
        if self.report.replaces_id:
            words += f", replacing version {self.report.version - 1}"
        return words

    @property
    def running_header(self):
        """What every printed page carries: plan, quarter, as-at date and edition (a
        draft's says first that it is one)."""
        if self.is_draft:
            return (
                f"DRAFT (not published) · {self.plan_name} · {self.quarter.short_name} · "
                f"position as at {long_date(self.as_at)} · as known on {moment(self.known_at)}"
            )
        return (
            f"{self.plan_name} · {self.quarter.short_name} · position as at "
            f"{long_date(self.as_at)} · {self.edition}"
        )

    def filename(self, extension):
        """Names the plan, the quarter, the as-at date and the version and publication
        time: "cype-plan_Q2-2022-23_as-at-2022-09-30_v1_published-2022-10-05-1015.docx"."""
        quarter = f"Q{self.quarter.number}-{self.quarter.financial_year.replace('/', '-')}"
        if self.report is None:
            edition = f"draft-{timezone.localtime(self.known_at):%Y-%m-%d-%H%M}"
        else:
            published = timezone.localtime(self.report.published_at)
            edition = f"v{self.report.version}_published-{published:%Y-%m-%d-%H%M}"
        slug = re.sub(r"[^A-Za-z0-9-]+", "-", self.plan_slug).strip("-")
        return f"{slug}_{quarter}_as-at-{self.as_at.isoformat()}_{edition}.{extension}"

    # --- The summary --------------------------------------------------------------------

    @property
    def summary(self):
        """The summary's opening sentence."""
        count = len(self.positions)
        known = (
            "now (a draft: it is computed afresh each time and nothing is stored)"
            if self.is_draft
            else "when it was published"
        )
        return (
            f"This report gives the position of the {count} action{'s' if count != 1 else ''} "
            f"in the {self.plan_name} as at {long_date(self.as_at)}, the end of "
            f"{self.quarter.name}, as known {known}. "
            + (
                f"Each figure is compared with {self.compared_with_name}."
                if self.has_comparison
                else "It is the plan’s first report, so there is no earlier position to "
                "compare the figures with."
            )
        )

    @property
    def has_comparison(self):
        """Whether the counts are compared with earlier ones: not in a plan's first report,
        which has nothing before it (the first wording compared them with the plan's start
        all the same, and showed every change as "Not known")."""
        return self.wording == 1 or bool(self.previous_counts)

    @cached_property
    def count_rows(self):
        rows = []
        for key, label in COUNT_LABELS:
            if key not in self.counts:
                continue
            before = self.previous_counts.get(key) if self.previous_counts else None
            rows.append(
                CountRow(
                    key,
                    label.format(window=self.counts.get("update_window_days", "")),
                    self.counts[key],
                    before,
                    change_words(self.counts[key], before, self.compared_with_short_name),
                )
            )
        return rows

    # --- Exceptions first -----------------------------------------------------------

    @cached_property
    def exceptions(self):
        """Overdue and at-risk actions: overdue first, longest overdue first, then at risk
        in plan order."""
        flagged = [
            (index, p) for index, p in enumerate(self.positions) if p.is_overdue or p.is_at_risk
        ]
        flagged.sort(
            key=lambda item: (not item[1].is_overdue, -(item[1].days_overdue or 0), item[0])
        )
        return [p for _, p in flagged]

    @cached_property
    def exceptions_by_theme(self):
        """(theme name, [positions]) in the plan's theme order."""
        by_theme = defaultdict(list)
        for position in self.exceptions:
            by_theme[(position.theme_position, position.theme_name)].append(position)
        return [(name, by_theme[(pos, name)]) for pos, name in sorted(by_theme)]

    @cached_property
    def exceptions_by_lead(self):
        """One row per lead with overdue or at-risk actions, most overdue first."""
        rows = []
        key = lambda p: (p.lead_name, p.lead_job_title)  # noqa: E731
        for (name, job_title), group in groupby(sorted(self.exceptions, key=key), key=key):
            group = list(group)
            rows.append(
                LeadRow(
                    name,
                    job_title,
                    sum(p.is_overdue for p in group),
                    sum(p.is_at_risk for p in group),
                    action_names(group, self.wording),
                )
            )
        return sorted(rows, key=lambda row: (-row.overdue, -row.at_risk, row.lead_name))

    @property
    def overdue(self):
        return [p for p in self.exceptions if p.is_overdue]

    # --- The tables, as the page and documents show them ------------------------------

    @cached_property
    def summary_table(self):
        if not self.has_comparison:
            return Table(
                "summary",
                "summary",
                "Summary",
                f"Actions by position as at {long_date(self.as_at)}",
                ["Count", f"As at {long_date(self.as_at)}"],
                [[row.label, str(row.now)] for row in self.count_rows],
                [5, 3],
                variant="without-comparison",
            )
        return Table(
            "summary",
            "summary",
            "Summary",
            f"Actions by position as at {long_date(self.as_at)}, and their change since "
            f"{self.compared_with_short_name}",
            [
                "Count",
                f"As at {long_date(self.as_at)}",
                f"At {self.compared_with_short_name}",
                "Change",
            ],
            [
                [
                    row.label,
                    str(row.now),
                    "" if row.before is None else str(row.before),
                    row.change or "Not known",
                ]
                for row in self.count_rows
            ],
            [5, 3, 3, 5],
        )

    @cached_property
    def change_tables(self):
        """One table per list of actions.changes, in the order a committee paper reads them."""
        return [
            self._headed_by_ref(
                Table(
                    f"changed-{name.replace('_', '-')}",
                    "changes",
                    f"{heading} ({len(entries)})",
                    heading,
                    ["Ref", "Action", "Lead", "Theme", CHANGE_DETAIL_HEADINGS.get(name, "Detail")],
                    [
                        [
                            entry.reference,
                            entry.description,
                            entry.lead_name,
                            entry.theme_name,
                            change_detail(name, entry, self.wording),
                        ]
                        for entry in entries
                    ],
                    [1.5, 6, 3, 3.5, 5],
                    linked_columns=self._evidence_linked(4) if name == "completions" else (),
                )
            )
            for name, heading, entries in self.changes.sections()
        ]

    EXCEPTION_COLUMNS = [
        "Action, lead and due date",
        "Position",
        "What’s working well and how do we know?",
        "What are we worried about and what are we doing about it?",
        "Evidence",
    ]

    @cached_property
    def exception_tables(self):
        return [
            Table(
                f"exceptions-theme-{index}",
                "exceptions",
                name,
                f"Overdue and at-risk actions: {name}",
                self.EXCEPTION_COLUMNS,
                [
                    [
                        f"{action_words(p)}\nLead: {lead_words(p)}\nDue: {due_words(p)}",
                        f"{flag_words(p)}\n{status_words(p)}",
                        p.working_well,
                        p.worried_about,
                        evidence_words(p),
                    ]
                    for p in group
                ],
                [6, 4, 5, 5, 4],
                linked_columns=self._evidence_linked(4),
            )
            for index, (name, group) in enumerate(self.exceptions_by_theme, start=1)
        ]

    def _evidence_linked(self, column):
        """An Evidence `column`'s web addresses are links, except in the first two wordings."""
        return (column,) if self.wording > 2 else ()

    @cached_property
    def lead_table(self):
        return Table(
            "exceptions-by-lead",
            "leads",
            "By lead",
            "Overdue and at-risk actions by lead",
            [
                "Lead",
                "Overdue",
                "At risk",
                "Actions"
                if self.wording > 1 and not all(p.reference for p in self.exceptions)
                else "Actions (ref)",
            ],
            [
                [
                    f"{row.lead_name}, {row.lead_job_title}"
                    if row.lead_job_title
                    else row.lead_name,
                    str(row.overdue),
                    str(row.at_risk),
                    row.actions,
                ]
                for row in self.exceptions_by_lead
            ],
            [7, 2, 2, 6],
        )

    @cached_property
    def position_tables(self):
        return [
            self._headed_by_ref(
                Table(
                    f"positions-theme-{index}",
                    "positions",
                    name,
                    f"Every action’s position: {name}",
                    ["Ref", "Action", "Lead", "Due", "Status and RAG", "Position"],
                    [
                        [
                            p.reference,
                            p.description,
                            lead_words(p),
                            due_words(p),
                            status_words(p),
                            flag_words(p),
                        ]
                        for p in group
                    ],
                    [2, 8, 4, 3, 3, 4],
                )
            )
            for index, (name, group) in enumerate(self.positions_by_theme, start=1)
        ]

    @cached_property
    def has_references(self):
        """Whether the tables of actions start with a Ref column heading each row: not for
        a plan whose actions have no references (the CYPE plan's), whose rows the action's
        words head instead. The first wording kept the empty column."""
        if self.wording == 1 or any(p.reference for p in self.positions):
            return True
        return any(
            entry.reference for _, _, entries in self.changes.sections() for entry in entries
        )

    def _headed_by_ref(self, table):
        """`table` (Ref first, then Action) as it reads: without references, from Action."""
        if self.has_references:
            return table
        return replace(
            table,
            columns=table.columns[1:],
            rows=[row[1:] for row in table.rows],
            widths=[table.widths[0] + table.widths[1], *table.widths[2:]],
            variant="without-refs",
            linked_columns=tuple(column - 1 for column in table.linked_columns),
        )

    # --- Every action -------------------------------------------------------------------

    @cached_property
    def positions_by_theme(self):
        """(theme name, [positions]) in plan order."""
        groups = []
        for (_, name), group in groupby(
            self.positions, key=lambda p: (p.theme_position, p.theme_name)
        ):
            groups.append((name, list(group)))
        return groups

    # --- Built from a published report ----------------------------------------------

    @classmethod
    def from_report(cls, report, frozen_positions):
        """A published report as it was published: `frozen_positions` are its
        ReportPosition.data dicts in order."""
        return cls(
            plan_name=report.plan_name,
            plan_slug=report.plan_slug,
            quarter=report.quarter,
            known_at=report.published_at,
            positions=[Position.from_dict(data) for data in frozen_positions],
            counts=report.counts,
            previous_counts=report.previous_counts,
            compared_with_name=report.compared_with_name,
            compared_with_short_name=report.compared_with_short_name,
            changes=Changes.from_dict(report.changes),
            header=report.header(),
            report=report,
            wording=report.wording,
        )
