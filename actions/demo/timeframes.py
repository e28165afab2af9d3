"""Timeframe labels and due dates for generated actions, worded the ways the plans word them."""

from datetime import date, timedelta

from ..models import warning_window

PAST_DUE = {"overdue"}
DUE_SOON = {"due_soon_not_started"}

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
# As the plans abbreviate them ("Dec 21", "Sept-Nov 2021", "April 21 and ongoing").
MONTH_SHORT = [
    "Jan", "Feb", "Mar", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
]  # fmt: skip


def _month_end(year, month):
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _plan_month_end(rng, earliest, latest):
    """The end of a month whose end falls between `earliest` and `latest`, inclusive."""
    months = []
    year, month = earliest.year, earliest.month
    while (year, month) <= (latest.year, latest.month):
        end = _month_end(year, month)
        if earliest <= end <= latest:
            months.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rng.choice(months) if months else latest


def _timeframe_for(rng, fate, plan, as_at):
    """(label, due date, sub-step labels), in one of the ways the plans word timeframes."""
    if fate in DUE_SOON:
        due = as_at + timedelta(days=rng.randint(3, warning_window().days - 2))
        return (f"{due:%d/%m/%Y}" if rng.random() < 0.5 else f"{due:%d/%m/%y}"), due, []

    # A month's label means its last day, so past-due actions end a month clear of the
    # as-at date and future ones start a month after the warning window.
    past = (plan.starts_on + timedelta(days=90), as_at - timedelta(days=35))
    future = (as_at + warning_window() + timedelta(days=35), plan.ends_on)
    if fate in PAST_DUE:
        span = past
    elif fate in ("complete", "closed"):
        span = past if rng.random() < 0.75 else future
    elif fate == "never_updated":
        span = past if rng.random() < 0.5 else future
    elif rng.random() < 0.15:
        return _ongoing_label(rng, plan, as_at), None, []
    else:
        span = future
    due = _plan_month_end(rng, *span)
    if rng.random() < 0.3:
        due = due.replace(day=rng.choice([1, 15]))
    month, year = due.month, due.year

    form = rng.choices(
        ["month", "short_month", "date", "short_date", "month_number", "range", "milestones",
         "and", "tbc", "meeting"],
        weights=[24, 14, 12, 10, 4, 10, 10, 5, 6, 5],
    )[0]  # fmt: skip
    if form == "month":
        return f"{MONTH_NAMES[month - 1]} {year}", _month_end(year, month), []
    if form == "short_month":
        return f"{MONTH_SHORT[month - 1]} {year % 100:02}", _month_end(year, month), []
    if form == "month_number":
        return f"{month:02}/{year}", _month_end(year, month), []
    if form == "range":
        first = (month - 1 - rng.choice([1, 2])) % 12
        return (
            f"{MONTH_SHORT[first]}-{MONTH_SHORT[month - 1]} {year}",
            _month_end(year, month),
            [],
        )
    if form in ("milestones", "and"):
        steps = [due]
        for _ in range(rng.choice([1, 1, 2]) if form == "milestones" else 1):
            earlier = steps[0] - timedelta(days=rng.choice([61, 92, 122, 183]))
            steps.insert(0, _month_end(earlier.year, earlier.month))
        steps = sorted(set(steps))
        if form == "and":
            label = f"{steps[0]:%d/%m/%Y} and {steps[-1]:%d/%m/%y}"
        else:
            label = " ".join(f"{step:%d/%m/%y}" for step in steps)
        return label, steps[-1], [f"{step:%d/%m/%y}" for step in steps]
    if form == "tbc":
        return f"{due:%d/%m/%y} (TBC)", due, []
    if form == "meeting":
        return f"Initial meeting {due:%d/%m/%y}", due, []
    if form == "short_date":
        return f"{due:%d/%m/%y}", due, []
    return f"{due:%d/%m/%Y}", due, []


def _ongoing_label(rng, plan, as_at):
    form = rng.choice(["Ongoing", "On going", "and ongoing"])
    if form != "and ongoing":
        return form
    start = plan.starts_on + timedelta(days=rng.randint(0, max(0, (as_at - plan.starts_on).days)))
    return f"{MONTH_SHORT[start.month - 1]} {start.year % 100:02} and ongoing"
