from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from actions.models import RAG, ProgressUpdate, Status
from actions.services import progress_update_record
from tests.factories import (
    ActionFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)

TODAY = date(2023, 5, 15)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(date(2023, 5, 15), tick=False):
        yield


@pytest.fixture
def action(db):
    return ActionFactory(theme=ThemeFactory(plan=PlanFactory(starts_on=date(2022, 4, 1))))


@pytest.fixture
def officer(db):
    return UserFactory(username="officer")


def record(action, officer, **fields):
    values = {"reported_on": TODAY, "status": Status.IN_PROGRESS, "rag": RAG.GREEN}
    values.update(fields)
    return progress_update_record(action=action, entered_by=officer, **values)


def errors_from(action, officer, **fields):
    with pytest.raises(ValidationError) as error:
        record(action, officer, **fields)
    return error.value.message_dict


def test_recording_an_update_stores_who_entered_it_and_every_field(action, officer):
    update = record(
        action,
        officer,
        working_well="Board re-established; minutes on the intranet.",
        worried_about="",
        evidence="Terms of reference agreed 3 May.",
        evidence_links="https://intranet.example.org/board/minutes",
    )

    stored = ProgressUpdate.objects.get(pk=update.pk)
    assert stored.entered_by == officer
    assert stored.action == action
    assert stored.reported_on == TODAY
    assert stored.working_well == "Board re-established; minutes on the intranet."
    assert stored.evidence_link_list == ["https://intranet.example.org/board/minutes"]


def test_recording_never_changes_an_earlier_update(action, officer):
    earlier = ProgressUpdateFactory(
        action=action, reported_on=date(2023, 4, 1), rag=RAG.GREEN, working_well="As it was."
    )

    record(action, officer, rag=RAG.GREEN, working_well="A correction.")

    earlier.refresh_from_db()
    assert earlier.working_well == "As it was."
    assert action.progress_updates.count() == 2


def test_a_future_date_is_refused(action, officer):
    errors = errors_from(action, officer, reported_on=date(2023, 5, 16))

    assert errors["reported_on"] == [
        "The date it reports on can’t be in the future: today is 15 May 2023."
    ]
    assert not ProgressUpdate.objects.exists()


def test_today_is_allowed(action, officer):
    assert record(action, officer, reported_on=TODAY).pk


def test_a_date_before_the_plan_started_is_refused(action, officer):
    errors = errors_from(action, officer, reported_on=date(2022, 3, 31))

    assert errors["reported_on"] == [
        "The date it reports on can’t be before the plan started (1 April 2022)."
    ]


def test_an_unfinished_action_needs_a_rag(action, officer):
    assert errors_from(action, officer, rag="")["rag"] == [
        "Choose a RAG rating: Red, Amber or Green."
    ]


@pytest.mark.parametrize("status", [Status.COMPLETE, Status.CLOSED])
def test_a_finished_action_needs_no_rag(action, officer, status):
    assert record(action, officer, status=status, rag="", evidence="Signed off by the board.")


def test_marking_complete_needs_evidence(action, officer):
    errors = errors_from(action, officer, status=Status.COMPLETE, rag="")

    assert errors["evidence"] == [
        "Marking an action Complete needs evidence: say how we know it was done."
    ]
    assert not ProgressUpdate.objects.exists()


def test_a_link_is_enough_evidence_for_complete(action, officer):
    update = record(
        action, officer, status=Status.COMPLETE, rag="", evidence_links="https://example.org/x"
    )

    assert update.status == Status.COMPLETE


@pytest.mark.parametrize("rag", [RAG.RED, RAG.AMBER])
def test_red_or_amber_needs_the_worried_about_narrative(action, officer, rag):
    errors = errors_from(action, officer, rag=rag, worried_about="   ")

    rating = "A Red" if rag == RAG.RED else "An Amber"
    assert errors["worried_about"] == [
        f"{rating} rating needs “What are we worried about and what are we doing about it?”."
    ]


def test_changing_the_rag_needs_a_reason(action, officer):
    ProgressUpdateFactory(action=action, reported_on=date(2023, 4, 1), rag=RAG.GREEN)

    errors = errors_from(action, officer, rag=RAG.AMBER, worried_about="Recruitment has stalled.")

    assert errors["rag_change_reason"] == ["The RAG has changed from Green to Amber: say why."]


def test_a_rag_change_with_a_reason_is_recorded(action, officer):
    ProgressUpdateFactory(action=action, reported_on=date(2023, 4, 1), rag=RAG.GREEN)

    update = record(
        action,
        officer,
        rag=RAG.AMBER,
        worried_about="Recruitment has stalled.",
        rag_change_reason="Two offers withdrawn.",
    )

    assert update.rag_change_reason == "Two offers withdrawn."


def test_a_first_rag_is_not_a_change(action, officer):
    ProgressUpdateFactory(action=action, reported_on=date(2023, 4, 1), rag="")

    assert record(action, officer, rag=RAG.AMBER, worried_about="Slipping.").pk


def test_the_rag_change_compares_with_the_update_before_the_reported_date(action, officer):
    ProgressUpdateFactory(action=action, reported_on=date(2023, 3, 1), rag=RAG.GREEN)
    ProgressUpdateFactory(
        action=action, reported_on=date(2023, 5, 1), rag=RAG.RED, worried_about="x"
    )

    # Reporting on 2 April: the update before it was Green, so Green is no change.
    assert record(action, officer, reported_on=date(2023, 4, 2), rag=RAG.GREEN).pk


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://example.org/file", "example.org/no-scheme", "data:text/html,x"],
)
def test_evidence_links_must_be_web_addresses(action, officer, link):
    errors = errors_from(action, officer, evidence_links=f"https://example.org/ok\n{link}")

    assert errors["evidence_links"] == [
        f"Evidence links must be web addresses starting http:// or https://. This is not: {link}"
    ]


@pytest.mark.parametrize(
    "field", ["working_well", "worried_about", "evidence", "evidence_links", "rag_change_reason"]
)
def test_a_100000_character_narrative_is_refused_with_its_length(action, officer, field):
    errors = errors_from(action, officer, **{field: "x" * 100_000})

    assert "Ensure this value has at most 10000 characters (it has 100000)." in errors[field]
    assert not ProgressUpdate.objects.exists()


def test_every_broken_rule_is_reported_at_once(action, officer):
    errors = errors_from(
        action, officer, reported_on=date(2023, 6, 1), status=Status.IN_PROGRESS, rag=RAG.RED
    )

    assert set(errors) == {"reported_on", "worried_about"}
