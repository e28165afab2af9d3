"""Getting about: the service's navigation and the as-at control's links."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from actions import hooks

register = template.Library()


# --- Service navigation ---------------------------------------------------------

# (section, text, URL name, what it keeps): the pages every signed-in person can
# reach. Links keep the page's chosen plan and as-at date ("plan") or the date alone.
SERVICE_NAVIGATION = (
    ("dashboard", "Dashboard", "actions:dashboard", "plan"),
    ("overdue", "Overdue", "actions:overdue", "plan"),
    ("at-risk", "At risk", "actions:at_risk", "plan"),
    ("register", "Register", "actions:register", "plan"),
    ("my-actions", "My actions", "actions:my_actions", "date"),
)
ADMIN_NAVIGATION = ("admin", "Admin", "admin:index", "")


@register.simple_tag(takes_context=True)
def service_navigation(context):
    """`{% service_navigation as items %}`: the navigation for the signed-in user.

    Each item has text, href and current: "page" on the page a link goes to, "true"
    elsewhere in its section, "" otherwise (for aria-current). A page names its
    section with the context variable `nav_section` (one of dashboard, overdue,
    at-risk, register, my-actions, admin); without it, the section is the item whose
    address the request's path starts with.
    """
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    scope = context.get("scope")
    kept = {"plan": getattr(scope, "keep", ""), "date": getattr(scope, "keep_date", "")}
    # Other apps' links (actions/hooks.py) go before "My actions".
    listed = [*SERVICE_NAVIGATION[:-1], *hooks.navigation(), SERVICE_NAVIGATION[-1]]
    entries = [
        (key, text, reverse(name), kept.get(keeps, ""))
        for key, text, name, keeps in ([*listed, ADMIN_NAVIGATION] if user.is_staff else listed)
    ]
    if not user.has_perm("actions.add_progressupdate"):
        # Scrutiny members record nothing, so they have no "My actions".
        entries = [entry for entry in entries if entry[0] != "my-actions"]
    path = request.path if request is not None else ""
    section = context.get("nav_section") or ""
    if not section:
        matches = [
            (len(href), key)
            for key, _, href, _ in entries
            if path == href or (href != "/" and path.startswith(href))
        ]
        section = max(matches)[1] if matches else ""
    items = []
    for key, text, href, query in entries:
        current = ""
        if key == section:
            current = "page" if path == href else "true"
        items.append(
            {
                "key": key,
                "text": text,
                "href": f"{href}?{query}" if query else href,
                "current": current,
            }
        )
    return items


# --- The as-at control ----------------------------------------------------------


@register.simple_tag
def scope_link(scope, keep_params=None, choose_plan=False, as_at=""):
    """`{% scope_link scope keep_params choose_plan "2023-03-31" %}`: a link to this page
    at another as-at date (empty: the page's default), keeping the plan (when the page
    chooses one) and the page's other parameters."""
    values = []
    if choose_plan and scope.plan is not None:
        values.append(("plan", scope.plan.slug))
    values.extend(keep_params or [])
    if as_at:
        values.append(("as_at", str(as_at)))
    return "?" + urlencode(values)
