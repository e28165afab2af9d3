"""The rows and tables a report shows, as plain text."""

from dataclasses import dataclass, replace
from functools import cached_property

from .words import (
    CHANGE_DETAIL_HEADINGS,
    action_words,
    change_detail,
    due_words,
    evidence_words,
    flag_words,
    lead_words,
    long_date,
    status_words,
)


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


class ReportTables:
    """The tables part of ReportContent (reports/content/report.py)."""

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
