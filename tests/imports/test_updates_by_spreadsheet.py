"""Officers' updates by spreadsheet: download their actions, fill rows, upload, check,
record; every row checked by the update rules, all recorded or none."""

import csv
import io
import re
import zipfile
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from actions import roles
from actions.models import Action, Lead, ProgressUpdate, Status
from actions.services import progress_update_record
from imports.models import PlanImport
from imports.reading import read_table
from imports.updates import COLUMNS, UPDATE, propose_updates
from tests.factories import UserFactory

LONDON = ZoneInfo("Europe/London")
SLUG = "childrens-continuous-improvement-plan-2021-24"
HEADERS = [column.header for column in COLUMNS]
WORKING_WELL = "What’s working well and how do we know?"
WORRIED_ABOUT = "What are we worried about and what are we doing about it?"


@pytest.fixture
def officer(db):
    call_command("loaddata", "childrens_continuous_improvement_plan_2021_24", verbosity=0)
    user = UserFactory(username="roisin", first_name="Róisín", last_name="Madden")
    user.groups.add(Group.objects.get(name=roles.OFFICERS))
    Lead.objects.filter(initials="RM").update(user=user)
    return user


def action(reference):
    return Action.objects.get(theme__plan__slug=SLUG, reference=reference)


def fill(data, rows):
    """The workbook with `rows` ({action id: {header: value}}) filled in; an id not in the
    file is added as a new row."""
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    column = {header: index + 1 for index, header in enumerate(HEADERS)}
    where = {sheet.cell(row=row, column=1).value: row for row in range(2, sheet.max_row + 1)}
    for action_id, values in rows.items():
        row = where.get(action_id) or where.setdefault(action_id, sheet.max_row + 1)
        sheet.cell(row=row, column=1).value = action_id
        for header, value in values.items():
            sheet.cell(row=row, column=column[header]).value = value
    output = io.BytesIO()
    book.save(output)
    return output.getvalue(), where


def upload(client, data):
    return client.post(
        reverse("imports:updates_upload"), {"file": SimpleUploadedFile("mine.xlsx", data)}
    )


def record_upload(client, location):
    """Select "Record these updates" on the check page, as shown now."""
    return client.post(location, hidden_fields(client.get(location).content.decode()))


def hidden_fields(page):
    """What the check page's form sends: its hidden fields, as shown."""
    return dict(re.findall(r'<input type="hidden" name="(?!csrf)(\w+)" value="([^"]*)"', page))


def test_the_officers_round_trip(client, officer):
    client.force_login(officer)
    my_actions = client.get(reverse("actions:my_actions")).content.decode()
    assert reverse("imports:my_updates_download") in my_actions

    download = client.get(reverse("imports:my_updates_download"))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    mine = {row[0] for row in rows[1:]}
    assert mine == set(Action.objects.involving(officer).values_list("pk", flat=True))
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[action("5.3").pk][HEADERS.index("Latest status")] == "Not started"

    green, red, not_mine = action("5.3"), action("5.4"), action("1.1")
    before = ProgressUpdate.objects.count()
    data, where = fill(
        download.content,
        {
            green.pk: {
                "Status": "In progress",
                "RAG": "Green",
                WORKING_WELL: "Consultation began.",
            },
            red.pk: {"Status": "In progress", "RAG": "Red"},
            not_mine.pk: {"Status": "Complete", "Evidence": "Posts removed."},
        },
    )

    response = upload(client, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        f"Row {where[red.pk]} (action 5.4 “Develop a timetable for implementing changes”), "
        "What are we worried about and what are we doing about it?: empty: A Red rating needs"
    ) in html
    assert (
        f"Row {where[not_mine.pk]}: you may not record progress on action 1.1 “Remove vacant posts”"
    ) in html
    assert ProgressUpdate.objects.count() == before
    assert not PlanImport.objects.exists()

    fixed, _ = fill(
        download.content,
        {
            green.pk: {
                "Status": "In progress",
                "RAG": "Green",
                WORKING_WELL: "Consultation began.",
            },
            red.pk: {
                "Status": "In progress",
                "RAG": "Red",
                WORRIED_ABOUT: "Two posts vacant; interim cover agreed from January.",
            },
        },
    )
    checked = upload(client, fixed)
    record = PlanImport.objects.get()
    assert checked["Location"] == reverse("imports:updates_preview", args=[record.key])
    preview = client.get(checked["Location"]).content.decode()
    assert "Recording will add 2 updates" in preview

    # Meanwhile, an update on the same action from the web form.
    web = progress_update_record(
        action=green,
        reported_on=timezone.localdate(),
        status=Status.IN_PROGRESS,
        rag="green",
        working_well="Recorded on the web while the file was being checked.",
        entered_by=officer,
    )

    done = record_upload(client, checked["Location"])

    assert done.status_code == 302
    assert ProgressUpdate.objects.count() == before + 3
    assert ProgressUpdate.objects.filter(pk=web.pk).exists()
    imported = ProgressUpdate.objects.exclude(pk=web.pk).filter(entered_by=officer)
    assert sorted((update.action.reference, update.rag) for update in imported) == [
        ("5.3", "green"),
        ("5.4", "red"),
    ]
    record.refresh_from_db()
    assert record.status == PlanImport.CONFIRMED
    assert "Recorded 2 updates" in client.get(done["Location"]).content.decode()


def test_a_rule_broken_at_recording_time_records_nothing(client, officer):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    first, second = action("5.3"), action("5.4")
    data, _ = fill(
        download,
        {
            first.pk: {"Status": "In progress", "RAG": "Green"},
            second.pk: {"Status": "In progress", "RAG": "Green"},
        },
    )
    key = upload(client, data)["Location"]
    # The RAG moves on the web before the file is recorded: the file's Green is now a change.
    progress_update_record(
        action=second,
        reported_on=timezone.localdate(),
        status=Status.IN_PROGRESS,
        rag="amber",
        worried_about="Slipping.",
        entered_by=officer,
    )
    before = ProgressUpdate.objects.count()

    response = record_upload(client, key)

    assert response.status_code == 400
    assert "The RAG has changed from Amber to Green: say why." in response.content.decode()
    assert ProgressUpdate.objects.count() == before


def test_an_administrator_downloads_a_whole_plan_to_update(client, officer, administrator):
    client.force_login(administrator)

    response = client.get(reverse("imports:plan_updates_download", args=[SLUG]))

    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert len(rows) - 1 == Action.objects.filter(theme__plan__slug=SLUG).count()


def test_an_officer_cannot_open_someone_elses_upload(client, officer):
    other = UserFactory(username="other")
    other.groups.add(Group.objects.get(name=roles.OFFICERS))
    record = PlanImport.objects.create(
        kind=PlanImport.UPDATES, file_name="x.xlsx", file_size=1, uploaded_by=other
    )
    client.force_login(officer)

    assert client.get(reverse("imports:updates_preview", args=[record.key])).status_code == 403
    assert client.post(reverse("imports:updates_preview", args=[record.key])).status_code == 403


@pytest.mark.parametrize("typed", ["²", "٣", "9" * 25, "12.0"])
def test_an_action_number_that_is_not_plain_digits_is_named_not_a_server_error(officer, typed):
    proposed, errors = propose_updates(
        [(7, {"action_id": typed, "status": "In progress"})],
        user=officer,
        today=timezone.localdate(),
    )

    assert proposed == []
    assert errors == [
        f"Row 7, Action ID: “{typed}”: is not an action number from cypeplan. "
        "Download the file again."
    ]


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("31/02/2024", "is not a real date: February 2024 has 29 days."),
        ("29/02/23", "is not a real date: February 2023 has 28 days."),
        ("31/04/2024", "is not a real date: April 2024 has 30 days."),
        (
            "12/13/2024",
            "is not a date: there is no month 13. Write the day first, e.g. 30/09/2024.",
        ),
        ("next week", "is not a date: write it day first, e.g. 30/09/2024."),
        # A date cell whose format was cleared, or pasted as a value: Excel's day number.
        (
            "45017",
            "is a number, not a date: Excel keeps 1 April 2023 as this number. Write the date "
            "day first, e.g. 01/04/2023.",
        ),
        (
            "45351.0",
            "is a number, not a date: Excel keeps 29 February 2024 as this number. Write the "
            "date day first, e.g. 29/02/2024.",
        ),
    ],
)
def test_a_date_that_is_not_one_says_why(officer, typed, why):
    proposed, errors = propose_updates(
        [
            (
                7,
                {
                    **{column.key: "" for column in COLUMNS},
                    "action_id": str(action("5.3").pk),
                    "seen_up_to": str(
                        max(action("5.3").progress_updates.values_list("pk", flat=True))
                    ),
                    "status": "In progress",
                    "reported_on": typed,
                },
            )
        ],
        user=officer,
        today=timezone.localdate(),
    )

    assert f"Row 7, Date it reports on: “{typed}”: {why}" in errors
    assert proposed == []


def test_the_same_file_uploaded_again_records_nothing_twice(client, officer):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    first, second = action("5.3"), action("5.4")
    data, where = fill(
        download,
        {
            first.pk: {"Status": "In progress", "RAG": "Green", WORKING_WELL: "Begun."},
            second.pk: {"Status": "Not started", "RAG": "Green", WORKING_WELL: "Waiting."},
        },
    )
    assert record_upload(client, upload(client, data)["Location"]).status_code == 302
    before = ProgressUpdate.objects.count()

    again = upload(client, data)

    assert again.status_code == 400
    page = " ".join(again.content.decode().split())
    for row, reference in ((where[first.pk], "5.3"), (where[second.pk], "5.4")):
        assert f"Row {row}: this update on action {reference} “" in page
        assert "is already recorded (entered by Róisín Madden on " in page
    assert "Leave the row empty, or download the file again to fill in only what is new." in page
    assert ProgressUpdate.objects.count() == before
    assert PlanImport.objects.count() == 1


def test_an_update_entered_after_the_download_is_shown_before_recording(client, officer):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    green = action("5.3")
    web = progress_update_record(
        action=green,
        reported_on=timezone.localdate(),
        status=Status.IN_PROGRESS,
        rag="amber",
        worried_about="Recorded on the web after the download.",
        entered_by=officer,
    )
    data, where = fill(
        download,
        {
            green.pk: {
                "Status": "In progress",
                "RAG": "Green",
                "Why the RAG changed": "The board met.",
                WORKING_WELL: "Begun.",
            }
        },
    )

    checked = upload(client, data)
    preview = " ".join(client.get(checked["Location"]).content.decode().split())

    assert "Since you downloaded this file, updates were recorded on some of these actions." in (
        preview
    )
    assert (
        f"Row {where[green.pk]}, action 5.3: entered by Róisín Madden on "
        f"{timezone.localtime(web.entered_at):%-d %B %Y at %H:%M}: In progress, Amber, "
        f"reporting on {timezone.localdate():%-d %B %Y}."
    ) in preview
    assert record_upload(client, checked["Location"]).status_code == 302
    assert green.progress_updates.count() == 3


@pytest.mark.parametrize(("typed", "shown"), [("", "empty"), ("abc", "“abc”")])
def test_a_row_without_the_number_it_was_downloaded_with_is_refused(client, officer, typed, shown):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    data, where = fill(
        download,
        {action("5.3").pk: {"Status": "In progress", "RAG": "Green", "Updates seen up to": typed}},
    )

    response = upload(client, data)

    assert response.status_code == 400
    assert (
        f"Row {where[action('5.3').pk]} (action 5.3 “Consult and comms with service managers”), "
        f"Updates seen up to: {shown}: is not the number cypeplan wrote there. Download the "
        "file again."
    ) in response.content.decode()
    assert not PlanImport.objects.exists()


def test_an_administrator_sees_someone_elses_upload_but_cannot_record_it(
    client, officer, administrator
):
    """Recording under the administrator's name would lose who wrote the updates, and would
    let in rows from someone who may no longer record them."""
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    data, _ = fill(download, {action("5.3").pk: {"Status": "In progress", "RAG": "Green"}})
    key = upload(client, data)["Location"]
    before = ProgressUpdate.objects.count()
    client.force_login(administrator)

    page = client.get(key).content.decode()
    refused = client.post(key)

    assert "Róisín Madden uploaded this file. Only they can record its updates" in page
    assert "Record these updates" not in page
    assert refused.status_code == 403
    assert ProgressUpdate.objects.count() == before
    assert PlanImport.objects.get().status == PlanImport.PREVIEWED


def test_an_update_entered_while_the_check_page_is_open_is_shown_before_anything_is_recorded(
    client, officer
):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    mine = action("5.3")
    data, where = fill(download, {mine.pk: {"Status": "In progress", "RAG": "Green"}})
    key = upload(client, data)["Location"]
    opened = client.get(key).content.decode()
    shown = re.search(r'name="checked_up_to" value="(\d+)"', opened).group(1)
    # While the page is open, a colleague records an update on the same action.
    web = progress_update_record(
        action=mine,
        reported_on=timezone.localdate(),
        status=Status.IN_PROGRESS,
        rag="green",
        working_well="Entered on the web while the check page was open.",
        entered_by=UserFactory(username="colleague", first_name="Sam", last_name="Lee"),
    )
    before = ProgressUpdate.objects.count()

    held = client.post(key, {"checked_up_to": shown})
    page = " ".join(held.content.decode().split())

    assert held.status_code == 400
    assert ProgressUpdate.objects.count() == before
    assert "Updates were recorded on these actions since this page was shown" in page
    assert (
        f"Row {where[mine.pk]}, action 5.3: entered by Sam Lee on "
        f"{timezone.localtime(web.entered_at):%-d %B %Y at %H:%M}: In progress, Green"
    ) in page
    # Seen now: recording goes ahead.
    assert record_upload(client, key).status_code == 302
    assert ProgressUpdate.objects.count() == before + 1


@pytest.mark.parametrize(
    ("typed", "shown"), [("31/12/9999", "31 December 9999"), ("01/01/3000", "1 January 3000")]
)
def test_an_implausible_revised_due_date_is_named_with_its_row(officer, typed, shown):
    proposed, errors = propose_updates(
        [
            (
                7,
                {
                    **{column.key: "" for column in COLUMNS},
                    "action_id": str(action("5.3").pk),
                    "seen_up_to": str(
                        max(action("5.3").progress_updates.values_list("pk", flat=True))
                    ),
                    "status": "In progress",
                    "rag": "Green",
                    "revised_due_on": typed,
                    "revised_due_reason": "Typed in a hurry",
                },
            )
        ],
        user=officer,
        today=timezone.localdate(),
    )

    assert proposed == []
    assert len(errors) == 1
    assert errors[0].startswith("Row 7 (action 5.3 ")
    assert errors[0].endswith(
        f"Revised due date: “{typed}”: The revised due date “{shown}” is outside the dates "
        "this service answers for: enter a date between 1 January 1900 and 31 December 2999."
    )


def test_a_cell_longer_than_its_column_takes_is_named_in_the_forms_words(client, officer):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    evidence = "w" * 10_039
    data, where = fill(download, {action("5.3").pk: {"Status": "Complete", "Evidence": evidence}})

    response = upload(client, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert (
        f"Row {where[action('5.3').pk]} (action 5.3 “{action('5.3').description[:60]}”), "
        f"Evidence: “{'w' * 79}…”: “Evidence” must be 10,000 characters or fewer: it has "
        "10,039. Shorten it."
    ) in html
    assert "Ensure this value" not in html
    assert not PlanImport.objects.exists()


def as_csv(data, rows, line_end="\r\n", delimiter=",", encoding="utf-8-sig", quoting=csv.QUOTE_ALL):
    """The downloaded workbook, with `rows` filled in as fill() does, saved as a CSV whose
    lines end with `line_end`, its cells separated by `delimiter` and quoted as `quoting`
    says, in `encoding` (UTF-16 with a byte order mark)."""
    filled, where = fill(data, rows)
    sheet = load_workbook(io.BytesIO(filled)).worksheets[0]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator=line_end, quoting=quoting, delimiter=delimiter)
    for values in sheet.iter_rows(values_only=True):
        writer.writerow(["" if value is None else value for value in values])
    text = output.getvalue()
    return (("\ufeff" + text) if encoding.startswith("utf-16-") else text).encode(encoding), where


def upload_csv(client, data):
    return client.post(
        reverse("imports:updates_upload"), {"file": SimpleUploadedFile("mine.csv", data)}
    )


def test_a_csv_saved_with_mac_line_endings_is_read(client, officer):
    # Excel for Mac's "CSV (Macintosh)" ends each line with a carriage return alone.
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    update = {"Status": "In progress", "RAG": "Green", WORKING_WELL: "Two\nlines."}
    data, _ = as_csv(download, {action("5.3").pk: update}, line_end="\r")

    response = upload_csv(client, data)

    record = PlanImport.objects.get()
    assert response["Location"] == reverse("imports:updates_preview", args=[record.key])
    assert record_upload(client, response["Location"]).status_code == 302
    assert action("5.3").progress_updates.get(entered_by=officer).working_well == "Two\nlines."


@pytest.mark.parametrize(
    ("delimiter", "encoding", "quoting"),
    [
        # European Excel's "CSV": semicolons, as the decimal mark is a comma.
        (";", "utf-8-sig", csv.QUOTE_ALL),
        (";", "cp1252", csv.QUOTE_MINIMAL),
        # Excel's "CSV UTF-16" and "Unicode Text": UTF-16 with a byte order mark.
        (",", "utf-16", csv.QUOTE_ALL),
        ("\t", "utf-16", csv.QUOTE_MINIMAL),
        ("\t", "utf-16-be", csv.QUOTE_MINIMAL),
    ],
)
def test_a_csv_saved_with_semicolons_tabs_or_as_utf_16_is_read(
    client, officer, delimiter, encoding, quoting
):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    update = {"Status": "In progress", "RAG": "Green", WORKING_WELL: "Two; lines,\nsaid “so”."}
    data, _ = as_csv(
        download,
        {action("5.3").pk: update},
        delimiter=delimiter,
        encoding=encoding,
        quoting=quoting,
    )

    response = upload_csv(client, data)

    assert "is missing the column" not in response.content.decode()
    assert "is not text" not in response.content.decode()
    record = PlanImport.objects.get()
    assert response["Location"] == reverse("imports:updates_preview", args=[record.key])
    assert record_upload(client, response["Location"]).status_code == 302
    recorded = action("5.3").progress_updates.get(entered_by=officer)
    assert recorded.working_well == "Two; lines,\nsaid “so”."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf_16_csv_without_its_byte_order_mark_is_named_as_such(client, officer, encoding):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    data, _ = as_csv(download, {action("5.3").pk: {"Status": "In progress", "RAG": "Green"}})

    response = upload_csv(client, data.decode("utf-8-sig").encode(encoding))

    assert response.status_code == 400
    assert (
        "The file is called .csv and looks like UTF-16 text, but without the mark at its "
        "start that says so, so we can’t be sure how to read it. Save it from Excel as "
        "“CSV UTF-8”, or upload the .xlsx."
    ) in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_csv_cell_too_long_to_read_is_named_not_a_server_error(client, officer):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    # Longer than a workbook's cell holds: typed into the CSV itself.
    data, where = as_csv(download, {action("5.3").pk: {"Status": "Complete", "Evidence": "…"}})
    data = data.replace("…".encode(), b"x" * 200_000)

    response = upload_csv(client, data)

    assert response.status_code == 400
    assert (
        f"Row {where[action('5.3').pk]}: a cell holds more than 131,072 characters, far more "
        "than any column takes."
    ) in response.content.decode()
    assert not PlanImport.objects.exists()


def zip_bomb(data, unpacked):
    """The workbook with its first sheet swapped for one that unpacks to `unpacked` bytes
    of rows and packs to a few kilobytes."""
    row = "".join(f'<c t="inlineStr"><is><t>{"a" * 10}</t></is></c>' for _ in range(10))
    rows = f"<row>{row}</row>" * (unpacked // (len(row) + 11))
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    )
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for part in source.infolist():
            body = source.read(part)
            bomb.writestr(part.filename, sheet if part.filename.endswith("sheet1.xml") else body)
    return output.getvalue()


@override_settings(IMPORT_MAX_UNPACKED_BYTES=2_000_000)
def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused_unread(
    client, officer, monkeypatch
):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    data = zip_bomb(download, 3_000_000)
    assert len(data) < 50_000
    # Unread: openpyxl would hold every cell in memory.
    monkeypatch.setattr("imports.reading.load_workbook", None)

    response = upload(client, data)

    assert response.status_code == 400
    assert (
        "The workbook unpacks to 3.0 MB, more than the 2 MB we read"
    ) in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_csv_apostrophe_marking_formula_like_text_as_text_is_not_kept_in_the_words(
    client, officer
):
    # What our own CSV downloads write, and what the refusal of "=..." tells people to do.
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    update = {
        "Status": "Complete",
        "Evidence": "'=12 of 12 posts filled",
        WORKING_WELL: "'-3 vacancies since June",
        WORRIED_ABOUT: "'Quoted' words keep their apostrophe",
    }
    data, _ = as_csv(download, {action("5.3").pk: update})

    response = upload_csv(client, data)
    assert record_upload(client, response["Location"]).status_code == 302

    recorded = action("5.3").progress_updates.get(entered_by=officer)
    assert recorded.evidence == "=12 of 12 posts filled"
    assert recorded.working_well == "-3 vacancies since June"
    assert recorded.worried_about == "'Quoted' words keep their apostrophe"


def test_an_action_whose_words_hold_a_vertical_tab_downloads_to_update(client, officer):
    mine = action("5.3")
    mine.description = "Consult\x0bservice managers"
    mine.save()
    client.force_login(officer)

    download = client.get(reverse("imports:my_updates_download"))

    assert download.status_code == 200
    table = read_table("mine.xlsx", download.content, COLUMNS)
    assert {cells["action"] for _, cells in table} >= {"Consult\x0bservice managers"}


def test_what_an_officer_types_in_the_workbook_stays_as_typed(client, officer):
    # In Excel's General format "12/12" would become a date, "50%" 0.5 and "01/04/2024"
    # the 4th of January in an American-set Excel; in the Text format each stays typed.
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content

    sheet = load_workbook(io.BytesIO(download)).worksheets[0]

    filled_in = [HEADERS.index(column.header) + 1 for column in UPDATE]
    assert sheet.max_row > 1
    for row in range(2, sheet.max_row + 1):
        assert {sheet.cell(row=row, column=index).number_format for index in filled_in} == {"@"}
    for index in filled_in:
        assert sheet.column_dimensions[get_column_letter(index)].number_format == "@"


BROKEN_SHEETS = {
    "cut short": '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"',
    "entities without end": (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>'
        "</sheetData></worksheet>"
    ),
    "another file": (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
        "</sheetData></worksheet>"
    ),
}


@pytest.mark.parametrize("sheet", BROKEN_SHEETS.values(), ids=BROKEN_SHEETS.keys())
def test_a_workbook_whose_sheet_is_not_good_xml_is_said_to_be_damaged(client, officer, sheet):
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(download)) as source,
        zipfile.ZipFile(output, "w") as broken,
    ):
        for part in source.infolist():
            body = sheet if part.filename.endswith("sheet1.xml") else source.read(part)
            broken.writestr(part.filename, body)

    response = upload(client, output.getvalue())

    assert response.status_code == 400
    assert "is not an Excel workbook, or is damaged" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_cells_windows_line_breaks_are_kept_as_the_form_keeps_them(client, officer):
    # Text pasted into an Excel cell from another Windows program keeps its CR LF (saved as
    # "_x000D_" before each line feed); the form on the page sends one line feed for each.
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    update = {"Status": "In progress", "RAG": "Green", WORKING_WELL: "Two\r\nlines\rand more."}
    data, _ = fill(download, {action("5.3").pk: update})

    response = upload(client, data)

    assert record_upload(client, response["Location"]).status_code == 302
    recorded = action("5.3").progress_updates.get(entered_by=officer)
    assert recorded.working_well == "Two\nlines\nand more."


def test_an_emoji_escaped_as_two_halves_in_a_workbook_is_recorded_as_one(client, officer):
    # OOXML may escape a character beyond the first 65,536 as its two UTF-16 halves. Read
    # one by one, they were two halves no database stores: the check page failed.
    client.force_login(officer)
    download = client.get(reverse("imports:my_updates_download")).content
    words = "Hub opened _xD83D__xDE00_; half a pair _xD83D_ alone."
    update = {"Status": "In progress", "RAG": "Green", WORKING_WELL: words}
    data, _ = fill(download, {action("5.3").pk: update})

    response = upload(client, data)

    assert client.get(response["Location"]).status_code == 200
    assert record_upload(client, response["Location"]).status_code == 302
    recorded = action("5.3").progress_updates.get(entered_by=officer)
    assert recorded.working_well == "Hub opened 😀; half a pair \ufffd alone."


def test_a_row_without_a_date_records_the_day_the_check_page_showed(client, officer):
    # 23:58 on 31 March 2023, the last day of a quarter, in London (BST: 22:58 in UTC).
    shown_at = datetime(2023, 3, 31, 23, 58, tzinfo=LONDON)
    with time_machine.travel(shown_at, tick=False):
        client.force_login(officer)
        download = client.get(reverse("imports:my_updates_download")).content
        data, _ = fill(
            download,
            {action("5.3").pk: {"Status": "In progress", "RAG": "Green", WORKING_WELL: "Begun."}},
        )
        location = upload(client, data)["Location"]
        page = client.get(location).content.decode()
        assert "31/03/2023" in page
    # Record selected three minutes later: a new day, and a new quarter.
    with time_machine.travel(shown_at + timedelta(minutes=3), tick=False):
        response = client.post(location, hidden_fields(page))

    assert response.status_code == 302
    update = action("5.3").progress_updates.get(working_well="Begun.")
    assert update.reported_on == date(2023, 3, 31)
