"""Every page runs the same number of queries for a plan of 5 actions as for one of 500.

The pages are actions.management.benchmark.PAGES, the list `make bench` times, so a page
added there fails here until its count is written down below with the queries behind it.

Every page a signed-in reader opens starts with the same four queries:
  session, user, the user's own permissions, their groups' permissions.
Pages that answer for a plan then read the plans (Scope: the plan picker and ?plan=).
"late entries" are the six queries of the notice about a past as-at date (includes/
late_entries.html, in the scope area): COUNTs of what was entered after it and changes the
position as at it (the updates that report on or before it, those corrected, the due dates
confirmed and the timeframes changed) and of the actions added to the plan after it, which
the page leaves out; and the actions given another lead or theme since, which it shows where
they are now. These tests ask for a past date.
"""

from datetime import date

import pytest

from actions.demo import demo_plan_generate
from actions.management.benchmark import (
    PAGES,
    demo_sample,
    demo_visitors,
    page_url,
)

AS_AT = date(2025, 9, 30)

QUERIES = {
    # session, user, permissions x2, plans (with the data's version, cypeplan/kept.py);
    # rag_by_theme() (the counts and RAG of every theme, in one grouped query) unless they
    # are kept under that version (then 12: tests/test_kept.py); late entries; the latest
    # published quarterly report (reports' panel: with one, at its quarter end also the
    # updates entered since, tests/reports/test_query_counts.py)
    "dashboard": 13,
    "dashboard, nothing kept": 13,
    # session, user, permissions x2, plans; late entries; one page of actions with their
    # state, theme, lead and timeframe, each row with the list's length (no COUNT: every
    # action's state is worked out once, cypeplan/paging.py)
    "overdue by lead": 12,
    "overdue by theme": 12,
    "at risk by lead": 12,
    "at risk by theme": 12,
    # session, user, permissions x2, plans; the ?plan= filter's plan; COUNT for the
    # table's paginator; the filter form's plans, themes, leads, divisions and sources;
    # one page of actions; late entries
    "register": 19,
    "register, overdue": 19,
    "register, search": 19,
    "register, search (no match)": 19,
    # session, user, permissions x2, plans; the ?plan= filter's plan; every matching
    # action's values with its latest narratives in one query (no COUNT: a download is
    # not paged)
    "register CSV": 7,
    "register XLSX": 7,
    # session, user, permissions x2, plans; every listed action's values with its latest
    # narratives in one query
    "overdue by lead CSV": 6,
    "at risk by theme XLSX": 6,
    # session, user, permissions x2, plans; the action with plan, lead, division and
    # timeframe (and whether members' items concern it, for scrutiny's panel: none do, so
    # the panel asks for none, tests/scrutiny/test_pages_at_scale.py counts one that
    # does); its supporting leads, sub-steps (with timeframes) and updates (with who
    # entered them); late entries
    "action": 15,
    # session, user, permissions x2, plans; the lead with division; a page of their actions
    # with state, plan, lead and timeframe, each row with the list's length; their
    # delegates; late entries; the actions given or lost them as a supporting lead since
    "lead (busiest)": 15,
    # session, user, permissions x2, plans; the theme with plan; its savings; a page of its
    # actions with state, lead and timeframe, each row with the list's length; the plan's
    # counts by theme (rag_by_theme, the dashboard's, read for its row); late entries
    "theme (largest)": 15,
    # session, user, permissions x2, plans; COUNT for the paginator (the demo enters each
    # update on the day it reports on, so there are none: tests/actions/test_late_entries.py
    # counts a page of them, with their action, theme, plan and who entered them); the
    # updates corrected later; the due dates confirmed later; the timeframes changed later
    # (the actions' own; shared ones'); the actions added since (with who added them); the
    # actions moved since
    "late entries": 12,
    # session, user, permissions x2, plans; the leads the officer is; the leads they are
    # a delegate for; a page of their actions with state, plan, lead and timeframe, each
    # row with the list's length; scrutiny's panel: the items they owe an answer to
    "my actions": 9,
    # session, user; the action with plan, lead and timeframe; permissions x2; may they
    # update it (EXISTS); the latest update; the newest update's id; the action's state
    "record an update": 9,
}


@pytest.fixture(params=[5, 500], ids=lambda size: f"{size} actions")
def demo(request, db):
    plan = demo_plan_generate(actions=request.param, updates_per_action=3, as_at=AS_AT)
    sample = demo_sample(plan)
    return plan, sample, demo_visitors(sample)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_page_runs_the_same_number_of_queries_however_big_the_plan(
    page, demo, client, django_assert_num_queries
):
    assert page.name in QUERIES, f"Count the queries of “{page.name}” and add it to QUERIES."
    plan, sample, visitors = demo
    client.force_login(visitors[page.visitor])
    url = page_url(page, plan=plan, sample=sample, as_at=AS_AT)

    with django_assert_num_queries(QUERIES[page.name], info=url):
        response = client.get(url)
        # A streamed download reads its rows as it is sent.
        b"".join(response) if response.streaming else response.content

    assert response.status_code == 200
