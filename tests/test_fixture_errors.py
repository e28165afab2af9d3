from pathlib import Path

import pytest
from django.core.management import call_command

from actions.models import Action, Lead, Timeframe
from tests.factories import PlanFactory
from themes.models import Plan

BAD_FIXTURE = Path(__file__).parent / "fixtures" / "impossible_timeframe.json"


@pytest.mark.django_db
def test_a_fixture_with_an_impossible_date_fails_naming_the_record_and_changes_nothing():
    already_there = PlanFactory(name="Plan already loaded", slug="already-loaded")

    with pytest.raises(ValueError) as error:
        call_command("loaddata", str(BAD_FIXTURE), verbosity=0)

    message = str(error.value)
    assert "actions.Timeframe" in message
    assert "Timeframe “31/09/21” is not a real date: September 2021 has 30 days." in message
    assert list(Plan.objects.all()) == [already_there]
    assert not Timeframe.objects.exists()
    assert not Lead.objects.exists()
    assert not Action.objects.exists()
