"""Pages of a list, and the list's length, from one query."""

import sys

from django.core.paginator import Page, Paginator
from django.db.models import Count, Window

from .kept import kept_value, rows_and_version


class OneQueryPaginator(Paginator):
    """A Paginator for a list whose every row is worked out before any is shown (an
    exception list filters and sorts on each action's state as at a date): the rows of a
    page each carry the length of the whole list (COUNT(*) OVER ()), so the list is worked
    out once, not once to count it and again for the page. Django's Paginator runs both.

    get_page behaves as Paginator.get_page: page 1 for a number that isn't one, the last
    page for a number past the end (which takes the count and the page again).

    `versioned`: the page's rows read the data's version too (cypeplan/kept.py), in
    `version_seen` after get_page; None when get_page took Paginator's way."""

    def __init__(self, object_list, per_page, *, versioned=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.versioned = versioned
        self.version_seen = None

    def get_page(self, number):
        number = _page_number(number)
        start = (number - 1) * self.per_page
        if number < 1 or start + self.per_page > sys.maxsize:
            # Before the first page, or past the end of any list a database can hold (and
            # past what its OFFSET takes): as Paginator does.
            return super().get_page(number)
        counted = self.object_list.annotate(list_length=Window(Count("pk")))
        if self.versioned:
            rows, self.version_seen = rows_and_version(counted, (start, start + self.per_page))
        else:
            rows = list(counted[start : start + self.per_page])
        if rows:
            self.count = rows[0].list_length
        elif number == 1:
            self.count = 0
        else:
            self.version_seen = None
            return super().get_page(number)
        return self._get_page(rows, number, self)


class DrawnPage(Page):
    """A page of a list as drawn (drawn_page): `drawn`, the markup of its rows, in place
    of the rows themselves; its length is how many rows it drew."""

    def __init__(self, drawn, rows, number, paginator):
        super().__init__((), number, paginator)
        self.drawn = drawn
        self.rows = rows

    def __len__(self):
        return self.rows


def drawn_page(actions, per_page, number, draw, *, kept_as, version):
    """Page `number` of the list `actions()` gives (OneQueryPaginator), drawn by
    `draw(page)` into markup: a DrawnPage, kept as drawn under `kept_as` and `version`, the
    data's version as the page read it, while nothing in the database changes
    (cypeplan/kept.py). `kept_as` names everything `draw` reads besides the page. A kept
    page runs no query, and neither builds the list's query nor draws a row: reading its
    rows back and drawing them was most of an exception list's time."""
    number = _page_number(number)

    def work_out():
        paginator = OneQueryPaginator(actions(), per_page, versioned=True)
        page = paginator.get_page(number)
        return (draw(page), len(page), page.number, paginator.count), paginator.version_seen

    drawn, rows, shown_number, count = kept_value(
        (*kept_as, "drawn", number, per_page), version, work_out
    )
    paginator = Paginator((), per_page)
    paginator.count = count
    return DrawnPage(drawn, rows, shown_number, paginator)


def _page_number(number):
    """The page number asked for, or 1 for one that isn't a number (as Paginator.get_page)."""
    try:
        return int(number)
    except (TypeError, ValueError):
        return 1
