"""The plan administrators' pages: upload, preview, confirm; data quality; confirming a date."""

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from actions.models import Action, DateConfirmation
from actions.services import date_confirmation_record
from imports.models import PlanImport
from tests.factories import UserFactory
from tests.html_forms import post_form
from tests.imports.rows import table_counts

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SECTION_1 = FIXTURES / "childrens_continuous_improvement_plan_2021_24.json"
SPREADSHEET = FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.xlsx"
SLUG = "childrens-continuous-improvement-plan-2021-24"
LONDON = ZoneInfo("Europe/London")
FOCUSED_VISIT = "Ofsted Focused Visit- Early Help and the Front Door (June 2021)"


@pytest.fixture
def section_1(db):
    call_command("loaddata", str(SECTION_1), verbosity=0)


def upload(client, data, name="section-2.xlsx", plan=SLUG):
    return client.post(
        reverse("imports:start"),
        {"plan": plan, "file": SimpleUploadedFile(name, data)},
    )


def action_5_3():
    return Action.objects.select_related("timeframe").get(
        theme__name=FOCUSED_VISIT, reference="5.3"
    )


def test_upload_preview_and_confirm_section_2(client, section_1, administrator):
    client.force_login(administrator)

    response = upload(client, SPREADSHEET.read_bytes())

    record = PlanImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[record.key])
    html = client.get(response["Location"]).content.decode()
    assert "Check the import" in html
    assert "24 added, 0 changed, 0 closed" in html
    assert "5 added, 0 changed, 7 left alone" not in html  # section 1's themes aren't in it
    assert "7 not in this file, left alone" in html
    assert "31/09/21" in html
    assert "Timeframe “31/09/21” is not a real date: September 2021 has 30 days." in html
    for initials in ("KC", "DW", "SP", "DJ", "EB", "CD"):
        assert f"<li>{initials} (row" in html
    assert not Action.objects.filter(theme__name=FOCUSED_VISIT).exists()

    # Confirming without agreeing to the dates and the new leads writes nothing.
    before = table_counts()
    refused = client.post(reverse("imports:preview", args=[record.key]))
    assert refused.status_code == 400
    assert (
        "Tick to bring the actions in with their dates to be confirmed" in refused.content.decode()
    )
    assert table_counts() == before

    done = client.post(
        reverse("imports:preview", args=[record.key]),
        {"dates_to_confirm": "on", "create_leads": "on", "preview": "{}"},
    )

    assert done.status_code == 302
    record.refresh_from_db()
    assert record.status == PlanImport.CONFIRMED
    assert record.uploaded_by == administrator
    assert Action.objects.filter(theme__plan__slug=SLUG).count() == 32 + 24
    timeframe = action_5_3().timeframe
    assert (timeframe.label, timeframe.to_be_confirmed, timeframe.due_on) == (
        "31/09/21",
        True,
        None,
    )
    assert "Imported" in client.get(done["Location"]).content.decode()


def test_a_bad_upload_lists_every_problem_and_writes_nothing(client, section_1, administrator):
    client.force_login(administrator)
    rows = "\n".join(
        [
            "Plan,Theme,Action",
            "Children's Continuous Improvement Plan 2021-24,A theme,=1+1",
        ]
    )
    before = table_counts()

    response = upload(client, rows.encode(), name="bad.csv")

    html = response.content.decode()
    assert response.status_code == 400
    assert "Error: Import a plan" in html
    assert "The file can’t be imported: nothing was changed" in html
    assert "Row 2, column 3: “=1+1” looks like a formula." in html
    assert "is missing the columns" in html
    assert table_counts() == before


@override_settings(IMPORT_MAX_BYTES=2000)
def test_the_upload_size_limit_is_said_and_kept(client, section_1, administrator):
    client.force_login(administrator)

    page = client.get(reverse("imports:start")).content.decode()
    response = upload(client, SPREADSHEET.read_bytes())

    assert "at most 0.002 MB" in page
    assert response.status_code == 400
    assert "the largest we take is 0.002 MB" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_data_quality_lists_5_3_and_an_administrator_resolves_it(client, section_1, administrator):
    call_command(
        "loaddata",
        str(FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"),
        verbosity=0,
    )
    client.force_login(administrator)
    action = action_5_3()

    html = client.get(reverse("imports:data_quality")).content.decode()

    assert 'Dates to be confirmed <span class="govuk-caption-m">1 action</span>' in html
    assert "The quality, frequency and effectiveness of supervision" in html
    assert "Timeframe “31/09/21” is not a real date: September 2021 has 30 days." in html
    url = reverse("imports:confirm_date", args=[action.pk])
    assert url in html
    assert "Leads known only by initials" in html

    wrong = client.post(
        url, {"confirmed_on_day": "31", "confirmed_on_month": "9", "confirmed_on_year": "2021"}
    )
    assert wrong.status_code == 400
    assert "September 2021 has 30 days" in wrong.content.decode()
    assert "Say who confirmed the date and why." in wrong.content.decode()
    assert not DateConfirmation.objects.exists()

    slipped = client.post(
        url,
        {
            "confirmed_on_day": "30",
            "confirmed_on_month": "9",
            "confirmed_on_year": "2020",
            "reason": "Confirmed with the Director of Children's Social Care.",
        },
    )
    assert slipped.status_code == 400
    assert "The confirmed due date can’t be before the plan began (" in slipped.content.decode()
    assert not DateConfirmation.objects.exists()

    done = client.post(
        url,
        {
            "confirmed_on_day": "30",
            "confirmed_on_month": "9",
            "confirmed_on_year": "2021",
            "reason": "Confirmed with the Director of Children's Social Care.",
        },
    )

    assert done.status_code == 302
    confirmation = DateConfirmation.objects.get()
    assert (confirmation.action, confirmation.confirmed_on, confirmation.entered_by) == (
        action,
        date(2021, 9, 30),
        administrator,
    )
    after = client.get(reverse("imports:data_quality")).content.decode()
    assert 'Dates to be confirmed <span class="govuk-caption-m">0 actions</span>' in after
    detail = client.get(reverse("actions:detail", args=[action.pk]), {"as_at": "2021-10-01"})
    text = detail.content.decode()
    assert "31/09/21" in text
    assert "Confirmed due date: <strong>30 September 2021</strong>" in text
    # Confirmed: no longer a warning to confirm it, but where to correct it.
    assert "Date confirmed</strong>" in text
    assert "Date to be confirmed" not in text
    assert "This action’s date is to be confirmed" not in text
    assert "This action’s due date was confirmed as 30 September 2021." in text
    assert f'href="{url}">Correct the confirmed due date</a>' in text
    assert Action.objects.overdue(date(2021, 10, 1)).filter(pk=action.pk).exists()


def test_the_action_page_shows_a_date_to_be_confirmed_with_the_parsers_message(
    client, section_1, administrator
):
    call_command(
        "loaddata",
        str(FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"),
        verbosity=0,
    )
    client.force_login(administrator)

    html = client.get(reverse("actions:detail", args=[action_5_3().pk])).content.decode()

    assert "Date to be confirmed" in html
    assert "Timeframe “31/09/21” is not a real date: September 2021 has 30 days." in html
    assert "never overdue meanwhile" in html
    assert "This action’s date is to be confirmed" in html
    assert "Correct the confirmed due date" not in html


def test_a_confirmation_for_one_action_leaves_another_with_the_same_words(
    client, section_1, administrator
):
    call_command(
        "loaddata",
        str(FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"),
        verbosity=0,
    )
    other = Action.objects.exclude(pk=action_5_3().pk).first()
    other.timeframe = action_5_3().timeframe
    other.save()
    date_confirmation_record(
        action=action_5_3(), confirmed_on=date(2021, 9, 30), reason="x", entered_by=administrator
    )
    client.force_login(administrator)

    html = client.get(reverse("imports:data_quality")).content.decode()

    assert 'Dates to be confirmed <span class="govuk-caption-m">1 action</span>' in html
    assert reverse("imports:confirm_date", args=[other.pk]) in html


def test_administrators_find_imports_and_data_quality_from_the_dashboard(
    client, section_1, administrator, django_user_model
):
    from django.contrib.auth.models import Group

    from actions import roles

    officer = django_user_model.objects.create_user("officer")
    officer.groups.add(Group.objects.get(name=roles.OFFICERS))
    call_command(
        "loaddata",
        str(FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"),
        verbosity=0,
    )
    confirm = reverse("imports:confirm_date", args=[action_5_3().pk])

    for user, shown in [(administrator, True), (officer, False)]:
        client.force_login(user)
        dashboard = client.get(reverse("actions:dashboard")).content.decode()
        detail = client.get(reverse("actions:detail", args=[action_5_3().pk])).content.decode()
        assert (reverse("imports:data_quality") in dashboard) is shown
        assert (reverse("imports:start") in dashboard) is shown
        assert (confirm in detail) is shown


def test_every_import_is_visible_read_only_in_the_admin(client, section_1, administrator):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    upload(client, SPREADSHEET.read_bytes())
    record = PlanImport.objects.get()
    client.post(
        reverse("imports:preview", args=[record.key]),
        {"dates_to_confirm": "on", "create_leads": "on"},
    )

    listing = client.get(reverse("admin:imports_planimport_changelist")).content.decode()
    detail = client.get(reverse("admin:imports_planimport_change", args=[record.pk]))

    assert "section-2.xlsx" in listing
    assert "24 added, 0 changed, 0 closed, 0 removed, 0 left alone" in listing
    text = detail.content.decode()
    assert "Row 52: date to be confirmed" in text
    assert "New lead KC" in text
    assert "5.3" in text
    assert (
        client.post(reverse("admin:imports_planimport_delete", args=[record.pk])).status_code == 403
    )


def test_an_empty_file_is_said_in_words_and_nothing_is_kept(client, section_1, administrator):
    client.force_login(administrator)

    response = upload(client, b"")

    assert response.status_code == 400
    assert "The file you chose is empty. If it is open in Excel, save it" in (
        response.content.decode()
    )
    assert not PlanImport.objects.exists()


def test_an_import_is_named_by_the_london_moment_it_was_uploaded(client, section_1, administrator):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    # 00:30 on 2 June 2023 in London (BST) is 23:30 on 1 June in UTC.
    with time_machine.travel(datetime(2023, 6, 2, 0, 30, tzinfo=LONDON), tick=False):
        upload(client, SPREADSHEET.read_bytes())
    record = PlanImport.objects.get()

    page = client.get(reverse("admin:imports_planimport_change", args=[record.pk])).content.decode()

    assert str(record) == "section-2.xlsx, 2 June 2023 at 00:30"
    assert "section-2.xlsx, 2 June 2023 at 00:30" in page


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2023, 6, 2, 0, 0, tzinfo=LONDON), "2 Jun 2023, 00:00"),
        (datetime(2023, 6, 2, 0, 30, tzinfo=LONDON), "2 Jun 2023, 00:30"),
        (datetime(2023, 6, 2, 12, 0, tzinfo=LONDON), "2 Jun 2023, 12:00"),
        (datetime(2023, 6, 2, 16, 5, tzinfo=LONDON), "2 Jun 2023, 16:05"),
    ],
)
def test_the_admin_writes_a_moment_in_the_24_hour_clock_as_the_pages_do(
    client, section_1, administrator, moment, shown
):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    with time_machine.travel(moment, tick=False):
        upload(client, SPREADSHEET.read_bytes())
    record = PlanImport.objects.get()

    listing = client.get(reverse("admin:imports_planimport_changelist")).content.decode()
    page = client.get(reverse("admin:imports_planimport_change", args=[record.pk]))

    for text in (listing, page.content.decode()):
        assert shown in text
        assert not re.search(r"a\.m\.|p\.m\.|midnight|noon", text)


def confirm_page(client, action):
    url = reverse("imports:confirm_date", args=[action.pk])
    return url, post_form(client.get(url).content.decode())


def confirming(day, month, who):
    return {
        "confirmed_on_day": day,
        "confirmed_on_month": month,
        "confirmed_on_year": "2021",
        "reason": f"Confirmed with {who}.",
    }


def test_a_date_confirmed_by_a_colleague_since_the_page_opened_is_not_silently_replaced(
    client, section_1, administrator
):
    call_command(
        "loaddata",
        str(FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"),
        verbosity=0,
    )
    action = action_5_3()
    colleague = Client()
    other = UserFactory(username="colleague")
    other.groups.set(administrator.groups.all())
    colleague.force_login(other)
    client.force_login(administrator)
    url, mine = confirm_page(client, action)
    _, theirs = confirm_page(colleague, action)

    assert (
        colleague.post(url, {**theirs, **confirming("30", "9", "the Director")}).status_code == 302
    )
    stale = client.post(url, {**mine, **confirming("31", "10", "the Head of Service")})

    html = stale.content.decode()
    assert stale.status_code == 400
    assert "colleague confirmed this date as 30 September 2021 after you opened this page" in html
    assert "Confirmed with the Head of Service." in html
    assert list(DateConfirmation.objects.values_list("confirmed_on", flat=True)) == [
        date(2021, 9, 30)
    ]

    # Sent again from the page that said so, it is a choice made knowing: recorded.
    again = client.post(url, {**post_form(html), "_": ""})
    assert again.status_code == 302
    assert action.date_confirmations.order_by("-pk").first().confirmed_on == date(2021, 10, 31)


def test_a_date_confirmation_sent_twice_is_recorded_once(client, section_1, administrator):
    call_command(
        "loaddata",
        str(FIXTURES / "childrens_continuous_improvement_plan_2021_24_section_2.json"),
        verbosity=0,
    )
    action = action_5_3()
    client.force_login(administrator)
    url, form = confirm_page(client, action)
    sent = {**form, **confirming("30", "9", "the Director")}

    assert client.post(url, sent).status_code == 302
    assert client.post(url, sent).status_code == 302

    assert DateConfirmation.objects.count() == 1
