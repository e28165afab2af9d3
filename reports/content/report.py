"""ReportContent: everything a quarterly report shows, from the live plan for a draft or
from a published report's frozen copy."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from itertools import groupby

from django.utils import timezone

from actions.changes import Changes
from actions.positions import Position
from themes.periods import Quarter

from .exceptions import ReportExceptions
from .summary import COUNT_LABELS, ReportSummary
from .tables import ReportTables
from .words import WORDING, long_date, moment

__all__ = ["COUNT_LABELS", "ReportContent"]


@dataclass
class ReportContent(ReportSummary, ReportExceptions, ReportTables):
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
