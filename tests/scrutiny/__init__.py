from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import Group

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
