"""Importing a plan from a spreadsheet: the round trip, stable identity, one changed cell,
and each bad file named by row, column and value with nothing written."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from actions.models import Action, Lead, Status
from imports.layout import PLAN_COLUMNS, plan_rows, template_workbook, workbook
from imports.models import PlanImport
from imports.plans import lead_names
from imports.reading import FileProblems
from imports.services import PreviewMoved, plan_import_confirm, plan_import_preview
from tests.factories import ActionFactory, LeadFactory, ProgressUpdateFactory, UserFactory
from tests.imports.conftest import edited, sheet_rows
from tests.imports.rows import plan_rows as database_rows
from tests.imports.rows import table_counts
from themes.models import Plan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SECTION_2 = FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.xlsx"
IMPROVEMENT = "childrens-continuous-improvement-plan-2021-24"
CYPE = "cype-directorate-plan-2022-24"


@pytest.fixture
def real_plans(db):
    call_command("load_plans", verbosity=0)


def import_file(path_or_bytes, slug, tmp_path, name="plan.xlsx", **options):
    if isinstance(path_or_bytes, bytes):
        path = tmp_path / name
        path.write_bytes(path_or_bytes)
    else:
        path = path_or_bytes
    options = {"dates_to_confirm": True, "create_leads": True, **options}
    call_command("import_plan", str(path), plan=slug, verbosity=0, **options)


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("PB, MW", ["PB", "MW"]),
        ("RM, with CD", ["RM", "CD"]),
        ("SH KC", ["SH", "KC"]),
        ("EB, DJ", ["EB", "DJ"]),
        ("ST/SH", ["ST", "SH"]),
        ("JM and SC", ["JM", "SC"]),
        ("Iain Low (IL), Kerry Crichlow", ["Iain Low (IL)", "Kerry Crichlow"]),
    ],
)
def test_several_people_in_one_cell_first_is_accountable(cell, names):
    assert lead_names(cell) == names


def test_export_then_import_into_an_empty_database_gives_the_same_rows(real_plans, tmp_path):
    UserFactory(username="root", is_superuser=True)
    files = {slug: workbook(plan_rows(Plan.objects.get(slug=slug))) for slug in (CYPE, IMPROVEMENT)}
    before = database_rows()

    call_command("flush", interactive=False, verbosity=0)
    UserFactory(username="root", is_superuser=True)
    for slug, data in files.items():
        import_file(data, slug, tmp_path, name=f"{slug}.xlsx")

    assert database_rows() == before


def test_the_same_file_twice_changes_nothing(real_plans, tmp_path):
    UserFactory(username="root", is_superuser=True)
    data = workbook(plan_rows(Plan.objects.get(slug=CYPE)))
    import_file(data, CYPE, tmp_path)
    before = database_rows(), table_counts()

    import_file(data, CYPE, tmp_path)

    after_rows, after_counts = database_rows(), table_counts()
    assert after_rows == before[0]
    # Only the record of the import itself is new.
    assert after_counts == {**before[1], "imports.PlanImport": before[1]["imports.PlanImport"] + 1}


def test_one_changed_cell_previews_and_writes_exactly_that_change(real_plans, administrator):
    data = workbook(plan_rows(Plan.objects.get(slug=CYPE)))
    rows = sheet_rows(data)
    column = [column.key for column in PLAN_COLUMNS].index("expected_outcome") + 1
    old = rows[3][column - 1]

    def edit(sheet):
        sheet.cell(row=4, column=column).value = "Partners report faster information sharing"

    before = database_rows()
    record = plan_import_preview(
        file_name="edited.xlsx", data=edited(data, edit), plan_slug=CYPE, user=administrator
    )

    counts = record.preview["counts"]
    assert (counts["add"], counts["change"], counts["close"], counts["remove"]) == (0, 1, 0, 0)
    changed = [
        entry
        for theme in record.preview["themes"]
        for entry in theme["actions"]
        if entry["action"] == "change"
    ]
    assert [entry["row"] for entry in changed] == [4]
    assert changed[0]["changes"] == [
        ["Expected outcome", old, "Partners report faster information sharing"]
    ]
    assert database_rows() == before  # a preview writes nothing to the plan

    plan_import_confirm(plan_import=record, user=administrator)

    after = database_rows()
    differences = [
        (old_row, new_row)
        for old_row, new_row in zip(before["actions"], after["actions"], strict=True)
        if old_row != new_row
    ]
    assert len(differences) == 1
    assert differences[0][1][5] == "Partners report faster information sharing"
    assert {key: value for key, value in after.items() if key != "actions"} == {
        key: value for key, value in before.items() if key != "actions"
    }
    record.refresh_from_db()
    assert record.status == PlanImport.CONFIRMED
    assert record.changes["counts"]["change"] == 1


def test_an_action_with_progress_left_out_is_closed_never_deleted(real_plans, administrator):
    plan = Plan.objects.get(slug=CYPE)
    keep = Action.objects.filter(theme__plan=plan).order_by("theme__position", "position")
    with_progress = keep[0]
    ProgressUpdateFactory(action=with_progress)
    rows = plan_rows(plan)
    without = ActionFactory(theme=with_progress.theme, position=99)
    data = workbook([row for row in rows if row["action"] != with_progress.description])

    record = plan_import_preview(
        file_name="less.xlsx", data=data, plan_slug=CYPE, user=administrator
    )
    plan_import_confirm(plan_import=record, user=administrator)

    with_progress.refresh_from_db()
    latest = with_progress.progress_updates.order_by("-reported_on", "-pk").first()
    assert latest.status == Status.CLOSED
    assert latest.progress_as_written == "No longer in the plan: left out of less.xlsx"
    assert with_progress.progress_updates.count() == 2
    assert not Action.objects.filter(pk=without.pk).exists()


def test_an_action_members_asked_about_left_out_is_closed_never_deleted(real_plans, administrator):
    from tests.factories import ItemFactory, MeetingFactory

    plan = Plan.objects.get(slug=CYPE)
    asked = ActionFactory(theme=plan.themes.first(), position=99, description="Asked about")
    never = ActionFactory(theme=plan.themes.first(), position=98, description="Not asked")
    item = ItemFactory(meeting=MeetingFactory(held_on=date(2023, 1, 10)), actions=[asked])
    data = workbook(
        [row for row in plan_rows(plan) if row["action"] not in {"Asked about", "Not asked"}]
    )

    record = plan_import_preview(
        file_name="less.xlsx", data=data, plan_slug=CYPE, user=administrator
    )
    entries = {
        entry["description"]: entry
        for theme in record.preview["themes"]
        for entry in theme["actions"]
    }
    assert entries["Asked about"]["action"] == "close"
    assert entries["Asked about"]["kept_because"] == "members have asked about it (1 scrutiny item)"
    assert entries["Not asked"]["action"] == "remove"
    plan_import_confirm(plan_import=record, user=administrator)

    assert list(item.actions.all()) == [asked]
    assert asked.progress_updates.get().status == Status.CLOSED
    assert not Action.objects.filter(pk=never.pk).exists()


def test_the_preview_page_says_why_an_action_is_closed_not_removed(
    client, real_plans, administrator
):
    from django.urls import reverse

    from tests.factories import ItemFactory, MeetingFactory

    plan = Plan.objects.get(slug=CYPE)
    asked = ActionFactory(theme=plan.themes.first(), position=99, description="Asked about")
    meeting = MeetingFactory(held_on=date(2023, 1, 10))
    ItemFactory(meeting=meeting, actions=[asked])
    ItemFactory(meeting=meeting, actions=[asked])
    data = workbook([row for row in plan_rows(plan) if row["action"] != "Asked about"])
    record = plan_import_preview(
        file_name="less.xlsx", data=data, plan_slug=CYPE, user=administrator
    )
    client.force_login(administrator)

    page = client.get(reverse("imports:preview", args=[record.key])).content.decode()

    assert "Closed rather than removed: members have asked about it (2 scrutiny items)." in page


def test_a_reworded_action_stays_itself_when_the_one_above_it_is_deleted(real_plans, administrator):
    # The CYPE plan has no references: rows are matched by words, then by place. Deleting
    # "Ensure thorough inspection…" (never updated) moves the reworded action below it
    # into its place; its words, not its place, say which action it is.
    plan = Plan.objects.get(slug=CYPE)
    deleted = Action.objects.get(theme__plan=plan, description__startswith="Ensure thorough")
    reworded = Action.objects.get(
        theme__plan=plan, description__startswith="Ensure inspection recommendation"
    )
    ProgressUpdateFactory(action=reworded)
    words = "Ensure inspection recommendation responses are tracked, evidenced and reported to DLT"
    rows = []
    for row in plan_rows(plan):
        if row["action"] == deleted.description:
            continue
        if row["action"] == reworded.description:
            row = {**row, "action": words}
        rows.append(row)

    record = plan_import_preview(
        file_name="reworded.xlsx", data=workbook(rows), plan_slug=CYPE, user=administrator
    )

    entries = {
        entry["id"]: entry
        for theme in record.preview["themes"]
        for entry in theme["actions"]
        if "id" in entry
    }
    assert entries[reworded.pk]["action"] == "change"
    assert ["Action", reworded.description, words] in entries[reworded.pk]["changes"]
    assert entries[deleted.pk]["action"] == "remove"
    # The two actions below move up a place; nothing is closed.
    assert record.preview["counts"]["close"] == 0
    assert [
        entry["changes"]
        for entry in entries.values()
        if entry["action"] == "change" and entry["id"] != reworded.pk
    ] == [[["Place in theme", "3", "2"]], [["Place in theme", "4", "3"]]]

    plan_import_confirm(plan_import=record, user=administrator)

    reworded.refresh_from_db()
    assert reworded.description == words
    assert reworded.position == 1
    assert reworded.progress_updates.get().status == Status.IN_PROGRESS
    assert not Action.objects.filter(pk=deleted.pk).exists()


def test_a_preview_that_the_database_has_overtaken_is_worked_out_again(real_plans, administrator):
    data = workbook(plan_rows(Plan.objects.get(slug=CYPE)))
    record = plan_import_preview(
        file_name="plan.xlsx", data=data, plan_slug=CYPE, user=administrator
    )
    action = Action.objects.filter(theme__plan__slug=CYPE).first()
    action.expected_outcome = "Edited in the admin meanwhile"
    action.save()

    with pytest.raises(PreviewMoved):
        plan_import_confirm(plan_import=record, user=administrator)

    record.refresh_from_db()
    assert record.status == PlanImport.PREVIEWED
    assert record.preview["counts"]["change"] == 1
    action.refresh_from_db()
    assert action.expected_outcome == "Edited in the admin meanwhile"


def test_leads_are_matched_by_name_or_initials_and_unknown_ones_created_once(db, administrator):
    LeadFactory(name="Iain Low", initials="IL")
    header = [column.header for column in PLAN_COLUMNS]

    def row(reference, leads):
        values = dict.fromkeys(header, "")
        values.update(
            {
                "Plan": "New plan",
                "Plan starts": "01/04/2024",
                "Plan ends": "31/03/2026",
                "Theme": "Theme",
                "Reference": reference,
                "Action": f"Action {reference}",
                "Lead(s)": leads,
                "Timeframe as written": "March 2025",
            }
        )
        return [values[h] for h in header]

    data = (
        ",".join(header)
        + "\n"
        + "\n".join(
            ",".join(f'"{value}"' for value in row(ref, leads))
            for ref, leads in [("1", "IL, ZZ"), ("2", "iain low"), ("3", "ZZ, with Jo Bloggs")]
        )
    )
    record = plan_import_preview(
        file_name="new.csv", data=data.encode(), plan_slug="", user=administrator
    )

    assert [lead["shown"] for lead in record.preview["new_leads"]] == ["ZZ", "Jo Bloggs"]
    plan_import_confirm(plan_import=record, user=administrator)
    assert Lead.objects.filter(initials="ZZ").count() == 1
    first, second, third = Action.objects.order_by("position")
    assert (str(first.lead), [str(lead) for lead in first.supporting_leads.all()]) == (
        "Iain Low (IL)",
        ["ZZ"],
    )
    assert str(second.lead) == "Iain Low (IL)"
    assert sorted(str(lead) for lead in third.supporting_leads.all()) == ["Jo Bloggs"]
    assert Plan.objects.get(slug="new-plan").name == "New plan"


def test_section_2_spreadsheet_over_its_own_fixture_changes_nothing(real_plans, tmp_path):
    UserFactory(username="root", is_superuser=True)
    # It is already loaded from its fixture: importing the spreadsheet changes nothing.
    before = database_rows()
    import_file(SECTION_2, IMPROVEMENT, tmp_path)
    assert database_rows() == before

    record = PlanImport.objects.get()
    assert record.warnings == []  # nothing new came in


def test_the_template_has_the_layout_instructions_and_an_example(db):
    data = template_workbook()

    rows = sheet_rows(data)
    assert rows[0] == [column.header for column in PLAN_COLUMNS]
    assert rows[1][0] == "CYPE Directorate Plan 2022-24"
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Plan", "Instructions"]
    guide = [row[0] for row in book["Instructions"].iter_rows(values_only=True)]
    assert "Lead(s)" in guide


# Bad files: each named by row, column and value, and nothing written anywhere.
def _header():
    return [column.header for column in PLAN_COLUMNS]


def _good_row(**changes):
    values = dict.fromkeys(_header(), "")
    values.update(
        {
            "Plan": "Bad plan",
            "Plan starts": "01/04/2024",
            "Plan ends": "31/03/2026",
            "Theme": "A theme",
            "Reference": "1.1",
            "Action": "Do the thing",
            "Lead(s)": "Iain Low",
            "Timeframe as written": "March 2025",
            **changes,
        }
    )
    return [values[h] for h in _header()]


def _xlsx(rows, after=None):
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    if after:
        after(book.active)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _merge(sheet):
    sheet.merge_cells("D2:D3")


BAD_FILES = {
    "missing column": (
        "plan.xlsx",
        lambda: _xlsx([_header()[:-1], _good_row()[:-1]]),
        ["Row 1 (the header row) is missing the column “Sub-step timeframe”"],
    ),
    "unknown column": (
        "plan.xlsx",
        lambda: _xlsx([[*_header(), "Budget"], [*_good_row(), "£5"]]),
        ["Row 1 (the header row) has column we don’t know: “Budget”"],
    ),
    "empty file": ("plan.csv", lambda: b"", ["The file is empty"]),
    "header only": ("plan.xlsx", lambda: _xlsx([_header()]), ["has a header row but no rows"]),
    "not a workbook": (
        "plan.xlsx",
        lambda: b"Plan,Theme\nnot,a workbook\n",
        ["The file is called .xlsx but is not an Excel workbook"],
    ),
    "workbook called csv": (
        "plan.csv",
        lambda: _xlsx([_header(), _good_row()]),
        ["The file is called .csv but is not text"],
    ),
    "not a spreadsheet": (
        "plan.docx",
        lambda: b"hello",
        ["“plan.docx” is not an .xlsx or .csv file"],
    ),
    "formula": (
        "plan.xlsx",
        lambda: _xlsx([_header(), _good_row(Action='=HYPERLINK("http://x")')]),
        ['Row 2, column I: “=HYPERLINK("http://x")” is a formula. Formulas are never run'],
    ),
    "reference too long": (
        "plan.xlsx",
        lambda: _xlsx([_header(), _good_row(Reference="1." + "2" * 25)]),
        [
            "Row 2, Reference: “1.2222222222222222222222222”: “Reference” must be 20 "
            "characters or fewer: it has 27. Shorten it."
        ],
    ),
    "merged cells": (
        "plan.xlsx",
        lambda: _xlsx([_header(), _good_row(), _good_row(Reference="1.2")], _merge),
        ["Cells D2:D3 are merged"],
    ),
    "impossible date and missing lead and duplicate reference": (
        "plan.csv",
        lambda: "\n".join(
            ",".join(f'"{v}"' for v in row)
            for row in [
                _header(),
                _good_row(**{"Timeframe as written": "31/09/21"}),
                _good_row(**{"Lead(s)": "", "Reference": "1.2"}),
                _good_row(Reference="1.2", Action="Again"),
            ]
        ).encode(),
        [
            "Row 3, Lead(s): empty: every action needs at least one lead.",
            "Row 4, Reference: “1.2”: row 3 has the same reference in the same theme.",
            "Row 2, Timeframe as written: “31/09/21” is not a real date: September 2021 has "
            "30 days.",
        ],
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_is_named_by_row_column_and_value_and_nothing_is_written(
    name, real_plans, administrator, tmp_path
):
    file_name, make, expected = BAD_FILES[name]
    LeadFactory(name="Iain Low", initials="")
    before = table_counts()

    with pytest.raises(CommandError) as from_command:
        import_file(make(), "bad-plan", tmp_path, name=file_name, dates_to_confirm=False)
    problems = str(from_command.value)
    if "31/09/21" not in problems:
        with pytest.raises(FileProblems) as from_browser:
            plan_import_preview(file_name=file_name, data=make(), plan_slug="", user=administrator)
        problems += "\n".join(from_browser.value.messages)

    for message in expected:
        assert message in problems
    assert table_counts() == before


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused_saying_the_limit(db, administrator):
    with pytest.raises(FileProblems) as error:
        plan_import_preview(file_name="big.csv", data=b"x" * 1001, plan_slug="", user=administrator)

    assert error.value.messages == [
        "The file is 0.0 MB; the largest we take is 0.001 MB. Split the plan into several files."
    ]
    assert not PlanImport.objects.exists()
