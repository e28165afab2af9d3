"""The statuses and RAG ratings a progress update records, and how people read them."""

from django.db import models


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IN_CONSULTATION = "in_consultation", "In consultation"
    ON_HOLD = "on_hold", "On hold"
    COMPLETE = "complete", "Complete"
    CLOSED = "closed", "Closed / superseded"


# A complete or closed action is finished: neither overdue, at risk nor stale.
FINISHED = (Status.COMPLETE, Status.CLOSED)


class RAG(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


AT_RISK_RAGS = (RAG.RED, RAG.AMBER)


def rag_words(status, rag):
    """The RAG as people read it: a complete or closed action shows its status rather than
    a colour; an unrated one says "Not rated". Always a word, never colour alone."""
    if status in FINISHED:
        return Status(status).label
    return RAG(rag).label if rag else "Not rated"
