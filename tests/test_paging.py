"""OneQueryPaginator: the pages, their numbers and the list's length that Django's
Paginator gives, from one query per page instead of a COUNT and a page."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from cypeplan.paging import OneQueryPaginator
from tests.factories import ActionFactory, ThemeFactory


@pytest.fixture
def actions(db):
    theme = ThemeFactory()
    for position in range(1, 8):
        ActionFactory(theme=theme, position=position, reference=f"1.{position}")
    return Action.objects.filter(theme=theme).order_by("-position")


def shown(page):
    return (
        [action.reference for action in page],
        page.number,
        page.paginator.count,
        page.paginator.num_pages,
        page.has_next(),
        page.has_previous(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize(
    "number", [1, 2, 3, "2", None, "", "abc", "0", "-1", 4, "99", "99999999999999999999"]
)
def test_gives_the_page_djangos_paginator_gives(actions, number):
    expected = shown(Paginator(actions, 3).get_page(number))

    assert shown(OneQueryPaginator(actions, 3).get_page(number)) == expected


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_and_the_lists_length_are_one_query(actions, number):
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(actions, 3).get_page(number)
        seen = shown(page)

    assert len(queries) == 1
    assert seen[2:4] == (7, 3)


def test_an_empty_list_is_one_empty_first_page_from_one_query(db):
    with CaptureQueriesContext(connection) as queries:
        page = OneQueryPaginator(Action.objects.order_by("pk"), 3).get_page(1)
        seen = shown(page)

    assert len(queries) == 1
    assert seen == ([], 1, 0, 1, False, False, 0, 0)
