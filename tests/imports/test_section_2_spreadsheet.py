"""Section 2 of the improvement plan ships twice, as a fixture and as a spreadsheet in the
import layout; both must give the same rows."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.factories import UserFactory
from tests.imports.rows import plan_rows

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SECTION_1 = FIXTURES / "childrens_continuous_improvement_plan_2021_24.json"
SECTION_2 = FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"
SPREADSHEET = FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.xlsx"
SLUG = "childrens-continuous-improvement-plan-2021-24"


class Undo(Exception):
    """Raised to roll the import back once its rows are read."""


@pytest.fixture
def section_1(db):
    UserFactory(username="admin", is_superuser=True)
    call_command("loaddata", str(SECTION_1), verbosity=0)


def test_fixture_and_spreadsheet_give_the_same_rows(section_1):
    with pytest.raises(Undo), transaction.atomic():
        call_command(
            "import_plan",
            str(SPREADSHEET),
            plan=SLUG,
            dates_to_confirm=True,
            create_leads=True,
            verbosity=0,
        )
        imported = plan_rows()
        raise Undo

    call_command("loaddata", str(SECTION_2), verbosity=0)

    assert plan_rows() == imported
