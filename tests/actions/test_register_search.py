"""The register's search box finds words however the apostrophe in them was typed: a phone
(iOS's smart punctuation) and Word write it curly, the plans mostly straight."""

import re

import pytest
from django.urls import reverse

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
