"""A sentence ending with a quotation has one full stop, not “…by school.”."""

import pytest

from cypeplan.forms import full_stop_after


@pytest.mark.parametrize(
    "quotation, stop",
    [
        ("Agree the protocol", "."),
        ("Agree the protocol by school.", ""),
        ("Who decided?", ""),
        ("Not again!", ""),
        ("Ends with a stop and a space. ", ""),
        ("Shortened at 80 characters…", "."),
    ],
)
def test_a_quotation_ending_a_sentence_of_its_own_takes_no_second_full_stop(quotation, stop):
    assert full_stop_after(quotation) == stop
