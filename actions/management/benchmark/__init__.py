"""The parts of `make bench` (manage.py benchmark_pages) that aren't the command itself:
the pages it times, the reference queries it checks, and the table it prints."""

from .pages import FLOOR, PAGES, PAST, Page, demo_sample, demo_visitors, page_url, visit
from .references import (
    REFERENCES,
    app_dashboard_queries,
    app_download_query,
    check_against_references,
)
from .results import FLOOR_TIMES, PAST_SCALING, REFERENCE_TIMES, TODAY_SCALING, XLSX_TIMES, Results
from .timing import percentile, timed

__all__ = [
    "FLOOR",
    "FLOOR_TIMES",
    "PAGES",
    "PAST",
    "PAST_SCALING",
    "Page",
    "REFERENCES",
    "REFERENCE_TIMES",
    "Results",
    "TODAY_SCALING",
    "XLSX_TIMES",
    "app_dashboard_queries",
    "app_download_query",
    "check_against_references",
    "demo_sample",
    "demo_visitors",
    "page_url",
    "percentile",
    "timed",
    "visit",
]
