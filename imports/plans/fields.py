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
