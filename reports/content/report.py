"""ReportContent: everything a quarterly report shows, from the live plan for a draft or
from a published report's frozen copy."""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from itertools import groupby

from django.utils import timezone

from actions.changes import Changes
from actions.positions import Position
from themes.periods import Quarter

from .tables import CountRow, LeadRow, Table
from .words import (
    CHANGE_DETAIL_HEADINGS,
    WORDING,
    action_names,
    action_words,
    change_detail,
    change_words,
    due_words,
    evidence_words,
    flag_words,
    lead_words,
    long_date,
    moment,
    status_words,
)

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
