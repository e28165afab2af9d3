"""Why a file's plan can't be imported as it stands: its dates run backwards, its name
makes no web address, or it names another plan than the one it would go into."""

import re

from themes.models import Plan

from ..reading import quoted
from .fields import _day
from .proposal import HEADERS, _error

# What a plan's short name may hold: it is the plan's part of its web addresses.
WEB_ADDRESS = re.compile(r"[-a-zA-Z0-9_]+")


def _backwards_errors(proposal, plan):
    """A plan must end after it starts: the file's dates, or the file's beside the plan's."""
    starts = proposal.plan_starts or (plan.starts_on if plan else None)
    ends = proposal.plan_ends or (plan.ends_on if plan else None)
    if starts is None or ends is None or ends > starts:
        return []
    if "plan_ends" in proposal.plan_cells:
        key, other, verb = "plan_ends", "plan_starts", "starts"
    else:
        key, other, verb = "plan_starts", "plan_ends", "ends"
    row, written = proposal.plan_cells[key]
    if other in proposal.plan_cells:
        other_row, other_written = proposal.plan_cells[other]
        beside = f"row {other_row}’s {HEADERS[other]} is {quoted(other_written)}"
    else:
        beside = f"in cypeplan it {verb} on {_day(starts if verb == 'starts' else ends)}"
    return [_error(row, key, written, f"a plan must end after the day it starts, and {beside}.")]


def _web_address_errors(proposal, plan_slug, slug):
    """Why a new plan can't have this short name, which its web addresses are made of: a
    name with no letter A to Z or digit ("計画") makes none."""
    if WEB_ADDRESS.fullmatch(slug):
        return []
    if plan_slug:
        return [
            f"The plan’s short name {quoted(plan_slug)} can hold only letters a to z, digits "
            "and hyphens: it is the plan’s part of its web addresses."
        ]
    if not proposal.plan_name:
        return []  # "name the plan" says it
    return [
        f"Row {proposal.plan_row}, {HEADERS['plan']}: {quoted(proposal.plan_name)}: a new "
        "plan’s name needs a letter from A to Z or a digit in it, to make its web address "
        "(“CYPE Directorate Plan 2022-24” makes “cype-directorate-plan-2022-24”). Add one "
        "to the name, such as the years it runs."
    ]


def _new_plan_errors(proposal, rows, plan_slug, slug):
    """Why the file can't make a new plan: its name makes no web address or is already a
    plan's, or it lacks a date a new plan needs."""
    errors = _web_address_errors(proposal, plan_slug, slug)
    if Plan.objects.filter(name=proposal.plan_name).exists():
        errors.append(
            f"{HEADERS['plan']}: {quoted(proposal.plan_name)} is already a plan with "
            "another short name: choose it as the plan to import into."
        )
    for key, words in [("plan_starts", "starts"), ("plan_ends", "ends")]:
        if getattr(proposal, key) is None:
            errors.append(
                f"Row {rows[0][0]}, {HEADERS[key]}: empty: a new plan needs the date it {words}."
            )
    return errors


def _named_plan_errors(proposal, plan, plan_slug, slug):
    """Why the file can't go into `plan`, the plan of its short name: it names another."""
    errors = []
    if proposal.plan_name and proposal.plan_name != plan.name and not plan_slug:
        errors.append(
            f"Row {proposal.plan_row}, {HEADERS['plan']}: {quoted(proposal.plan_name)}: "
            f"a new plan’s web address is made from its name, and this one’s, "
            f"{quoted(slug)}, is already the plan {quoted(plan.name)}’s. Choose that plan "
            "to import into, or name the new plan differently."
        )
    elif proposal.plan_name and proposal.plan_name != plan.name:
        errors.append(
            f"Row {proposal.plan_row}, {HEADERS['plan']}: {quoted(proposal.plan_name)}: this "
            f"file is for another plan than {quoted(plan.name)}."
        )
    return errors
