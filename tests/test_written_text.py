"""Every box people type into counts a line break as the box does (one character), not as
the browser sends it (CR LF, two), and refuses text that is too long naming the box, its
limit and the count. The record-an-update form is tried end to end in
tests/actions/test_record_update.py; here, each other form's boxes."""

import pytest

from imports.forms import DateConfirmationForm
from reports.forms import PublishForm
from scrutiny.forms import DecisionForm, ItemForm, MeetingForm, ResponseForm
from tests.factories import ItemFactory, MeetingFactory


def forms(meeting, item):
    return {
        "meeting": lambda data: MeetingForm(data),
        "item": lambda data: ItemForm(data, meeting=meeting),
        "answer": lambda data: ResponseForm(data),
        "decision": lambda data: DecisionForm(data, item=item),
        "date confirmation": lambda data: DateConfirmationForm(data),
        "publish": lambda data: PublishForm(data),
    }


BOXES = [
    ("meeting", "committee", "Committee", 200),
    ("meeting", "minute_numbers", None, 100),
    ("item", "words", "Words as minuted", 10_000),
    ("item", "minute", "Minute it comes from", 20),
    ("item", "answerer_as_minuted", "Who must answer, as the minutes name them", 200),
    ("answer", "text", "Your answer", 10_000),
    ("answer", "evidence", "Evidence", 10_000),
    ("answer", "evidence_links", "Links", 10_000),
    ("decision", "reason", "Reason", 10_000),
    ("date confirmation", "reason", "Who confirmed it, and why", 2_000),
    ("publish", "report_to", "Report to", 300),
    ("publish", "origin_of_item", "Origin of item", 300),
]


@pytest.fixture
def build(db):
    meeting = MeetingFactory()
    return forms(meeting, ItemFactory(meeting=meeting))


@pytest.mark.parametrize(("form", "name", "label", "limit"), BOXES)
def test_a_box_counts_line_breaks_as_one_character(build, form, name, label, limit):
    typed = "\n".join(["w" * ((limit - 1) // 2), "w" * (limit - 1 - (limit - 1) // 2)])
    assert len(typed) == limit

    bound = build[form]({name: typed.replace("\n", "\r\n")})
    bound.is_valid()

    assert name not in bound.errors
    assert bound.cleaned_data[name] == typed


@pytest.mark.parametrize(("form", "name", "label", "limit"), BOXES)
def test_a_box_refuses_more_than_its_limit_naming_itself(build, form, name, label, limit):
    bound = build[form]({name: "w" * limit + "\r\nw"})
    named = f"“{label or bound.fields[name].label}”"

    assert not bound.is_valid()
    assert bound.errors[name] == [
        f"{named} must be {limit:,} characters or fewer: it has {limit + 2:,}."
    ]
