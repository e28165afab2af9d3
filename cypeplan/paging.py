"""Pages of a list, and the list's length, from one query."""

import sys

from django.core.paginator import Paginator
from django.db.models import Count, Window

from .kept import kept_rows


class OneQueryPaginator(Paginator):
    """A Paginator for a list whose every row is worked out before any is shown (an
    exception list filters and sorts on each action's state as at a date): the rows of a
    page each carry the length of the whole list (COUNT(*) OVER ()), so the list is worked
    out once, not once to count it and again for the page. Django's Paginator runs both.

    get_page behaves as Paginator.get_page: page 1 for a number that isn't one, the last
    page for a number past the end (which takes the count and the page again).

    `kept_as`: what the list is kept under while nothing in the database changes (the
    page, what the list is about and the as-at date; cypeplan/kept.py), with `version`, the
    data's version as the page read it. A kept page takes no query."""

    def __init__(self, object_list, per_page, *, kept_as=None, version=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.kept_as = kept_as
        self.version = version

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        start = (number - 1) * self.per_page
        if number < 1 or start + self.per_page > sys.maxsize:
            # Before the first page, or past the end of any list a database can hold (and
            # past what its OFFSET takes): as Paginator does.
            return super().get_page(number)
        counted = self.object_list.annotate(list_length=Window(Count("pk")))
        if self.kept_as is None:
            rows = list(counted[start : start + self.per_page])
        else:
            rows = kept_rows(
                counted,
                *self.kept_as,
                number,
                self.per_page,
                version=self.version,
                sliced=(start, start + self.per_page),
            )
        if rows:
            self.count = rows[0].list_length
        elif number == 1:
            self.count = 0
        else:
            return super().get_page(number)
        return self._get_page(rows, number, self)
