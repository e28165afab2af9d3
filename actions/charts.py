"""Geometry for the server-rendered chart of RAG by theme (no JavaScript, no images): one
SVG bar per theme, its segments placed in percentages so the bar fills any width while the
text stays at reading size (an SVG scaled by a viewBox shrinks its text on a phone)."""

# (key, word, fill, text colour): each fill carries its word in the legend and the table.
SEGMENTS = [
    ("red", "Red", "#d4351c", "#ffffff"),
    ("amber", "Amber", "#f47738", "#0b0c0c"),
    ("green", "Green", "#00703c", "#ffffff"),
    ("not_rated", "Not rated", "#505a5f", "#ffffff"),
    ("finished", "Complete or closed", "#1d70b8", "#ffffff"),
]

BAR_HEIGHT = 32
# A count is written inside its segment only where it fits on a phone: a tenth of a bar
# is about 30 pixels at 320 pixels wide.
MIN_LABELLED_PERCENT = 10


def rag_by_theme_chart(themes):
    """Stacked horizontal bars, one per theme, scaled to the largest theme.

    `themes` are rows from ActionQuerySet.rag_by_theme.
    """
    largest = max((theme["total"] for theme in themes), default=0)
    bars = []
    for theme in themes:
        counts = {**theme, "finished": theme["complete"] + theme["closed"]}
        x, segments = 0.0, []
        for key, word, fill, text_colour in SEGMENTS:
            count = counts[key]
            if not count:
                continue
            width = 100 * count / largest
            segments.append(
                {
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "centre": round(x + width / 2, 2),
                    "fill": fill,
                    "text_colour": text_colour,
                    "count": count,
                    "word": word,
                    "show_count": width >= MIN_LABELLED_PERCENT,
                }
            )
            x += width
        bars.append({"name": theme["theme__name"], "total": theme["total"], "segments": segments})
    return {
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": [{"word": word, "fill": fill} for _, word, fill, _ in SEGMENTS],
    }
