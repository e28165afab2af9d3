import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import Group
from django.db import connection

LONDON = ZoneInfo("Europe/London")


def on(day):
    """Freeze time at 10am in London on `day`, so each step of an item is dated that day."""
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=10), tick=False
    )


def member_of(group, username, **fields):
    """An account in one of the role groups (actions.roles)."""
    from tests.factories import UserFactory

    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group))
    return user


def at_once(posts):
    """Each (browser, url, data) posted at the same moment; their status codes."""
    start = threading.Barrier(len(posts))
    statuses = []

    def send(browser, url, data):
        start.wait()
        try:
            statuses.append(browser.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses
