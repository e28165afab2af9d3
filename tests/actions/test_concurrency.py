"""Many people saving at once: every update lands, nothing is lost, and the action's latest
state is the latest report date (ties to the last entered), whatever order the requests
finish in. Real HTTP against a live server, on whichever database the run uses."""

import re
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.utils import timezone

from actions import roles
from actions.models import Action, ProgressUpdate
from tests.browser.conftest import ensure_role_groups
from tests.factories import ActionFactory, LeadFactory, PlanFactory, UserFactory

POSTS = 50
WORKERS = 25


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(url, *, cookies, data=None):
    """(status, headers, body) for one real HTTP request, without following redirects."""
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())},
    )
    opener = urllib.request.build_opener(NoRedirects)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_posts_all_land_and_the_latest_state_is_right(live_server):
    ensure_role_groups()  # an earlier transactional test's flush may have taken them
    today = timezone.localdate()
    officer = UserFactory(username="officer")
    officer.groups.add(Group.objects.get(name=roles.OFFICERS))
    action = ActionFactory(
        theme__plan=PlanFactory(
            starts_on=today - timedelta(days=400), ends_on=today + timedelta(days=400)
        ),
        lead=LeadFactory(user=officer),
        timeframe__label="Ongoing",
    )
    browser = Client()
    browser.force_login(officer)
    cookies = {"sessionid": browser.cookies["sessionid"].value}
    url = f"{live_server.url}/actions/{action.pk}/update/"

    status, headers, body = http(url, cookies=cookies)
    assert status == 200
    csrf = SimpleCookie(headers["Set-Cookie"])["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    cookies["csrftoken"] = csrf

    def post(number):
        # Ten report dates, five posts on each: ties are settled by entry order.
        reported_on = today - timedelta(days=number % 10)
        return http(
            url,
            cookies=cookies,
            data={
                "csrfmiddlewaretoken": token,
                "reported_on_day": reported_on.day,
                "reported_on_month": reported_on.month,
                "reported_on_year": reported_on.year,
                "status": "in_progress",
                "rag": "green",
                "working_well": f"Parallel update {number}",
                "seen_up_to": "0",
            },
        )[0]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(post, range(POSTS)))

    assert statuses == [302] * POSTS, f"{connection.vendor}: {sorted(set(statuses))}"
    updates = ProgressUpdate.objects.filter(action=action)
    assert updates.count() == POSTS
    assert sorted(updates.values_list("working_well", flat=True)) == sorted(
        f"Parallel update {number}" for number in range(POSTS)
    )
    newest_date = max(updates.values_list("reported_on", flat=True))
    assert newest_date == today
    last_entered_that_day = updates.filter(reported_on=newest_date).order_by("-pk").first()
    latest = Action.objects.with_state(today).get(pk=action.pk)
    assert latest.latest_update_id == last_entered_that_day.pk
    assert latest.latest_reported_on == today
