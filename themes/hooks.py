"""Where apps built on plans add to a plan's own checks, so that arrows run towards
`themes`: it doesn't know what progress is reported or which reports are published on a
plan (STYLE.md)."""

_date_checks = []


def register_plan_dates_check(check):
    """Check a plan's dates with `check(plan)`, which returns {field: message} for the dates
    the plan can't have, given what the app holds about it (empty if none), in at most one
    query."""
    if check not in _date_checks:
        _date_checks.append(check)


def plan_dates_problems(plan):
    """{field: message} from every registered check, the first message for each field."""
    problems = {}
    for check in _date_checks:
        for field, message in check(plan).items():
            problems.setdefault(field, message)
    return problems
