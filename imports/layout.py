"""The one column layout a plan comes in by, the template workbook that documents it, and a
plan written out in it (so a plan can go out to a spreadsheet and come back)."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from actions.models import Action, Lead, SubStep
from cypeplan.documents import NOT_IN_XML

from .reading import Column, size_limit_words

PLAN_COLUMNS = [
    Column(
        "plan", "Plan", "The plan’s name, the same on every row.", "CYPE Directorate Plan 2022-24"
    ),
    Column(
        "plan_starts",
        "Plan starts",
        "When the plan starts running (day first, e.g. 01/04/2022). Needed only for a new plan.",
        "01/04/2022",
    ),
    Column(
        "plan_ends", "Plan ends", "When the plan ends. Needed only for a new plan.", "31/03/2024"
    ),
    Column(
        "theme",
        "Theme",
        "The heading (theme, priority or project) the action sits under.",
        "Working in Partnership",
    ),
    Column(
        "theme_reference", "Theme reference", "The theme’s number in the plan, if it has one.", "1"
    ),
    Column(
        "theme_description", "Theme description", "What the theme is about, if the plan says.", ""
    ),
    Column(
        "theme_measures",
        "Theme performance measures",
        "The theme’s performance or success measures, one per line.",
        "",
    ),
    Column(
        "reference",
        "Reference",
        "The action’s number in the plan (1.2). Importing again matches actions by plan, "
        "theme and reference, or by their order in the theme where the plan has none.",
        "1.1",
    ),
    Column(
        "action",
        "Action",
        "What will be done, word for word. Empty on a sub-step’s own row.",
        "Develop a partnership protocol for information sharing",
    ),
    Column(
        "expected_outcome",
        "Expected outcome or success measure",
        "As the plan words it.",
        "Partners share information safely and quickly",
    ),
    Column(
        "leads",
        "Lead(s)",
        "Who leads it, by name or initials. Several people: the first is accountable, the "
        "rest support (“PB, MW”, “RM, with CD”, “SH KC”).",
        "Kerry Crichlow",
    ),
    Column(
        "timeframe",
        "Timeframe as written",
        "When it is due, exactly as the plan words it: “March 2023”, “Ongoing”, "
        "“30/09/21 (TBC)”, “Sept-Nov 2021”.",
        "March 2023",
    ),
    Column(
        "delivered_through",
        "Delivered through",
        "The service plan(s) it is delivered through, one per line.",
        "",
    ),
    Column(
        "answers",
        "Recommendation or source it answers",
        "e.g. Ofsted ILACS recommendation. Members filter and group the register by it.",
        "",
    ),
    Column("performance_measures", "Performance measures", "One per line (e.g. EH 9).", ""),
    Column(
        "sub_step",
        "Sub-step",
        "A step within the action. Put each further step on its own row under the action, "
        "with the Action column empty.",
        "",
    ),
    Column("sub_step_timeframe", "Sub-step timeframe", "The step’s own date, as written.", ""),
]

INSTRUCTIONS = [
    "How to fill in this workbook",
    "",
    "One row per action, under the header row on the Plan sheet. Keep the headings as they are.",
    "A sub-step goes in the Sub-step columns: the first on the action’s own row or the next, "
    "each further step on its own row with the Action column empty.",
    "Several people in Lead(s): the first named is accountable and the rest support.",
    "Leads are matched to people already in cypeplan by name or initials; anyone new is "
    "listed in the preview for you to confirm before they are added.",
    "Timeframes are kept exactly as written. A date that does not exist (31/09/21) or "
    "can’t be read is shown in the preview: you may bring it in as “date to be confirmed” "
    "and confirm the real date later on the data-quality page.",
    "Type values, not formulas: formulas are never run, and a file with one is refused.",
    "Don’t merge cells: every row must say everything about itself.",
    f"Save as .xlsx or CSV (UTF-8). The largest file we take is {size_limit_words()}.",
    "Nothing is written until you have seen the preview and confirmed it. Importing the same "
    "file again changes nothing; an action with progress is never deleted, only closed.",
    "",
    "The columns",
]


def lead_words(lead):
    """A lead as a file names them: "Iain Low (IL)", "Debbie Jones" or "PB"."""
    return Lead.shown_as(lead.name, lead.initials)


def plan_rows(plan):
    """The plan in the import layout, one dict per row, in the plan's order (5 queries)."""
    actions = (
        Action.objects.filter(theme__plan=plan)
        .select_related("theme", "lead", "timeframe")
        .prefetch_related("supporting_leads")
        .order_by("theme__position", "theme__name", "position")
    )
    steps = {}
    in_plan = SubStep.objects.in_plan().filter(action__theme__plan=plan)
    for step in in_plan.select_related("timeframe"):
        steps.setdefault(step.action_id, []).append(step)
    rows = []
    for action in actions:
        theme = action.theme
        leads = [action.lead, *sorted(action.supporting_leads.all(), key=lambda lead: lead.pk)]
        common = {
            "plan": plan.name,
            "plan_starts": plan.starts_on.strftime("%d/%m/%Y"),
            "plan_ends": plan.ends_on.strftime("%d/%m/%Y"),
            "theme": theme.name,
            "theme_reference": theme.reference,
            "theme_description": theme.description,
            "theme_measures": theme.performance_measures,
            "reference": action.reference,
        }
        action_steps = sorted(steps.get(action.pk, []), key=lambda step: step.position)
        first, *rest = action_steps or [None]
        rows.append(
            {
                **common,
                "action": action.description,
                "expected_outcome": action.expected_outcome,
                "leads": ", ".join(lead_words(lead) for lead in leads),
                "timeframe": action.timeframe.label,
                "delivered_through": action.delivered_through,
                "answers": action.answers,
                "performance_measures": action.performance_measures,
                **_step_cells(first),
            }
        )
        rows.extend({**common, **_step_cells(step)} for step in rest)
    return rows


def _step_cells(step):
    if step is None:
        return {"sub_step": "", "sub_step_timeframe": ""}
    return {
        "sub_step": step.description,
        "sub_step_timeframe": step.timeframe.label if step.timeframe else "",
    }


# Excel's "Text" number format: what a person types in the cell stays as typed. In the
# "General" format Excel reads it first: "Dec 21" and "3/4" become dates, "50%" 0.5, and
# "01/04/2024" the 4th of January in an American-set Excel (the column reads it day first).
TEXT = "@"

# OOXML's escape for a character in a cell's text: _xHHHH_ (reading.py undoes it).
ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")


def cell_text(value):
    """Text as an .xlsx cell holds it, as Excel writes it: a control character XML can't
    hold (a vertical tab, Word's manual line break, pasted into the admin) as _xHHHH_, and
    text that reads as such an escape with its underscore escaped, so that Excel shows, and
    reading gives back, the text exactly. openpyxl refuses the one (and its list of them
    misses U+FFFE and U+FFFF, which lxml then refused) and keeps the other."""
    if not isinstance(value, str):
        return value
    value = ESCAPE.sub(lambda match: "_x005F" + match.group(0), value)
    return NOT_IN_XML.sub(lambda match: f"_x{ord(match.group(0)):04X}_", value)


def workbook(rows, columns=PLAN_COLUMNS, *, title="Plan", instructions=INSTRUCTIONS):
    """An .xlsx of the rows under the columns' headings, with an instructions sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        # Text cells: a value starting "=" stays text and is never a formula.
        sheet.append([cell_text(row.get(column.key, "")) for column in columns])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            if isinstance(cell.value, str):
                cell.number_format = TEXT
    sheet.freeze_panes = "A2"
    for index in range(1, len(columns) + 1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = 18 if index > 1 else 30
        # Rows a person adds too (a plan's new actions).
        dimension.number_format = TEXT
    guide = book.create_sheet("Instructions")
    for line in instructions:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append(["Column", "What goes in it"])
    for column in columns:
        guide.append([column.header, column.hint])
    guide.column_dimensions["A"].width = 36
    guide.column_dimensions["B"].width = 100
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def template_workbook():
    """The layout with its example row, for a person to fill in."""
    return workbook([{column.key: column.example for column in PLAN_COLUMNS}])
