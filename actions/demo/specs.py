"""What each generated action will be (theme, lead, fate, timeframe, how many updates),
worked out before any row is made."""

from dataclasses import dataclass, field
from datetime import date

from .timeframes import _timeframe_for

LEAD_COUNT = 40
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
