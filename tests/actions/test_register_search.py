"""The register's search box finds words however the apostrophe in them was typed (a phone,
with iOS's smart punctuation, and Word write it curly, the plans mostly straight), in any
case and with or without accents (people type names without them), on SQLite as on
PostgreSQL."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from cypeplan.inputs import searchable
from cypeplan.search import FUNCTION, _searchable_or_none
from tests.factories import ActionFactory, LeadFactory


def found(member, search):
    page = member.get(reverse("actions:register"), {"q": search}).content.decode()
    return set(re.findall(r'href="/actions/(\d+)/', page))


@pytest.fixture
def actions(db):
    return {
        "straight": ActionFactory(description="Review the children's social care front door"),
        "curly": ActionFactory(
            description="Launch the young people’s forum",
            lead=LeadFactory(name="Siobhán O’Neill"),
        ),
        "other": ActionFactory(description="Refresh the partnership agreement"),
    }


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("children's", "straight"),
        ("children’s", "straight"),
        ("CHILDREN‘S social", "straight"),
        ("people's forum", "curly"),
        ("people’s", "curly"),
        ("o'neill", "curly"),
        ("O’Neill", "curly"),
    ],
)
def test_a_search_finds_words_whichever_apostrophe_was_typed(member, actions, search, expected):
    assert found(member, search) == {str(actions[expected].pk)}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("roisin", "accented"),
        ("RÓISÍN", "accented"),
        ("róisín madden", "accented"),
        ("Roisin CHILDREN’S", "accented"),
        ("siobhan", "curly"),
        ("SIOBHÁN O'NEILL", "curly"),
        ("children's", "straight"),
        ("children’s", "straight"),
    ],
)
def test_a_search_finds_names_and_words_whatever_their_case_or_accents(
    member, actions, search, expected
):
    accented = ActionFactory(
        description="Agree the Children’s Partnership plan",
        lead=LeadFactory(name="Róisín Madden"),
    )
    rows = {**actions, "accented": accented}
    if expected == "straight":
        # "children's" is in both actions' words.
        assert found(member, search) == {str(actions["straight"].pk), str(accented.pk)}
    else:
        assert found(member, search) == {str(rows[expected].pk)}


@pytest.mark.parametrize("search", ["roisín partnership review", "madsen", "o'neil'l", "%", "_"])
def test_a_search_for_words_no_action_has_finds_nothing(member, actions, search):
    ActionFactory(description="Agree the plan", lead=LeadFactory(name="Róisín Madden"))

    assert found(member, search) == set()


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite folds text beyond ASCII by calling Python"
)
@pytest.mark.parametrize("led", [2, 12])
def test_a_search_reads_each_leads_name_once_however_many_actions_they_lead(member, led):
    """A lead's name was read again for each action they lead, in the page's count and in
    its rows: at 10,000 actions the lead's and timeframe's words were a third of the
    search's time. A name beyond ASCII is folded by Python, so the calls count the reads."""
    roisin = LeadFactory(name="Róisín Madden")
    for number in range(led):
        ActionFactory(
            description=f"Agree plan {number}", lead=roisin, timeframe__label="March 2023"
        )
    folded = []

    def counting(text):
        folded.append(text)
        return None if text is None else searchable(str(text))

    connection.ensure_connection()
    connection.connection.create_function(FUNCTION, 1, counting, deterministic=True)
    try:
        assert len(found(member, "madden")) == led
    finally:
        connection.connection.create_function(FUNCTION, 1, _searchable_or_none, deterministic=True)

    # The count's and the page's: once each, not once per action.
    assert folded.count("Róisín Madden") == 2
