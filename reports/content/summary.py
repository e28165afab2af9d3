"""The summary of a quarterly report: its opening sentence and headline counts."""

from functools import cached_property

from .tables import CountRow
from .words import change_words, long_date

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


class ReportSummary:
    """The summary part of ReportContent (reports/content/report.py)."""

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
