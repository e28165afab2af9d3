"""A plan's rows read into what they propose, with every error in them by row and column."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.formats import date_format

from actions.timeframes import TimeframeError, parse_timeframe, why_not_a_date
from themes.periods import in_range

from ..layout import PLAN_COLUMNS
from ..reading import quoted
from .leads import lead_names

HEADERS = {column.key: column.header for column in PLAN_COLUMNS}

# The longest text each field holds (the models' max_length).
LIMITS = {
    "plan": 200,
    "theme": 300,
    "theme_reference": 20,
    "reference": 20,
    "answers": 300,
    "timeframe": 200,
    "sub_step_timeframe": 200,
}


def read_date(text):
    for pattern in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"):
        try:
            return timezone.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


@dataclass
class ProposedAction:
    row: int
    theme: str
    reference: str
    description: str
    expected_outcome: str
    leads: list
    timeframe: str
    delivered_through: str
    answers: str
    performance_measures: str
    steps: list = field(default_factory=list)
    step_rows: list = field(default_factory=list)
    position: int = 0

    def key(self):
        return (self.theme, self.reference or f"#{self.position}")


@dataclass
class Proposal:
    plan_name: str = ""
    plan_row: int = 0
    plan_starts: date | None = None
    plan_ends: date | None = None
    # Where each plan date came from: {"plan_ends": (row, the cell as written)}.
    plan_cells: dict = field(default_factory=dict)
    themes: dict = field(default_factory=dict)
    actions: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)


def _error(row, key, value, message):
    return f"Row {row}, {HEADERS[key]}: {quoted(value) if value else 'empty'}: {message}"


def propose(rows):
    """What the rows ask for, and every error in them, naming row, column and value."""
    proposal = Proposal()
    errors = proposal.errors
    current = None
    positions = {}
    references = {}
    for number, cells in rows:
        _check_lengths(proposal, number, cells)
        _read_plan_name(proposal, number, cells)
        _read_plan_dates(proposal, number, cells)
        if not cells["action"]:
            _read_step_row(proposal, number, cells, current)
            continue
        if not cells["theme"]:
            errors.append(_error(number, "theme", "", "every action needs its theme."))
            continue
        _read_theme(proposal, number, cells)
        positions[cells["theme"]] = positions.get(cells["theme"], 0) + 1
        current = _read_action(
            proposal, number, cells, position=positions[cells["theme"]], references=references
        )
    if not proposal.plan_name and not errors:
        errors.append(f"Row {rows[0][0]}, {HEADERS['plan']}: empty: name the plan.")
    return proposal


def _check_lengths(proposal, number, cells):
    """An error for each of the row's cells longer than its field holds (LIMITS)."""
    errors = proposal.errors
    for key, limit in LIMITS.items():
        if len(cells.get(key, "")) > limit:
            # In the web form's words (cypeplan.forms.WrittenText), as updates say it.
            errors.append(
                _error(
                    number,
                    key,
                    cells[key],
                    f"“{HEADERS[key]}” must be {limit:,} characters or fewer: it has "
                    f"{len(cells[key]):,}. Shorten it.",
                )
            )


def _read_plan_name(proposal, number, cells):
    """The plan's name from the first row that gives one; an error for a row naming another."""
    errors = proposal.errors
    if cells["plan"]:
        if not proposal.plan_name:
            proposal.plan_name, proposal.plan_row = cells["plan"], number
        elif cells["plan"] != proposal.plan_name:
            errors.append(
                _error(
                    number,
                    "plan",
                    cells["plan"],
                    f"every row must be for one plan, and row "
                    f"{proposal.plan_row} says {quoted(proposal.plan_name)}.",
                )
            )


def _read_plan_dates(proposal, number, cells):
    """The plan's dates from the first row that gives each; an error for a date that isn't
    one, is out of range, or differs from the first row's."""
    errors = proposal.errors
    for key in ("plan_starts", "plan_ends"):
        if cells[key]:
            when = read_date(cells[key])
            # The pages work out days around the plan's dates: they must be real ones.
            outside = in_range(when, date_format(when, "j F Y"))[1] if when else ""
            if when is None:
                errors.append(
                    _error(
                        number,
                        key,
                        cells[key],
                        why_not_a_date(cells[key], "01/04/2022"),
                    )
                )
            elif getattr(proposal, key) is None:
                if outside:
                    errors.append(_error(number, key, cells[key], outside))
                setattr(proposal, key, when)
                proposal.plan_cells[key] = (number, cells[key])
            elif when != getattr(proposal, key):
                first_row, first_written = proposal.plan_cells[key]
                errors.append(
                    _error(
                        number,
                        key,
                        cells[key],
                        f"every row must give the plan the same date it "
                        f"{key.removeprefix('plan_')}, and row {first_row} says "
                        f"{quoted(first_written)}.",
                    )
                )


def _read_step_row(proposal, number, cells, current):
    """A row without an action: a sub-step of `current`, the action on a row above it (None
    if there is none), or an empty row; an error if it is neither."""
    errors = proposal.errors
    if not cells["sub_step"]:
        if any(cells[key] for key in ("leads", "timeframe", "expected_outcome")):
            errors.append(
                _error(
                    number,
                    "action",
                    "",
                    "the row has no action. Write the action, or leave the row empty.",
                )
            )
        return
    if current is None:
        errors.append(
            _error(
                number,
                "sub_step",
                cells["sub_step"],
                "a sub-step needs its action on a row above it.",
            )
        )
        return
    if cells["reference"] and cells["reference"] != current.reference:
        errors.append(
            _error(
                number,
                "reference",
                cells["reference"],
                f"this sub-step is under action {quoted(current.reference)}; leave "
                "the reference empty or make it the same.",
            )
        )
    _step(current, number, cells, proposal)


def _read_theme(proposal, number, cells):
    """The row's theme, added at its first row; a later row fills in what that one left
    empty."""
    theme = proposal.themes.setdefault(
        cells["theme"],
        {
            "row": number,
            "reference": cells["theme_reference"],
            "description": cells["theme_description"],
            "performance_measures": cells["theme_measures"],
            "position": len(proposal.themes) + 1,
        },
    )
    for key, name in [
        ("theme_reference", "reference"),
        ("theme_description", "description"),
        ("theme_measures", "performance_measures"),
    ]:
        if cells[key] and not theme[name]:
            theme[name] = cells[key]


def _read_action(proposal, number, cells, *, position, references):
    """The row's action, `position`-th in its theme, with its errors; its sub-step, if the
    row has one. `references` holds the row of each (theme, reference) seen so far."""
    errors = proposal.errors
    current = ProposedAction(
        row=number,
        theme=cells["theme"],
        reference=cells["reference"],
        description=cells["action"],
        expected_outcome=cells["expected_outcome"],
        leads=lead_names(cells["leads"]),
        timeframe=" ".join(cells["timeframe"].split()),
        delivered_through=cells["delivered_through"],
        answers=cells["answers"],
        performance_measures=cells["performance_measures"],
        position=position,
    )
    if cells["reference"]:
        earlier = references.setdefault((cells["theme"], cells["reference"]), number)
        if earlier != number:
            errors.append(
                _error(
                    number,
                    "reference",
                    cells["reference"],
                    f"row {earlier} has the same reference in the same theme.",
                )
            )
    if not current.leads:
        errors.append(_error(number, "leads", "", "every action needs at least one lead."))
    if not current.timeframe:
        errors.append(
            _error(
                number,
                "timeframe",
                "",
                "every action needs a timeframe, such as “March 2023” or “Ongoing”.",
            )
        )
    else:
        _check_timeframe(proposal, number, "timeframe", current.timeframe)
    proposal.actions.append(current)
    if cells["sub_step"]:
        _step(current, number, cells, proposal)
    elif cells["sub_step_timeframe"]:
        errors.append(
            _error(
                number,
                "sub_step_timeframe",
                cells["sub_step_timeframe"],
                "a sub-step timeframe needs its sub-step.",
            )
        )
    return current


def _step(action, number, cells, proposal):
    label = " ".join(cells["sub_step_timeframe"].split())
    action.steps.append((cells["sub_step"], label))
    action.step_rows.append(number)
    if label:
        _check_timeframe(proposal, number, "sub_step_timeframe", label)


def _check_timeframe(proposal, number, key, label):
    try:
        parse_timeframe(label)
    except TimeframeError as error:
        proposal.unreadable.append(
            {
                "row": number,
                "column": HEADERS[key],
                "value": label,
                "message": " ".join(error.messages),
            }
        )
