"""What a plan import refuses in its preview, naming the row, column and value, before
anything is written: by the web's preview and by the command alike."""

import pytest
from django.core.management import CommandError

from imports.reading import FileProblems
from imports.services import plan_import_preview
from tests.factories import UserFactory
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


def test_a_new_plan_ending_before_it_starts_is_refused_naming_both_dates(administrator, tmp_path):
    backwards = {"Plan starts": "01/04/2025", "Plan ends": "31/03/2020"}
    data = _xlsx([_header(), _good_row(**backwards), _good_row(Reference="1.2", **backwards)])

    problems = refused(data, administrator)

    assert problems == [
        "Row 2, Plan ends: “31/03/2020”: a plan must end after the day it starts, and row "
        "2’s Plan starts is “01/04/2025”."
    ]
    with pytest.raises(CommandError, match="row 2’s Plan starts is “01/04/2025”"):
        import_file(data, "bad-plan", tmp_path)
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"Plan ends": "31/03/2020", "Plan starts": ""},
            "Row 2, Plan ends: “31/03/2020”: a plan must end after the day it starts, and in "
            "cypeplan it starts on 01/04/2024.",
        ),
        (
            {"Plan ends": "", "Plan starts": "01/04/2026"},
            "Row 2, Plan starts: “01/04/2026”: a plan must end after the day it starts, and in "
            "cypeplan it ends on 31/03/2026.",
        ),
    ],
)
def test_an_existing_plan_moved_to_end_before_it_starts_is_refused(cells, expected, administrator):
    Plan.objects.create(
        name="Bad plan", slug="bad-plan", starts_on="2024-04-01", ends_on="2026-03-31"
    )
    data = _xlsx([_header(), _good_row(**cells)])

    assert refused(data, administrator, plan_slug="bad-plan") == [expected]
    plan = Plan.objects.get()
    assert (str(plan.starts_on), str(plan.ends_on)) == ("2024-04-01", "2026-03-31")


def test_writing_a_plan_that_ends_before_it_starts_is_refused_not_a_server_error(
    administrator,
):
    from django.db import transaction

    from imports.layout import PLAN_COLUMNS
    from imports.plans import compare, plan_import_write
    from imports.reading import read_table

    rows = read_table("plan.xlsx", _xlsx([_header(), _good_row()]), PLAN_COLUMNS)
    preview = compare(rows)
    preview["plan"]["ends"] = "31/03/2020"  # as if the preview had let it through
    before = table_counts()

    with pytest.raises(FileProblems) as error, transaction.atomic():
        plan_import_write(preview=preview, user=administrator, file_name="plan.xlsx")

    assert error.value.messages == [
        "The plan “Bad plan”: The plan must end after it starts: it starts on 1 April 2024."
    ]
    assert table_counts() == before


def test_rows_giving_the_plan_different_dates_are_refused_naming_both(administrator):
    Plan.objects.create(
        name="Bad plan", slug="bad-plan", starts_on="2024-04-01", ends_on="2026-03-31"
    )
    data = _xlsx(
        [
            _header(),
            _good_row(),
            _good_row(Reference="1.2", **{"Plan ends": "31/03/2027"}),
            _good_row(Reference="1.3", **{"Plan starts": "1/4/24"}),  # the same day
            _good_row(Reference="1.4", **{"Plan starts": "02/04/2024"}),
        ]
    )

    assert refused(data, administrator, plan_slug="bad-plan") == [
        "Row 3, Plan ends: “31/03/2027”: every row must give the plan the same date it "
        "ends, and row 2 says “31/03/2026”.",
        "Row 5, Plan starts: “02/04/2024”: every row must give the plan the same date it "
        "starts, and row 2 says “01/04/2024”.",
    ]


def test_rows_for_different_plans_name_the_row_the_first_name_came_from(administrator):
    data = _xlsx(
        [
            _header(),
            _good_row(Plan=""),
            _good_row(Reference="1.2"),
            _good_row(Reference="1.3", Plan="Some Other Plan"),
        ]
    )

    assert refused(data, administrator) == [
        "Row 4, Plan: “Some Other Plan”: every row must be for one plan, and row 3 says “Bad plan”."
    ]


def test_a_file_for_another_plan_names_the_row_its_name_is_on(administrator):
    Plan.objects.create(
        name="Bad plan", slug="bad-plan", starts_on="2024-04-01", ends_on="2026-03-31"
    )
    data = _xlsx([_header(), _good_row(Plan=""), _good_row(Reference="1.2", Plan="Other")])

    assert refused(data, administrator, plan_slug="bad-plan") == [
        "Row 3, Plan: “Other”: this file is for another plan than “Bad plan”."
    ]


def test_the_command_says_there_is_no_such_user_and_writes_nothing(db, tmp_path):
    UserFactory(username="root", is_superuser=True)
    before = table_counts()

    with pytest.raises(CommandError) as error:
        import_file(_xlsx([_header(), _good_row()]), "bad-plan", tmp_path, user="nobody")

    assert str(error.value) == (
        "There is no user “nobody”: give --user the username of someone who can sign in "
        "to cypeplan."
    )
    assert table_counts() == before


def _with_notes_first(rows):
    """A workbook whose first sheet is someone's notes, the rows on the next."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["Sent to the Head of Service for checking"])
    plan = book.create_sheet("Plan")
    for row in rows:
        plan.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def test_the_sheet_with_the_layouts_headings_is_read_wherever_it_is(administrator):
    data = _with_notes_first([_header(), _good_row()])

    record = plan_import_preview(file_name="plan.xlsx", data=data, plan_slug="", user=administrator)

    assert record.preview["plan"]["name"] == "Bad plan"
    assert record.preview["counts"]["add"] == 1


def test_a_workbook_with_no_sheet_in_the_layout_names_the_sheet_read(administrator):
    data = _with_notes_first([_header()[:3], _good_row()[:3]])

    problem, unknown = refused(data, administrator)

    assert problem.startswith("Row 1 (the header row) is missing the columns “Plan”, ")
    assert problem.endswith(
        "Download the template to see the layout. This is the sheet “Notes”, the workbook’s "
        "first: no sheet in it has every heading."
    )
    assert unknown.startswith("Row 1 (the header row) has column we don’t know: “Sent to")


def test_a_password_protected_or_old_xls_workbook_is_said_to_be_one(administrator):
    # How an OLE compound file starts, as an encrypted .xlsx or a .xls does.
    data = bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504)

    assert refused(data, administrator) == [
        "The file is called .xlsx but is a password-protected workbook or an old Excel "
        "97-2003 (.xls) one, which we can’t read. If it has a password, remove it (File, "
        "Info, Protect Workbook, Encrypt with Password); if it is an old .xls, save it "
        "again from Excel as “Excel Workbook (.xlsx)”."
    ]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            {"Timeframe as written": "2023-03-31"},
            "Row 2, Timeframe as written: “2023-03-31”: could not read it as a date. Write "
            "dates day first (30/09/2021) or as a month (September 2021).",
        ),
        (
            {"Timeframe as written": "By 2023-03-31"},
            "Row 2, Timeframe as written: “By 2023-03-31”: could not read “2023-03-31” as a "
            "date. Write dates day first (30/09/2021) or as a month (September 2021).",
        ),
        (
            {"Timeframe as written": "00/03/2023"},
            "Row 2, Timeframe as written: “00/03/2023” is not a real date: there is no day 0.",
        ),
        (
            {"Plan starts": "00/04/2024"},
            "Row 2, Plan starts: “00/04/2024”: is not a real date: there is no day 0.",
        ),
    ],
)
def test_a_date_that_cant_be_read_is_said_once_saying_why(cells, expected, db, tmp_path):
    with pytest.raises(CommandError) as error:
        import_file(
            _xlsx([_header(), _good_row(**cells)]),
            "bad-plan",
            tmp_path,
            **{"dates_to_confirm": False},
        )

    assert expected in str(error.value).splitlines()
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("column", "typed", "shown"),
    [
        ("Plan ends", "31/12/9999", "31 December 9999"),
        ("Plan starts", "01/01/0023", "1 January 0023"),
    ],
)
def test_a_plan_date_outside_the_services_years_is_refused_naming_the_cell(
    administrator, column, typed, shown
):
    dates = {"Plan starts": "01/04/2024", "Plan ends": "31/03/2026", column: typed}
    data = _xlsx([_header(), _good_row(**dates)])

    problems = refused(data, administrator)

    assert problems == [
        f"Row 2, {column}: “{typed}”: “{shown}” is outside the dates this service answers "
        "for: enter a date between 1 January 1900 and 31 December 2999."
    ]
    assert not Plan.objects.exists()
