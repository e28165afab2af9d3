"""What a plan import refuses in its preview, naming the row, column and value, before
anything is written: by the web's preview and by the command alike."""

import pytest
from django.core.management import CommandError

from imports.reading import FileProblems
from imports.services import plan_import_preview
from tests.imports.rows import table_counts
from tests.imports.test_plan_import import _good_row, _header, _xlsx, import_file
from themes.models import Plan


def refused(data, administrator, plan_slug=""):
    """The preview's problems; nothing may be stored by it."""
    before = table_counts()
    with pytest.raises(FileProblems) as error:
        plan_import_preview(
            file_name="plan.xlsx", data=data, plan_slug=plan_slug, user=administrator
        )
    assert table_counts() == before
    return error.value.messages


def test_a_new_plan_named_without_letters_or_digits_is_refused_naming_the_cell(
    administrator, tmp_path
):
    data = _xlsx([_header(), _good_row(Plan="計画")])

    problems = refused(data, administrator)

    assert problems == [
        "Row 2, Plan: “計画”: a new plan’s name needs a letter from A to Z or a digit in it, "
        "to make its web address (“CYPE Directorate Plan 2022-24” makes "
        "“cype-directorate-plan-2022-24”). Add one to the name, such as the years it runs."
    ]
    with pytest.raises(CommandError, match="short name “計画” can hold only letters a to z"):
        import_file(data, "計画", tmp_path)
    assert not Plan.objects.exists()


def test_a_new_plan_whose_web_address_another_plan_has_is_refused(administrator):
    Plan.objects.create(
        name="Bad plan", slug="bad-plan", starts_on="2024-04-01", ends_on="2026-03-31"
    )
    data = _xlsx([_header(), _good_row(Plan="Bad plan!")])

    problems = refused(data, administrator)

    assert (
        "Row 2, Plan: “Bad plan!”: a new plan’s web address is made from its name, and this "
        "one’s, “bad-plan”, is already the plan “Bad plan”’s. Choose that plan to import "
        "into, or name the new plan differently."
    ) in problems
    assert Plan.objects.get().name == "Bad plan"
