"""The preview and data-quality pages run the same number of queries for 50 rows as for 500."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from actions.demo import demo_plan_generate
from imports.layout import plan_rows, workbook
from imports.services import plan_import_preview

AS_AT = date(2025, 9, 30)

# session, user; the user's permissions and their groups' (may they administer);
# the import with who uploaded it.
PREVIEW_QUERIES = 5
# session, user, permissions x2; then a COUNT and a page of rows for each list: leads by
# initials only, leads without a sign-in, dates to be confirmed, sub-steps' dates to be
# confirmed, no due date, never updated, ended plans with unfinished actions, imports that
# left something to check.
DATA_QUALITY_QUERIES = 4 + 2 * 8


@pytest.fixture(params=[50, 500], ids=lambda size: f"{size} actions")
def plan(request, db):
    with time_machine.travel(AS_AT):
        return demo_plan_generate(actions=request.param, updates_per_action=1, as_at=AS_AT)


def test_the_preview_runs_the_same_queries_however_many_rows(
    plan, client, administrator, django_assert_num_queries
):
    rows = plan_rows(plan)
    edited = [row for row in rows if "action" in row][::3]
    for row in edited:
        row["expected_outcome"] += " (edited)"
    record = plan_import_preview(
        file_name="plan.xlsx", data=workbook(rows), plan_slug=plan.slug, user=administrator
    )
    client.force_login(administrator)

    with django_assert_num_queries(PREVIEW_QUERIES):
        response = client.get(reverse("imports:preview", args=[record.key]))

    assert response.status_code == 200
    assert f"{len(edited)} changed" in response.content.decode()


def test_data_quality_runs_the_same_queries_however_many_rows(
    plan, client, administrator, django_assert_num_queries
):
    client.force_login(administrator)

    with time_machine.travel(AS_AT), django_assert_num_queries(DATA_QUALITY_QUERIES):
        response = client.get(reverse("imports:data_quality"))

    assert response.status_code == 200
    assert "Actions never updated" in response.content.decode()
