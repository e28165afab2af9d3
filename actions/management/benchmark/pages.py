"""The pages timed, the sample's heaviest objects they show, and who opens them."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.urls import reverse

from actions.models import Action, Lead
from actions.roles import OFFICERS, SCRUTINY_MEMBERS


@dataclass(frozen=True)
class Page:
    """A page to visit: `about` names the sample object whose id its address takes."""

    name: str
    url_name: str
    about: str | None = None
    query: dict = field(default_factory=dict)
    visitor: str = "member"
    # False: timed as the first visit after a change, with nothing kept (cypeplan/kept.py).
    kept: bool = True


# Every page a reader opens. Adding a page here adds it to `make bench` and, once its
# query count is written down, to tests/test_query_counts.py.
PAGES = [
    Page("dashboard", "actions:dashboard"),
    Page("dashboard, nothing kept", "actions:dashboard", kept=False),
    Page("overdue by lead", "actions:overdue", query={"by": "lead"}),
    Page("overdue by theme", "actions:overdue", query={"by": "theme"}),
    Page("at risk by lead", "actions:at_risk", query={"by": "lead"}),
    Page("at risk by theme", "actions:at_risk", query={"by": "theme"}),
    Page("overdue by lead CSV", "actions:overdue", query={"by": "lead", "_export": "csv"}),
    Page("at risk by theme XLSX", "actions:at_risk", query={"by": "theme", "_export": "xlsx"}),
    Page("register", "actions:register"),
    Page("register, overdue", "actions:register", query={"overdue": "yes"}),
    # Words typed as people type them: no accents, another case, a curly apostrophe.
    Page("register, search", "actions:register", query={"q": "EARLY help"}),
    Page("register, search (no match)", "actions:register", query={"q": "Róisín children’s"}),
    Page("register CSV", "actions:register", query={"_export": "csv"}),
    Page("register XLSX", "actions:register", query={"_export": "xlsx"}),
    Page("action", "actions:detail", about="action"),
    Page("lead (busiest)", "actions:lead", about="lead"),
    Page("theme (largest)", "actions:theme", about="theme"),
    Page("late entries", "actions:late_entries"),
    Page("my actions", "actions:my_actions", visitor="officer"),
    Page("record an update", "actions:record_update", about="action", visitor="officer"),
]


def demo_sample(plan):
    """The ids of the plan's busiest lead, that lead's action with the most updates, and
    the plan's largest theme: the heaviest pages of each kind."""
    lead = (
        Lead.objects.annotate(led=Count("actions", filter=Q(actions__theme__plan=plan)))
        .order_by("-led", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    action = (
        Action.objects.filter(theme__plan=plan, lead=lead)
        .annotate(updates=Count("progress_updates"))
        .order_by("-updates", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    theme = (
        plan.themes.annotate(size=Count("actions"))
        .order_by("-size", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {"action": action, "lead": lead, "theme": theme}


def demo_visitors(sample):
    """A scrutiny member, and an officer who is the sample's busiest lead, by Page.visitor."""
    User = get_user_model()
    member, _ = User.objects.get_or_create(username="benchmark-member")
    member.groups.add(Group.objects.get(name=SCRUTINY_MEMBERS))
    officer, _ = User.objects.get_or_create(username="benchmark-officer")
    officer.groups.add(Group.objects.get(name=OFFICERS))
    Lead.objects.filter(user=officer).update(user=None)
    Lead.objects.filter(pk=sample["lead"]).update(user=officer)
    return {"member": member, "officer": officer}


def page_url(page, *, plan, sample, as_at):
    args = [sample[page.about]] if page.about else []
    query = {"plan": plan.slug, "as_at": as_at.isoformat(), **page.query}
    return f"{reverse(page.url_name, args=args)}?{urlencode(query)}"


# The floor every page is compared with (cypeplan/benchmark.py): signed in, the same
# permission check, a tiny template.
FLOOR = Page("floor", "benchmark_floor")


# How far back "a past date" is.
PAST = timedelta(days=365)


def visit(client, url):
    """(response, size in bytes): the body read as a browser would, streamed or not,
    without keeping it (so peak memory is the server's, not the reader's)."""
    response = client.get(url)
    if response.streaming:
        return response, sum(len(chunk) for chunk in response)
    return response, len(response.content)
