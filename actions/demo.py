"""Synthetic demo plans of any size, for demonstrations, benchmarks and query-count tests.

Everything generated says it is synthetic: the plan's name, its themes, its leads ("Demo
Lead 01"), every narrative ("Synthetic update 3 for action 2.14"). Nothing in it may be
mistaken for a council plan or a member of council staff.
"""

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from themes.models import Plan, Theme

from .models import (
    RAG,
    Action,
    Division,
    Lead,
    NewestUpdate,
    ProgressUpdate,
    Status,
    SubStep,
    Timeframe,
    update_window,
    warning_window,
)
from .models.newest import newest_updates_keep

DIVISION = "Synthetic demo division"
LEAD_COUNT = 40
LEAD_JOB_TITLE = "Synthetic demo lead"
# (name, share of the plan's actions): themes are uneven, as in the real plans.
THEMES = [
    ("Early support for families", 16),
    ("Safe and stable homes", 14),
    ("Learning and achievement", 13),
    ("Health and wellbeing", 12),
    ("Workforce and practice", 12),
    ("Partnership working", 12),
    ("Voice and participation", 11),
    ("Data and quality assurance", 10),
]
BATCH_SIZE = 1000

# What becomes of each action by the as-at date, and how often. The first few actions
# take one each of GUARANTEED, so even a five-action plan shows every position.
FATES = {
    "complete": 26,
    "closed": 3,
    "overdue": 12,
    "red": 6,
    "amber": 8,
    "on_hold": 3,
    "in_consultation": 3,
    "stale": 8,
    "never_updated": 5,
    "not_started": 4,
    "due_soon_not_started": 2,
    "no_concerns": 21,
}
GUARANTEED = ["overdue", "red", "stale", "complete", "no_concerns"]
FINAL_STATUS = {
    "complete": Status.COMPLETE,
    "closed": Status.CLOSED,
    "on_hold": Status.ON_HOLD,
    "in_consultation": Status.IN_CONSULTATION,
    "not_started": Status.NOT_STARTED,
    "due_soon_not_started": Status.NOT_STARTED,
}
PAST_DUE = {"overdue"}
DUE_SOON = {"due_soon_not_started"}

MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
# As the plans abbreviate them ("Dec 21", "Sept-Nov 2021", "April 21 and ongoing").
MONTH_SHORT = [
    "Jan", "Feb", "Mar", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec",
]  # fmt: skip

VERBS = ["Review", "Refresh", "Pilot", "Embed", "Evaluate", "Extend", "Co-produce", "Publish"]
SUBJECTS = [
    "the demo referral pathway",
    "the sample early help offer",
    "the example training programme",
    "the placeholder quality assurance framework",
    "the demo partnership protocol",
    "the sample performance dashboard",
    "the example transitions process",
    "the demo recruitment campaign",
    "the sample feedback survey",
    "the placeholder commissioning plan",
]
OUTCOMES = [
    "fewer hand-offs in the demo process",
    "a sample measure moves the right way",
    "staff in the synthetic team report more confidence",
    "a placeholder target is met",
    "the example backlog is cleared",
]
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


class DemoPlanRefused(Exception):
    """A demo plan that would overwrite something it must not; the message says what."""


def demo_plan_slug(actions):
    return f"synthetic-demo-{actions}"


def demo_plan_name(actions):
    return f"Synthetic demo plan: {actions:,} actions (generated, not a council plan)"


def demo_database_settle():
    """Leave the database as it is once its own upkeep has run after a demo plan was made
    or deleted, so pages are timed as they run in use. On PostgreSQL: VACUUM ANALYZE, which
    autovacuum does by itself soon after a bulk load. Until then the planner plans as if
    the new rows were not there, and a count can't be answered from an index alone (a
    past date's late entries at 10,000 actions: 13-15 ms, then 1 ms). VACUUM can't run in
    a transaction, so within one only ANALYZE. SQLite keeps no statistics: nothing to do."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


@transaction.atomic
def demo_plan_delete(*, plan):
    """Delete a synthetic plan and everything under it. Refuses a real plan.

    Updates and actions are protected from casual deletion, so they go in order:
    progress updates, sub-steps, actions, themes, then the plan. Leads and timeframes
    are shared between plans and stay.
    """
    if not plan.is_synthetic:
        raise DemoPlanRefused(
            f"“{plan}” is not synthetic demo data, so it was not deleted. Only plans "
            "generated by generate_demo_plan can be replaced."
        )
    # Generated rows were bulk-created without history, so they go without it too:
    # delete() would write a history row, and read the supporting leads, one action at
    # a time (minutes for 10,000 actions). _raw_delete is one DELETE per table.
    in_plan = {"action__theme__plan": plan}
    NewestUpdate.objects.filter(**in_plan)._raw_delete(using=plan._state.db)
    ProgressUpdate.objects.filter(**in_plan)._raw_delete(using=plan._state.db)
    SubStep.objects.filter(**in_plan)._raw_delete(using=plan._state.db)
    Action.supporting_leads.through.objects.filter(**in_plan)._raw_delete(using=plan._state.db)
    Action.objects.filter(theme__plan=plan)._raw_delete(using=plan._state.db)
    Theme.objects.filter(plan=plan).delete()
    plan.delete()


@transaction.atomic
def demo_plan_generate(*, actions, updates_per_action, seed=0, as_at=None, replace=False):
    """Generate a synthetic plan of `actions` actions with `updates_per_action` progress
    updates each on average (some are never updated, so others have more), and return it.

    The same seed and as-at date (default today) make the same plan. With `replace`, a
    synthetic plan of the same size is deleted first; a real plan never is.
    """
    if actions < 1 or updates_per_action < 0:
        raise ValueError("A demo plan needs at least one action and no negative updates.")
    as_at = as_at or timezone.localdate()
    slug = demo_plan_slug(actions)
    existing = Plan.objects.filter(slug=slug).first()
    if existing is not None:
        if not existing.is_synthetic:
            raise DemoPlanRefused(
                f"A real plan, “{existing}”, already has the address “{slug}”: nothing "
                "was generated."
            )
        if not replace:
            raise DemoPlanRefused(
                f"The synthetic plan “{slug}” already exists: nothing was generated. Use "
                "--replace to delete it and generate it again."
            )
        demo_plan_delete(plan=existing)

    rng = random.Random(seed)
    plan = _plan(actions, as_at)
    specs = _action_specs(rng, actions, updates_per_action, plan, as_at)
    themes = Theme.objects.bulk_create(
        Theme(
            plan=plan,
            name=f"Synthetic theme {number}: {name}",
            position=number,
            reference=str(number),
            description="A generated demo theme, not part of any council plan.",
        )
        for number, (name, _) in enumerate(THEMES, start=1)
    )
    leads = _leads()
    timeframes = _timeframes(
        {spec.label for spec in specs} | {step for spec in specs for step in spec.step_labels}
    )

    created = Action.objects.bulk_create(
        (
            Action(
                theme=themes[spec.theme],
                position=spec.position,
                reference=spec.reference,
                description=spec.description,
                expected_outcome=spec.expected_outcome,
                lead=leads[spec.lead],
                timeframe_id=timeframes[spec.label],
                answers=spec.answers,
                performance_measures=spec.performance_measures,
                delivered_through=spec.delivered_through,
            )
            for spec in specs
        ),
        batch_size=BATCH_SIZE,
    )
    for spec, action in zip(specs, created, strict=True):
        spec.action_id = action.pk
    if any(spec.action_id is None for spec in specs):
        raise RuntimeError("This database did not return the new actions' ids.")

    Action.supporting_leads.through.objects.bulk_create(
        (
            Action.supporting_leads.through(action_id=spec.action_id, lead_id=leads[index].pk)
            for spec in specs
            for index in spec.supporting
        ),
        batch_size=BATCH_SIZE,
    )
    SubStep.objects.bulk_create(
        (
            SubStep(
                action_id=spec.action_id,
                position=number,
                description=f"Synthetic step {number} of action {spec.reference}",
                timeframe_id=timeframes[label],
            )
            for spec in specs
            for number, label in enumerate(spec.step_labels, start=1)
        ),
        batch_size=BATCH_SIZE,
    )
    ProgressUpdate.objects.bulk_create(
        (update for spec in specs for update in _updates(rng, spec, plan, as_at)),
        batch_size=BATCH_SIZE,
    )
    # bulk_create sends no signals: keep each action's newest update from what was made.
    newest_updates_keep(action_ids=Action.objects.filter(theme__plan=plan).values("pk"))
    return plan


@dataclass
class _ActionSpec:
    """An action to generate, worked out before any model is made."""

    theme: int
    position: int
    reference: str
    fate: str
    lead: int
    supporting: list
    label: str
    due_on: date | None
    step_labels: list = field(default_factory=list)
    description: str = ""
    expected_outcome: str = ""
    answers: str = ""
    performance_measures: str = ""
    delivered_through: str = ""
    updates: int = 0
    action_id: int | None = None


def _plan(actions, as_at):
    # Two financial years behind the as-at date and one and a bit ahead, so some
    # actions are long past due and some are not due yet.
    year = as_at.year if as_at.month >= 4 else as_at.year - 1
    return Plan.objects.create(
        name=demo_plan_name(actions),
        slug=demo_plan_slug(actions),
        vision="Synthetic demo data, generated to show and test the tracker at scale. "
        "It is not a council plan, and none of its people are real.",
        starts_on=date(year - 2, 4, 1),
        ends_on=date(year + 2, 3, 31),
        published="Generated (synthetic)",
        is_synthetic=True,
    )


def _leads():
    """The synthetic leads, made once and shared by every synthetic plan."""
    division, _ = Division.objects.get_or_create(name=DIVISION, defaults={"position": 99})
    wanted = {f"Demo Lead {number:02}": f"DL{number:02}" for number in range(1, LEAD_COUNT + 1)}
    have = set(Lead.objects.filter(name__in=wanted).values_list("name", flat=True))
    Lead.objects.bulk_create(
        Lead(name=name, initials=initials, job_title=LEAD_JOB_TITLE, division=division)
        for name, initials in wanted.items()
        if name not in have
    )
    leads = {lead.name: lead for lead in Lead.objects.filter(name__in=wanted)}
    return [leads[name] for name in wanted]


def _timeframes(labels):
    """{label: timeframe id}, making the timeframes no plan has used yet.

    bulk_create skips the pre_save signal that sets a timeframe's dates from its label,
    so each new one applies its label here.
    """
    labels = sorted(labels)
    ids = {}
    for start in range(0, len(labels), 500):
        ids.update(
            Timeframe.objects.filter(label__in=labels[start : start + 500]).values_list(
                "label", "pk"
            )
        )
    new = [Timeframe(label=label) for label in labels if label not in ids]
    for timeframe in new:
        timeframe.apply_label()
    Timeframe.objects.bulk_create(new, batch_size=BATCH_SIZE)
    ids.update((timeframe.label, timeframe.pk) for timeframe in new)
    return ids


def _weighted(rng, weights, count):
    population = list(range(len(weights)))
    return rng.choices(population, weights=weights, k=count)


def _action_specs(rng, count, updates_per_action, plan, as_at):
    fate_names = list(FATES)
    fates = GUARANTEED[:count] + [
        fate_names[index]
        for index in _weighted(rng, list(FATES.values()), max(0, count - len(GUARANTEED)))
    ]
    themes = _weighted(rng, [share for _, share in THEMES], count)
    # Some leads carry far more than others, as in the real plans.
    lead_weights = [1 / (rank**0.5) for rank in range(1, LEAD_COUNT + 1)]
    leads = _weighted(rng, lead_weights, count)
    positions = [0] * len(THEMES)
    specs = []
    for fate, theme, lead in zip(fates, themes, leads, strict=True):
        positions[theme] += 1
        reference = f"{theme + 1}.{positions[theme]}"
        supporting = []
        if rng.random() < 0.2:
            others = [index for index in range(LEAD_COUNT) if index != lead]
            supporting = sorted(rng.sample(others, rng.choice([1, 1, 2])))
        label, due_on, step_labels = _timeframe_for(rng, fate, plan, as_at)
        spec = _ActionSpec(
            theme=theme,
            position=positions[theme],
            reference=reference,
            fate=fate,
            lead=lead,
            supporting=supporting,
            label=label,
            due_on=due_on,
            step_labels=step_labels,
            description=f"Synthetic action {reference}: {rng.choice(VERBS).lower()} "
            f"{rng.choice(SUBJECTS)}",
            expected_outcome=f"Synthetic outcome: {rng.choice(OUTCOMES)}",
            updates=0 if fate == "never_updated" else updates_per_action,
        )
        if rng.random() < 0.1:
            spec.answers = f"[Synthetic recommendation {rng.randint(1, 12)}]"
        if rng.random() < 0.15:
            spec.performance_measures = f"DM {rng.randint(1, 20)}"
        if rng.random() < 0.1:
            spec.delivered_through = f"Synthetic service plan {rng.randint(1, 5)}"
        specs.append(spec)

    # Never-updated actions' share goes to others, so the plan has exactly
    # actions x updates_per_action updates.
    updated = [spec for spec in specs if spec.fate != "never_updated"]
    spare = (count - len(updated)) * updates_per_action
    for spec in rng.choices(updated, k=spare):
        spec.updates += 1
    return specs


def _month_end(year, month):
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _plan_month_end(rng, earliest, latest):
    """The end of a month whose end falls between `earliest` and `latest`, inclusive."""
    months = []
    year, month = earliest.year, earliest.month
    while (year, month) <= (latest.year, latest.month):
        end = _month_end(year, month)
        if earliest <= end <= latest:
            months.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return rng.choice(months) if months else latest


def _timeframe_for(rng, fate, plan, as_at):
    """(label, due date, sub-step labels), in one of the ways the plans word timeframes."""
    if fate in DUE_SOON:
        due = as_at + timedelta(days=rng.randint(3, warning_window().days - 2))
        return (f"{due:%d/%m/%Y}" if rng.random() < 0.5 else f"{due:%d/%m/%y}"), due, []

    # A month's label means its last day, so past-due actions end a month clear of the
    # as-at date and future ones start a month after the warning window.
    past = (plan.starts_on + timedelta(days=90), as_at - timedelta(days=35))
    future = (as_at + warning_window() + timedelta(days=35), plan.ends_on)
    if fate in PAST_DUE:
        span = past
    elif fate in ("complete", "closed"):
        span = past if rng.random() < 0.75 else future
    elif fate == "never_updated":
        span = past if rng.random() < 0.5 else future
    elif rng.random() < 0.15:
        return _ongoing_label(rng, plan, as_at), None, []
    else:
        span = future
    due = _plan_month_end(rng, *span)
    if rng.random() < 0.3:
        due = due.replace(day=rng.choice([1, 15]))
    month, year = due.month, due.year

    form = rng.choices(
        ["month", "short_month", "date", "short_date", "month_number", "range", "milestones",
         "and", "tbc", "meeting"],
        weights=[24, 14, 12, 10, 4, 10, 10, 5, 6, 5],
    )[0]  # fmt: skip
    if form == "month":
        return f"{MONTH_NAMES[month - 1]} {year}", _month_end(year, month), []
    if form == "short_month":
        return f"{MONTH_SHORT[month - 1]} {year % 100:02}", _month_end(year, month), []
    if form == "month_number":
        return f"{month:02}/{year}", _month_end(year, month), []
    if form == "range":
        first = (month - 1 - rng.choice([1, 2])) % 12
        return (
            f"{MONTH_SHORT[first]}-{MONTH_SHORT[month - 1]} {year}",
            _month_end(year, month),
            [],
        )
    if form in ("milestones", "and"):
        steps = [due]
        for _ in range(rng.choice([1, 1, 2]) if form == "milestones" else 1):
            earlier = steps[0] - timedelta(days=rng.choice([61, 92, 122, 183]))
            steps.insert(0, _month_end(earlier.year, earlier.month))
        steps = sorted(set(steps))
        if form == "and":
            label = f"{steps[0]:%d/%m/%Y} and {steps[-1]:%d/%m/%y}"
        else:
            label = " ".join(f"{step:%d/%m/%y}" for step in steps)
        return label, steps[-1], [f"{step:%d/%m/%y}" for step in steps]
    if form == "tbc":
        return f"{due:%d/%m/%y} (TBC)", due, []
    if form == "meeting":
        return f"Initial meeting {due:%d/%m/%y}", due, []
    if form == "short_date":
        return f"{due:%d/%m/%y}", due, []
    return f"{due:%d/%m/%Y}", due, []


def _ongoing_label(rng, plan, as_at):
    form = rng.choice(["Ongoing", "On going", "and ongoing"])
    if form != "and ongoing":
        return form
    start = plan.starts_on + timedelta(days=rng.randint(0, max(0, (as_at - plan.starts_on).days)))
    return f"{MONTH_SHORT[start.month - 1]} {start.year % 100:02} and ongoing"


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
