"""Importing a plan's own file again asks nothing and changes nothing, even where the plan
already holds a date to be confirmed (the improvement plan's 31/09/21, as published)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action, Lead, SubStep
from imports.layout import PLAN_COLUMNS, lead_words, plan_rows, workbook
from imports.models import PlanImport
from imports.reading import read_table
from tests.factories import UserFactory
from tests.imports.rows import plan_rows as database_rows
from tests.imports.rows import table_counts
from tests.imports.test_plan_import import IMPROVEMENT
from tests.imports.test_views import upload
from themes.models import Plan, Theme


@pytest.fixture
def exported(db):
    call_command("load_plans", verbosity=0)
    return workbook(plan_rows(Plan.objects.get(slug=IMPROVEMENT)))


def test_the_command_takes_the_plans_own_file_without_asking_about_its_dates(exported, tmp_path):
    path = tmp_path / "improvement.xlsx"
    path.write_bytes(exported)
    before = database_rows(), table_counts()
    output = io.StringIO()

    # No --dates-to-confirm: 31/09/21 is already in the plan, on the same action.
    call_command("import_plan", str(path), plan=IMPROVEMENT, dry_run=True, stdout=output)

    assert "Dry run: nothing was written." in output.getvalue()
    assert "Date to confirm" not in output.getvalue()
    assert (database_rows(), table_counts()) == before


def test_the_web_takes_the_plans_own_file_without_a_tick_box_and_leaves_nothing_to_check(
    client, exported, administrator
):
    client.force_login(administrator)
    response = upload(client, exported, name="improvement.xlsx", plan=IMPROVEMENT)
    record = PlanImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    before = database_rows()

    assert record.preview["dates_to_confirm"] == []
    assert "31/09/21" not in page
    assert "Bring these actions in with their dates to be confirmed" not in page
    done = client.post(reverse("imports:preview", args=[record.key]))

    assert done.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.warnings, record.changes["dates_to_confirm"]) == (
        PlanImport.CONFIRMED,
        [],
        [],
    )
    assert database_rows() == before
    assert "31/09/21" not in client.get(done["Location"]).content.decode()


def test_a_date_to_be_confirmed_on_another_action_is_still_asked_about(exported, administrator):
    from imports.services import plan_import_preview
    from tests.imports.conftest import edited

    def edit(sheet):
        sheet.cell(row=2, column=12).value = "31/09/21"  # the first action's Timeframe

    record = plan_import_preview(
        file_name="edited.xlsx",
        data=edited(exported, edit),
        plan_slug=IMPROVEMENT,
        user=administrator,
    )

    assert [(item["row"], item["value"]) for item in record.preview["dates_to_confirm"]] == [
        (2, "31/09/21")
    ]


def test_text_xml_cannot_hold_goes_out_and_comes_back_exactly(client, db, administrator):
    # Word's manual line break is a vertical tab; pasted into the admin, it is kept.
    call_command("load_plans", verbosity=0)
    plan = Plan.objects.get(slug=IMPROVEMENT)
    first, second = Action.objects.filter(theme__plan=plan).order_by("pk")[:2]
    first.description = "Line one\x0bline two\x0cthree \ufffe\uffff"
    first.save()
    second.description = "Typed as it reads: _x000B_ and _x005F_"
    second.save()
    client.force_login(administrator)

    download = client.get(reverse("imports:plan_download", args=[IMPROVEMENT]))

    assert download.status_code == 200
    table = read_table("plan.xlsx", download.content, PLAN_COLUMNS)
    assert {cells["action"] for _, cells in table} >= {first.description, second.description}
    response = upload(client, download.content, name="improvement.xlsx", plan=IMPROVEMENT)
    record = PlanImport.objects.get()
    assert response.status_code == 302
    assert not record.preview["changes_anything"]


def test_text_edited_in_the_admin_with_windows_line_breaks_comes_back_unchanged(
    client, db, administrator
):
    # A browser sends a box's line breaks as CR LF, and the admin stores them so: the plan's
    # download, uploaded as it is, changes nothing.
    call_command("load_plans", verbosity=0)
    first = Action.objects.filter(theme__plan__slug=IMPROVEMENT).order_by("pk").first()
    first.description = "Line one\r\nline two"
    first.save()
    client.force_login(administrator)
    download = client.get(reverse("imports:plan_download", args=[IMPROVEMENT]))

    response = upload(client, download.content, name="improvement.xlsx", plan=IMPROVEMENT)

    assert response.status_code == 302
    assert not PlanImport.objects.get().preview["changes_anything"]


def supporting_lead_added_in_a_file(tmp_path):
    """The improvement plan (loaded) as its import file, with a supporting lead added to an
    action that has none: (that action, the lead, the file's path)."""
    plan = Plan.objects.get(slug=IMPROVEMENT)
    rows = plan_rows(plan)
    row = next(row for row in rows if "," not in row["leads"])
    action = Action.objects.get(theme__plan=plan, description=row["action"])
    supporter = Lead.objects.exclude(pk=action.lead_id).order_by("pk").first()
    row["leads"] = f"{row['leads']}, {lead_words(supporter)}"
    path = tmp_path / "improvement.xlsx"
    path.write_bytes(workbook(rows))
    return action, supporter, path


def test_an_imports_change_of_supporting_leads_is_kept_in_the_actions_history(db, tmp_path):
    call_command("load_plans", verbosity=0)
    action, supporter, path = supporting_lead_added_in_a_file(tmp_path)

    UserFactory(username="performance")
    call_command(
        "import_plan", str(path), plan=IMPROVEMENT, user="performance", stdout=io.StringIO()
    )

    assert list(action.supporting_leads.all()) == [supporter]
    newest, before = action.history.order_by("-history_date", "-history_id")[:2]
    assert newest.history_change_reason == "Imported from improvement.xlsx"
    # The entry keeps the supporting leads it was written with, as an admin edit's does, so
    # the History page (and pages as at an earlier date) see the change.
    assert [link.lead_id for link in newest.supporting_leads.all()] == [supporter.pk]
    assert list(before.supporting_leads.all()) == []
    changed = newest.diff_against(before, included_fields=["supporting_leads"]).changed_fields
    assert changed == ["supporting_leads"]


def history_entries():
    """How many history entries the plan's records have (actions, themes, sub-steps)."""
    return Action.history.count() + Theme.history.count() + SubStep.history.count()


def text_with_line_breaks(stored):
    """The improvement plan (loaded) with its first action with a sub-step, its theme and
    its steps saved holding text of two lines, each line break stored as `stored`; that
    action."""
    action = (
        Action.objects.filter(theme__plan__slug=IMPROVEMENT, sub_steps__isnull=False)
        .order_by("pk")
        .first()
    )
    action.expected_outcome = f"Line one{stored}line two"
    action.save()
    action.theme.description = f"Every child{stored}safe"
    action.theme.save()
    for step in action.sub_steps.all():
        step.description = f"Draft it{stored}then publish it"
        step.save()
    return action


def line_breaks_as(rows, stored, in_file):
    """The rows with every line break in their text written as `in_file`, not `stored`."""
    return [{key: value.replace(stored, in_file) for key, value in row.items()} for row in rows]


@pytest.mark.parametrize(("stored", "in_file"), [("\n", "\r\n"), ("\r\n", "\n")])
def test_a_file_whose_text_differs_only_in_line_breaks_changes_nothing_nor_its_history(
    db, tmp_path, stored, in_file
):
    call_command("load_plans", verbosity=0)
    text_with_line_breaks(stored)
    plan = Plan.objects.get(slug=IMPROVEMENT)
    path = tmp_path / "improvement.xlsx"
    path.write_bytes(workbook(line_breaks_as(plan_rows(plan), stored, in_file)))
    UserFactory(username="performance")
    before, entries = database_rows(), history_entries()

    call_command("import_plan", str(path), plan=IMPROVEMENT, user="performance", verbosity=0)

    # The text is kept as it was stored, and no entry says it changed.
    assert database_rows() == before
    assert history_entries() == entries


def test_a_files_other_change_keeps_text_whose_line_breaks_alone_differ_as_stored(db, tmp_path):
    call_command("load_plans", verbosity=0)
    action = text_with_line_breaks("\n")
    plan = Plan.objects.get(slug=IMPROVEMENT)
    rows = line_breaks_as(plan_rows(plan), "\n", "\r\n")
    row = next(row for row in rows if row["action"] == action.description)
    row["performance_measures"] = "Audits each quarter"
    for each in rows:
        if each["theme"] == row["theme"]:
            each["theme_reference"] = "T9"
    path = tmp_path / "improvement.xlsx"
    path.write_bytes(workbook(rows))
    UserFactory(username="performance")

    call_command("import_plan", str(path), plan=IMPROVEMENT, user="performance", verbosity=0)

    action.refresh_from_db()
    assert (action.performance_measures, action.expected_outcome) == (
        "Audits each quarter",
        "Line one\nline two",
    )
    assert (action.theme.reference, action.theme.description) == ("T9", "Every child\nsafe")
    assert set(action.sub_steps.values_list("description", flat=True)) == {
        "Draft it\nthen publish it"
    }
    newest, before = action.history.order_by("-history_date", "-history_id")[:2]
    assert newest.diff_against(before).changed_fields == ["performance_measures"]
    newest, before = action.theme.history.order_by("-history_date", "-history_id")[:2]
    assert newest.diff_against(before).changed_fields == ["reference"]
