"""The dates an import leaves to a person: dates to confirm, confirmed dates kept or lapsed."""

from django.utils import timezone

from ..reading import quoted
from .matching import match_steps
from .proposal import HEADERS


def _step_kept(step, confirmation):
    person = confirmation.entered_by
    return (
        f"Its sub-step {quoted(step.description[:100])} is not in the file: it is kept, "
        "marked as no longer in the plan, rather than deleted, as its date was confirmed "
        f"({confirmation.confirmed_on:%-d %B %Y}, confirmed by "
        f"{person.get_full_name() or person.username} on "
        f"{timezone.localtime(confirmation.entered_at):%-d %B %Y})."
    )


def _applying_confirmation(confirmations, action):
    """The confirmation that gives `action` its date now (newest first, for its timeframe's
    words), or None."""
    if not action.timeframe.to_be_confirmed:
        return None
    return next((each for each in confirmations if each.gives_date_to(action)), None)


def _new_dates_to_confirm(proposal, matches, steps_now):
    """The dates to confirm this import would bring in. One the plan already has, on the
    same action (or sub-step, as match_steps pairs them) with the same words, is not new:
    importing the plan's own file again asks nothing."""
    already = set()
    for index, action in enumerate(proposal.actions):
        now = matches.get(index)
        if now is None:
            continue
        if now.timeframe.label == action.timeframe:
            already.add((action.row, HEADERS["timeframe"]))
        pairs, _ = match_steps(steps_now.get(now.pk, []), action.steps)
        for (_, step, _, label), row in zip(pairs, action.step_rows, strict=False):
            if step and step.timeframe and step.timeframe.label == label:
                already.add((row, HEADERS["sub_step_timeframe"]))
    return [item for item in proposal.unreadable if (item["row"], item["column"]) not in already]


def unreadable_errors(preview):
    """The dates to confirm as errors, for when a person hasn't chosen to bring them in:
    "Row 14, Timeframe as written: “31/09/21” is not a real date: September 2021 has 30
    days." """
    return [
        f"Row {item['row']}, {item['column']}: {quoted(item['value'])}"
        + _without_label(item["message"], item["value"])
        for item in preview["dates_to_confirm"]
    ]


def _without_label(message, label):
    """The parser's message after its opening "Timeframe “label”", which the row, column
    and value already say: " is not a real date: …" or ": could not read it as a date."
    """
    opening = f"Timeframe “{label}”"
    return message[len(opening) :] if message.startswith(opening) else f": {message}"
