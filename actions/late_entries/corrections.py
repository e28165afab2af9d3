"""What a correction of a progress update changed, in words."""


def correction_words(record):
    """What a correction changed that a position reads, in words: "Status: Complete → In
    progress; RAG: not rated → Red"; "Deleted" for a deleted update."""
    from ..models import RAG, Status

    if record.history_type == "-":
        return "Deleted"

    def status(value):
        return Status(value).label if value in Status.values else value

    def rag(value):
        return RAG(value).label if value in RAG.values else "not rated"

    def day(value):
        return f"{value:%-d %B %Y}" if value else "none"

    words = []
    for label, field, say in (
        ("Action", "action_id", str),
        ("Reports on", "reported_on", day),
        ("Status", "status", status),
        ("RAG", "rag", rag),
        ("Revised due date", "revised_due_on", day),
    ):
        was, now = getattr(record, f"{field}_before"), getattr(record, field)
        if was != now:
            words.append(f"{label}: {say(was)} → {say(now)}")
    return "; ".join(words)
