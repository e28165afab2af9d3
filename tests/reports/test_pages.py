"""Publishing in the browser, the draft preview, the list, the admin, the command and the
dashboard's "since the last report" panel."""

import re
from datetime import date, datetime
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from actions import roles
from actions.models import Status
from actions.services import progress_update_record
from reports.forms import header_initial
from reports.models import QuarterlyReport
from reports.services import quarterly_report_publish
from tests.factories import PlanFactory

from .conftest import LONDON, PUBLISHED_AT, QUARTER_END, user_in
from .test_views import page_text

HEADER = {
    "report_to": "Children and Young People Scrutiny Sub-Committee 7 March 2023",
    "subject": "Directorate plan: progress and risk",
    "lead_officer": "Iain Low, Director of Education",
    "cabinet_member": "Councillor A Member",
    "origin_of_item": "This item forms part of the Sub-Committee's work programme",
    "brief_for_committee": "Progress and risk as at 30 September 2022",
}


def publish_form(plan, **changes):
    return {"plan": plan.slug, "quarter_ends_on": QUARTER_END.isoformat(), **HEADER, **changes}


@pytest.mark.django_db
def test_a_plan_administrator_publishes_from_the_browser(client, plan, people):
    client.force_login(people["admin"])

    with time_machine.travel(PUBLISHED_AT, tick=False):
        response = client.post(reverse("reports:publish"), publish_form(plan["plan"]))

    report = QuarterlyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.lead_officer == "Iain Low, Director of Education"
    assert report.published_by == people["admin"]
    assert report.positions.count() == 3
    page = page_text(client.get(response["Location"]))
    assert "Published Quarter 2 2022/23 (July to September 2022), version 1" in page
    assert "CABINET MEMBER: Councillor A Member" in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["scrutiny", "officer", "no role"])
def test_nobody_but_a_plan_administrator_may_publish_or_preview(client, plan, people, role):
    client.force_login(people[role])

    published = client.post(reverse("reports:publish"), publish_form(plan["plan"]))
    previewed = client.get(
        reverse("reports:draft"), {"plan": "test-plan", "quarter_ends_on": "2022-09-30"}
    )

    assert published.status_code == 403
    assert previewed.status_code == 403
    assert not QuarterlyReport.objects.exists()


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in_and_nothing_is_published(client, plan):
    response = client.post(reverse("reports:publish"), publish_form(plan["plan"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not QuarterlyReport.objects.exists()


@pytest.mark.django_db
def test_a_quarter_not_yet_over_is_refused_with_a_message_naming_it(client, plan, people):
    client.force_login(people["admin"])

    with time_machine.travel(datetime(2022, 9, 30, 12, tzinfo=LONDON), tick=False):
        response = client.post(reverse("reports:publish"), publish_form(plan["plan"]))

    assert response.status_code == 400
    assert "Quarter 2 2022/23 (July to September 2022) hasn’t ended yet" in page_text(response)
    assert not QuarterlyReport.objects.exists()


@pytest.mark.django_db
def test_a_plan_the_preview_link_names_wrongly_is_named(client, plan, people):
    client.force_login(people["admin"])

    response = client.get(
        reverse("reports:draft"), {"plan": "nope", "quarter_ends_on": "2022-09-30"}
    )

    assert "There is no plan called “nope”: choose one from the list." in page_text(response)


def quarters_offered(response):
    return re.findall(r'<option value="(\d{4}-\d{2}-\d{2})"', response.content.decode())


@pytest.mark.django_db
def test_the_draft_offers_only_the_chosen_plans_quarters(client, plan, people):
    PlanFactory(
        name="Later Plan", slug="later-plan", starts_on=date(2024, 4, 1), ends_on=date(2027, 3, 31)
    )
    client.force_login(people["admin"])
    url = reverse("reports:draft")

    with time_machine.travel(datetime(2025, 1, 10, 9, tzinfo=LONDON), tick=False):
        test_plan = quarters_offered(client.get(url, {"plan": "test-plan"}))
        later = quarters_offered(
            client.get(url, {"plan": "later-plan", "quarter_ends_on": "2024-09-30"})
        )

    # The test plan runs from April 2022 to March 2024; the later plan from April 2024.
    assert test_plan[0] == "2024-03-31"
    assert test_plan[-1] == "2022-06-30"
    assert len(test_plan) == 8
    assert later == ["2024-12-31", "2024-09-30", "2024-06-30"]


@pytest.mark.django_db
def test_a_quarter_outside_the_plan_is_named_with_the_plans_dates(client, plan, people):
    client.force_login(people["admin"])

    with time_machine.travel(datetime(2025, 1, 10, 9, tzinfo=LONDON), tick=False):
        response = client.get(
            reverse("reports:draft"), {"plan": "test-plan", "quarter_ends_on": "2024-06-30"}
        )

    text = page_text(response)
    assert (
        "Quarter 1 2024/25 (April to June 2024) is outside the Test Directorate Plan, which "
        "runs from 1 April 2022 to 31 March 2024." in text
    )
    assert "Choose a quarter that has ended" not in text


@pytest.mark.django_db
def test_the_draft_preview_is_computed_and_stores_nothing(client, plan, people):
    client.force_login(people["admin"])

    with time_machine.travel(PUBLISHED_AT, tick=False):
        response = client.get(
            reverse("reports:draft"), {"plan": "test-plan", "quarter_ends_on": "2022-09-30"}
        )

    text = page_text(response)
    assert response.status_code == 200
    assert "Draft, not published" in text
    assert "1.1 Refresh the partnership agreement" in text
    assert "Publish Quarter 2 2022/23" in text
    assert not QuarterlyReport.objects.exists()


@pytest.mark.django_db
def test_republishing_says_which_version_it_replaces_and_the_old_stays_readable(
    client, plan, people
):
    first = quarterly_report_publish(
        plan=plan["plan"], quarter_ends_on=QUARTER_END, published_by=people["admin"], **HEADER
    )
    client.force_login(people["admin"])
    draft = page_text(
        client.get(reverse("reports:draft"), {"plan": "test-plan", "quarter_ends_on": "2022-09-30"})
    )
    assert "Publishing again makes version 2, which replaces it" in draft

    client.post(reverse("reports:publish"), publish_form(plan["plan"], subject="Corrected"))

    second = QuarterlyReport.objects.get(version=2)
    assert second.replaces == first
    client.force_login(people["scrutiny"])
    assert "This version replaces version 1" in page_text(
        client.get(reverse("reports:detail", args=[second.pk]))
    )
    old = page_text(client.get(reverse("reports:detail", args=[first.pk])))
    assert "This version has been replaced: version 2" in old
    assert "Directorate plan: progress and risk" in old
    listing = page_text(client.get(reverse("reports:list")))
    assert "Version 2 of the Quarter 2 2022/23 (July to September 2022) report Current" in listing
    assert (
        "Version 1 of the Quarter 2 2022/23 (July to September 2022) report Replaced by version 2"
        in listing
    )


@pytest.mark.django_db
def test_a_publish_form_shown_before_a_colleague_published_is_refused_and_keeps_what_was_typed(
    client, plan, people
):
    colleague = user_in(roles.PLAN_ADMINISTRATORS, "colleague", first_name="Sam", last_name="Lee")
    client.force_login(people["admin"])
    with time_machine.travel(PUBLISHED_AT, tick=False):
        quarterly_report_publish(
            plan=plan["plan"], quarter_ends_on=QUARTER_END, published_by=colleague, **HEADER
        )
        draft = client.get(
            reverse("reports:draft"), {"plan": "test-plan", "quarter_ends_on": "2022-09-30"}
        )
    # The draft shown replaces version 1; meanwhile a colleague publishes version 2.
    assert 'name="replacing_version" value="1"' in draft.content.decode()
    with time_machine.travel(datetime(2022, 10, 6, 14, 30, tzinfo=LONDON), tick=False):
        quarterly_report_publish(
            plan=plan["plan"], quarter_ends_on=QUARTER_END, published_by=colleague, **HEADER
        )

    with time_machine.travel(datetime(2022, 10, 6, 15, 0, tzinfo=LONDON), tick=False):
        response = client.post(
            reverse("reports:publish"),
            publish_form(plan["plan"], subject="Typed in the first tab", replacing_version="1"),
        )

    assert response.status_code == 409
    assert QuarterlyReport.objects.count() == 2
    text = page_text(response)
    assert (
        "Sam Lee published version 2 of this quarter’s report on 6 October 2022 at 14:30, "
        "after this draft was shown, so yours was not published." in text
    )
    html = response.content.decode()
    assert 'value="Typed in the first tab"' in html
    assert 'name="replacing_version" value="2"' in html
    assert "Publish Quarter 2 2022/23 as version 3" in text

    # Having read version 2, publishing from the page shown now makes version 3.
    with time_machine.travel(datetime(2022, 10, 6, 15, 5, tzinfo=LONDON), tick=False):
        client.post(
            reverse("reports:publish"),
            publish_form(plan["plan"], subject="Typed in the first tab", replacing_version="2"),
        )
    assert QuarterlyReport.objects.get(version=3).subject == "Typed in the first tab"


@pytest.mark.django_db
def test_a_double_click_on_publish_publishes_once(client, plan, people):
    client.force_login(people["admin"])

    with time_machine.travel(PUBLISHED_AT, tick=False):
        first = client.post(
            reverse("reports:publish"), publish_form(plan["plan"], replacing_version="0")
        )
        second = client.post(
            reverse("reports:publish"), publish_form(plan["plan"], replacing_version="0")
        )

    report = QuarterlyReport.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:detail", args=[report.pk])


@pytest.mark.django_db
def test_plan_administrators_read_reports_in_the_admin_but_only_a_superuser_changes_one(
    client, plan, people
):
    report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END, **HEADER)
    change_url = reverse("admin:reports_quarterlyreport_change", args=[report.pk])
    delete_url = reverse("admin:reports_quarterlyreport_delete", args=[report.pk])
    client.force_login(people["admin"])

    assert client.get(change_url).status_code == 200
    client.post(change_url, {**HEADER, "subject": "Changed by an administrator"})
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert QuarterlyReport.objects.get().subject == HEADER["subject"]
    assert client.get(reverse("admin:reports_quarterlyreport_add")).status_code == 403

    superuser = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(superuser)
    client.post(change_url, {**HEADER, "subject": "Corrected by a superuser"})
    assert QuarterlyReport.objects.get().subject == "Corrected by a superuser"


@pytest.mark.django_db
def test_the_report_admin_filters_by_the_quarters_published_newest_first(client, plan, people):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        for quarter_ends_on in [date(2022, 6, 30), QUARTER_END]:
            quarterly_report_publish(plan=plan["plan"], quarter_ends_on=quarter_ends_on, **HEADER)
    client.force_login(people["admin"])
    url = reverse("admin:reports_quarterlyreport_changelist")

    filters = client.get(url).context["cl"].filter_specs
    choices = next(spec.lookup_choices for spec in filters if spec.title == "quarter")
    listed = client.get(url, {"quarter_ends_on": "2022-06-30"}).context["cl"].result_list

    assert choices == [
        ("2022-09-30", "Quarter 2 2022/23 (July to September 2022)"),
        ("2022-06-30", "Quarter 1 2022/23 (April to June 2022)"),
    ]
    assert [report.quarter_ends_on for report in listed] == [date(2022, 6, 30)]
    assert client.get(url, {"quarter_ends_on": "2022-02-30"}).url.endswith("?e=1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ends_on, saved", [("2022-06-30", False), ("2022-07-01", True), ("2025-03-31", True)]
)
def test_a_plan_cannot_end_before_a_quarter_reported_on(client, plan, people, ends_on, saved):
    from tests.html_forms import post_form

    with time_machine.travel(PUBLISHED_AT, tick=False):
        quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END, **HEADER)
    people["admin"].is_staff = True
    people["admin"].save()
    client.force_login(people["admin"])
    url = reverse("admin:themes_plan_change", args=[plan["plan"].pk])
    data = post_form(client.get(url).content.decode())

    response = client.post(url, {**data, "ends_on": ends_on, "_save": "Save"})

    plan["plan"].refresh_from_db()
    if saved:
        assert response.status_code == 302
        assert plan["plan"].ends_on == date.fromisoformat(ends_on)
    else:
        assert response.context["adminform"].form.errors["ends_on"] == [
            "The plan can’t end before 1 July 2022: its report for Quarter 2 2022/23 (July to "
            "September 2022) is published."
        ]
        assert plan["plan"].ends_on == date(2024, 3, 31)


@pytest.mark.django_db
def test_the_command_publishes_and_prints_the_reports_address(plan, settings):
    settings.SITE_URL = "https://plans.example.org"
    out = StringIO()

    with time_machine.travel(PUBLISHED_AT, tick=False):
        call_command("publish_quarterly_report", "test-plan", "2022-09-30", stdout=out)

    report = QuarterlyReport.objects.get()
    assert out.getvalue().strip() == f"https://plans.example.org/reports/{report.pk}/"


@pytest.mark.django_db
def test_the_command_fills_in_the_header_block_as_the_browser_form_does(plan):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        call_command(
            "publish_quarterly_report",
            "test-plan",
            "2022-09-30",
            "--no-documents",
            "--lead-officer",
            "Iain Low",
            stdout=StringIO(),
        )

    report = QuarterlyReport.objects.get()
    assert report.report_to == "Children and Young People Scrutiny Sub-Committee"
    assert report.subject == (
        "Test Directorate Plan: progress and risk, Quarter 2 2022/23 (July to September 2022)"
    )
    assert report.lead_officer == "Iain Low"
    assert report.origin_of_item == "This item forms part of the Sub-Committee's work programme"
    assert report.brief_for_committee.startswith(
        "The position of every action in the Test Directorate Plan as at 30 September 2022"
    )
    # Exactly what the browser's publish form would have started with.
    expected = header_initial(plan["plan"], report.quarter, None)
    assert {name: getattr(report, name) for name in expected} == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            ["no-such-plan", "2022-09-30"],
            "No plan called “no-such-plan”. The plans are: test-plan.",
        ),
        (["test-plan", "30/09/2022"], "“30/09/2022” is not a date in the form YYYY-MM-DD"),
        (["test-plan", "2022-02-30"], "“2022-02-30” is not a real date."),
        (["test-plan", "2022-08-31"], "31 August 2022 is not the end of a quarter"),
        (
            ["test-plan", "9999-12-31"],
            "“9999-12-31” is outside the dates this service answers for: enter a date "
            "between 1 January 1900 and 31 December 2999.",
        ),
        (["test-plan", "1899-12-31"], "“1899-12-31” is outside the dates"),
    ],
)
def test_the_command_says_what_is_wrong(plan, arguments, message):
    with time_machine.travel(PUBLISHED_AT, tick=False), pytest.raises(CommandError, match=message):
        call_command("publish_quarterly_report", *arguments)
    assert not QuarterlyReport.objects.exists()


@pytest.mark.django_db
def test_the_dashboard_shows_each_counts_change_since_the_last_report_and_links_to_it(
    client, plan, people
):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    client.force_login(people["scrutiny"])

    # By 31 December 2022, 1.2 (due March 2023) has had no update for over 90 days.
    text = page_text(client.get(reverse("actions:dashboard"), {"as_at": "2022-12-31"}))

    assert "Since the Quarter 2 2022/23 report" in text
    assert "1 overdue, the same as at Quarter 2 2022/23" in text
    assert "2 with no update for over 90 days, 2 more than at Quarter 2 2022/23" in text
    html = client.get(reverse("actions:dashboard"), {"as_at": "2022-12-31"}).content.decode()
    assert f'href="{report.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_the_dashboard_at_a_published_quarter_end_says_it_changed_after_publication(
    client, plan, people
):
    with time_machine.travel(PUBLISHED_AT, tick=False):
        report = quarterly_report_publish(plan=plan["plan"], quarter_ends_on=QUARTER_END)
    client.force_login(people["scrutiny"])
    url = reverse("actions:dashboard")
    assert "changed after publication" not in page_text(client.get(url, {"as_at": "2022-09-30"}))

    with time_machine.travel(datetime(2022, 11, 1, 9, tzinfo=LONDON), tick=False):
        progress_update_record(
            action=plan["overdue"],
            reported_on=date(2022, 9, 29),
            status=Status.COMPLETE,
            entered_by=people["officer"],
            evidence="Signed by every partner",
        )

    with time_machine.travel(datetime(2022, 11, 2, 9, tzinfo=LONDON), tick=False):
        # Reporting before the fine action's latest update: it changes no position.
        progress_update_record(
            action=plan["fine"],
            reported_on=date(2022, 8, 31),
            status=Status.IN_PROGRESS,
            rag="green",
            entered_by=people["officer"],
        )

    text = page_text(client.get(url, {"as_at": "2022-09-30"}))
    assert "The position as at 30 September 2022 changed after publication" in text
    # Two later updates, of which one changed a position: it doesn't say both did.
    assert "1 action’s position is different now (2 updates entered later)." in text
    # The live dashboard shows the new position: nothing overdue any more.
    assert "0 overdue, 1 fewer than at Quarter 2 2022/23" in text
    assert report.counts["overdue"] == 1
