"""The progress updates a generated action gets: their dates, statuses, RAGs and synthetic
narratives."""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from ..models import RAG, ProgressUpdate, Status, update_window

FINAL_STATUS = {
    "complete": Status.COMPLETE,
    "closed": Status.CLOSED,
    "on_hold": Status.ON_HOLD,
    "in_consultation": Status.IN_CONSULTATION,
    "not_started": Status.NOT_STARTED,
    "due_soon_not_started": Status.NOT_STARTED,
}

WORKING_WELL = [
    "the demo steering group met as planned",
    "sample milestones are on schedule",
    "feedback from the synthetic pilot is positive",
    "the example process is in use",
]
WORRIES = [
    "capacity in the synthetic team is stretched",
    "a demo dependency has slipped",
    "the sample data arrived late",
    "a placeholder partner has not yet agreed",
    "recruitment to the example post is slow",
]
REMEDIES = [
    "escalated to the synthetic board",
    "agreed a revised demo timeline",
    "arranged temporary cover in the synthetic team",
    "meeting the placeholder partner monthly",
]
EVIDENCE = [
    "sign-off recorded in the demo minutes",
    "sample report published",
    "placeholder audit completed",
    "example feedback collected and summarised",
]

# Keys for generated updates: the same plan, action and update always get the same key.
KEY_NAMESPACE = uuid.UUID("6f1c2b0e-5d1a-4f2e-9c61-3f0b8a7d2e11")


def _update_dates(rng, spec, plan, as_at):
    """The dates an action's updates report on: from soon after the plan starts to a last
    update that fits its fate, never after the as-at date."""
    count = spec.updates
    window = update_window().days
    if spec.fate == "stale":
        last = as_at - timedelta(days=window + rng.randint(5, 200))
    elif spec.fate in ("complete", "closed"):
        if spec.due_on and spec.due_on < as_at:
            last = spec.due_on + timedelta(days=rng.randint(-45, 20))
        else:
            last = as_at - timedelta(days=rng.randint(5, 120))
    else:
        last = as_at - timedelta(days=rng.randint(0, window - 15))
    # One update a day at most, so each update's previous one is plain.
    last = min(as_at, max(plan.starts_on + timedelta(days=count - 1), last))
    first = plan.starts_on + timedelta(days=rng.randint(0, 90))
    first = max(plan.starts_on, min(first, last - timedelta(days=count - 1)))
    if count == 1:
        return [last]
    span = (last - first).days
    dates = [first + timedelta(days=round(span * step / (count - 1))) for step in range(count)]
    # A little jitter inside the run, as people report a few days early or late.
    gap = span // (count - 1)
    for step in range(1, count - 1):
        if gap > 10:
            dates[step] += timedelta(days=rng.randint(-3, 3))
    return sorted(dates)


def _final_rag(rng, fate):
    if fate in ("complete", "closed"):
        return ""
    if fate == "red":
        return RAG.RED
    if fate in ("amber", "on_hold"):
        return RAG.AMBER
    if fate == "overdue":
        return rng.choices([RAG.RED, RAG.AMBER, RAG.GREEN], weights=[35, 40, 25])[0]
    if fate == "stale":
        return rng.choice([RAG.GREEN, RAG.GREEN, RAG.AMBER])
    return RAG.GREEN


def _updates(rng, spec, plan, as_at):
    if not spec.updates:
        return []
    dates = _update_dates(rng, spec, plan, as_at)
    final_status = FINAL_STATUS.get(spec.fate, Status.IN_PROGRESS)
    final_rag = _final_rag(rng, spec.fate)
    updates, previous_rag = [], ""
    for number, reported_on in enumerate(dates, start=1):
        is_last = number == len(dates)
        heading = f"Synthetic update {number} for action {spec.reference}"
        if is_last:
            status, rag = final_status, final_rag
        elif final_status == Status.NOT_STARTED:
            status, rag = Status.NOT_STARTED, RAG.GREEN
        else:
            status = Status.NOT_STARTED if number == 1 and rng.random() < 0.3 else None
            status = status or (
                Status.IN_CONSULTATION
                if final_status == Status.IN_CONSULTATION
                else Status.IN_PROGRESS
            )
            rag = RAG.AMBER if rng.random() < 0.15 else RAG.GREEN
            if final_rag == RAG.RED and number == len(dates) - 1:
                rag = RAG.AMBER
        update = ProgressUpdate(
            key=uuid.uuid5(KEY_NAMESPACE, f"{plan.slug}/{spec.reference}/{number}"),
            action_id=spec.action_id,
            reported_on=reported_on,
            status=status,
            rag=rag,
            working_well=f"{heading}: {rng.choice(WORKING_WELL)}.",
            entered_at=timezone.make_aware(datetime.combine(reported_on, time(10, 0))),
        )
        if rag in (RAG.RED, RAG.AMBER):
            update.worried_about = (
                f"{heading}: {rng.choice(WORRIES)}. What we are doing: {rng.choice(REMEDIES)}."
            )
        if previous_rag and rag and rag != previous_rag:
            update.rag_change_reason = f"{heading}: the synthetic position changed."
        if status == Status.COMPLETE:
            update.evidence = (
                f"Synthetic evidence for action {spec.reference}: {rng.choice(EVIDENCE)} "
                "(generated, not a real document)."
            )
            if rng.random() < 0.5:
                update.evidence_links = (
                    f"https://example.org/synthetic-evidence/{plan.slug}/{spec.reference}"
                )
        if status == Status.CLOSED:
            update.working_well = f"{heading}: closed, superseded by another synthetic action."
        previous_rag = rag or previous_rag
        updates.append(update)
    return updates
