from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

LONDON = ZoneInfo("Europe/London")


def on(day):
    """Freeze time at 10am in London on `day`, so each step of an item is dated that day."""
    return time_machine.travel(
        datetime.combine(day, datetime.min.time(), LONDON) + timedelta(hours=10), tick=False
    )
