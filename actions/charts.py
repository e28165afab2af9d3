"""Geometry for the server-rendered SVG chart of RAG by theme (no JavaScript, no images)."""

# (key, word, fill, text colour): each fill carries its word in the legend and the table.
SEGMENTS = [
    ("red", "Red", "#d4351c", "#ffffff"),
    ("amber", "Amber", "#f47738", "#0b0c0c"),
    ("green", "Green", "#00703c", "#ffffff"),
    ("not_rated", "Not rated", "#505a5f", "#ffffff"),
    ("finished", "Complete or closed", "#1d70b8", "#ffffff"),
]

WIDTH = 640
LABEL_HEIGHT = 22
BAR_HEIGHT = 28
GAP = 14
# A count is written inside its segment only where it fits.
MIN_LABELLED_WIDTH = 22


def rag_by_theme_chart(themes):
    """Stacked horizontal bars, one per theme, scaled to the largest theme.

    `themes` are rows from ActionQuerySet.rag_by_theme.
    """
    largest = max((theme["total"] for theme in themes), default=0)
    bars, y = [], 0
    for theme in themes:
        counts = {**theme, "finished": theme["complete"] + theme["closed"]}
        x, segments = 0.0, []
        for key, word, fill, text_colour in SEGMENTS:
            count = counts[key]
            if not count:
                continue
            width = WIDTH * count / largest
            segments.append(
                {
                    "x": round(x, 2),
                    "width": round(width, 2),
                    "centre": round(x + width / 2, 2),
                    "fill": fill,
                    "text_colour": text_colour,
                    "count": count,
                    "word": word,
                    "show_count": width >= MIN_LABELLED_WIDTH,
                }
            )
            x += width
        bars.append(
            {
                "name": theme["theme__name"],
                "total": theme["total"],
                "label_y": y + LABEL_HEIGHT - 6,
                "bar_y": y + LABEL_HEIGHT,
                "text_y": y + LABEL_HEIGHT + BAR_HEIGHT / 2 + 5,
                "segments": segments,
            }
        )
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    return {
        "width": WIDTH,
        "height": max(y, 1),
        "bar_height": BAR_HEIGHT,
        "bars": bars,
        "legend": [{"word": word, "fill": fill} for _, word, fill, _ in SEGMENTS],
    }
