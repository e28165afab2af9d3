"""The fields a preview compares, and how it writes their values."""

ACTION_FIELDS = [
    ("reference", "Reference"),
    ("description", "Action"),
    ("expected_outcome", "Expected outcome"),
    ("lead", "Lead"),
    ("supporting", "Supporting"),
    ("timeframe", "Timeframe"),
    ("delivered_through", "Delivered through"),
    ("answers", "Answers"),
    ("performance_measures", "Performance measures"),
    ("position", "Place in theme"),
    ("steps", "Sub-steps"),
]
THEME_FIELDS = [
    ("reference", "Reference"),
    ("description", "Description"),
    ("performance_measures", "Performance measures"),
    ("position", "Place in plan"),
]


def _steps_words(steps):
    return "\n".join(
        f"{description}" + (f" ({label})" if label else "") for description, label in steps
    )


def _day(when):
    return when.strftime("%d/%m/%Y") if when else ""


def _words_in_file(action, leads, lead_words, supporting_words):
    """A row's fields as the preview writes them, to compare with `_words_now`."""
    return {
        "reference": action.reference,
        "description": action.description,
        "expected_outcome": action.expected_outcome,
        "lead": leads.shown(lead_words),
        "supporting": ", ".join(sorted(leads.shown(words) for words in supporting_words)),
        "timeframe": action.timeframe,
        "delivered_through": action.delivered_through,
        "answers": action.answers,
        "performance_measures": action.performance_measures,
        "position": str(action.position),
        "steps": _steps_words(action.steps),
    }


def _words_now(now, steps_now):
    """An action's fields as the preview writes them, to compare with `_words_in_file`."""
    return {
        "reference": now.reference,
        "description": now.description,
        "expected_outcome": now.expected_outcome,
        "lead": str(now.lead),
        "supporting": ", ".join(sorted(str(lead) for lead in now.supporting_leads.all())),
        "timeframe": now.timeframe.label,
        "delivered_through": now.delivered_through,
        "answers": now.answers,
        "performance_measures": now.performance_measures,
        "position": str(now.position),
        "steps": _steps_words(
            [
                (s.description, s.timeframe.label if s.timeframe else "")
                for s in steps_now.get(now.pk, [])
            ]
        ),
    }
