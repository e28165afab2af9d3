"""Text of only invisible characters (a zero-width space, a braille blank, pasted or typed
to get past a rule) is as good as empty wherever words are needed: the page would show a
reader nothing."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actions.models import RAG, ProgressUpdate, Status
from actions.services import progress_update_record
from cypeplan.inputs import has_words
from scrutiny.forms import ResponseForm
from tests.factories import ActionFactory, PlanFactory, ThemeFactory, UserFactory

INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d\u2060",
    "\ufeff",
    " \u00a0\u3000\n\t",
    "\u2800",
    "\u3164",
]


@pytest.fixture
def action(db):
    return ActionFactory(theme=ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1))))


@pytest.fixture
def officer(db):
    return UserFactory(username="officer")


def errors_from(action, officer, **fields):
    values = {"reported_on": date(2023, 5, 15), "status": Status.IN_PROGRESS, "rag": RAG.GREEN}
    values.update(fields)
    with (
        time_machine.travel(date(2023, 5, 15), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        progress_update_record(action=action, entered_by=officer, **values)
    return error.value.message_dict


@pytest.mark.parametrize("text", ["", *INVISIBLE])
def test_invisible_characters_are_not_words(text):
    assert not has_words(text)


@pytest.mark.parametrize("text", ["x", "\u200bDone", "–", "👍", "مدرسة", "e\u0301", "0"])
def test_anything_that_shows_is_words(text):
    assert has_words(text)


@pytest.mark.parametrize("evidence", INVISIBLE)
def test_marking_complete_needs_evidence_that_shows(action, officer, evidence):
    errors = errors_from(action, officer, status=Status.COMPLETE, rag="", evidence=evidence)

    assert errors["evidence"] == [
        "Marking an action Complete needs evidence: say how we know it was done."
    ]
    assert not ProgressUpdate.objects.exists()


def test_an_amber_rating_needs_worries_that_show(action, officer):
    errors = errors_from(action, officer, rag="amber", worried_about="\u200b")

    assert "worried_about" in errors


def test_an_answer_of_invisible_characters_is_no_answer():
    form = ResponseForm(data={"text": "\u200b\u2060", "considers_answered": "yes"})

    assert form.errors["text"]
