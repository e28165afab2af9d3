"""The overdue and at-risk actions a quarterly report lists first."""

from collections import defaultdict
from functools import cached_property
from itertools import groupby

from .tables import LeadRow
from .words import action_names


class ReportExceptions:
    """The overdue and at-risk part of ReportContent (reports/content/report.py)."""

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
