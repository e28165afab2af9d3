"""The rows and tables a report shows, as plain text."""

from dataclasses import dataclass


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
