"""Template tags for cypeplan's GOV.UK Frontend pages: `{% load cypeplan %}`.

- `govuk_date`: dates as GOV.UK writes them ("31 March 2023").
- `shortened`: Django's truncatechars, quick for text that already fits.
- `web_links`: text with its line breaks, each http or https web address in it a link.
- `isolated`: a name set apart from the words around it in plain text such as a page's
  <title>, where <bdi> can't go (cypeplan.forms.isolated).
- `rag_tag`: the RAG or status tag, always as a word (templates/includes/rag_tag.html).
- `elided_pages`: the page numbers for GOV.UK pagination, with gaps.
- `service_navigation`: the header's navigation, with the current section marked.
- `print_heading`: the running head printed on each sheet of a page about no plan or date.
- `late_entries`: for a past as-at date, the updates entered since that change its position
  (templates/includes/late_entries.html).
- `govuk_widget`, `govuk_widget_type`, `govuk_errors`, `govuk_error_target`: used by
  the form templates in templates/django/forms/ and includes/error_summary.html to
  render Django fields in GOV.UK markup.

Query strings for links that keep the other parameters: use Django's own
`{% querystring page=3 %}`.
"""

import datetime
import functools
import html
import unicodedata
from urllib.parse import urlencode

from django import forms, template
from django.core.paginator import Paginator
from django.db import models
from django.template.defaultfilters import stringfilter
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import escape, format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, normalize_newlines
from django.utils.translation import get_language

from actions import hooks
from actions.late_entries import EVERY_PLAN, About
from actions.models import (
    FINISHED,
    RAG,
    Status,
    rag_words,
)
from actions.positions import POSITION_WORDS
from cypeplan.forms import has_right_to_left
from cypeplan.forms import isolated as isolated_text
from cypeplan.links import web_address_pieces

register = template.Library()

GOVUK_DATE = "j F Y"


@register.filter
def govuk_date(value, arg=GOVUK_DATE):
    """A date (or datetime, in local time) as "31 March 2023"; empty for no date."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if not isinstance(value, datetime.date):
        return value
    return day_in_words(value, arg)


def day_in_words(day, form=GOVUK_DATE):
    """Django's date format of a day, kept: a list draws the same few days (quarter ends,
    due dates, report dates) on every row, each in up to three places, and formatting one
    takes as long as drawing the rest of its cell."""
    return _day_in_words(day, form, get_language())


@register.filter(is_safe=True)
@stringfilter
def shortened(value, length):
    """Django's truncatechars, without its cost when the text already fits, as an
    action's description nearly always does on every row of a list: the same text."""
    length = int(length)
    text = unicodedata.normalize("NFC", value)
    if length > 0 and len(text) <= length:
        return text
    return Truncator(value).chars(length)


@register.filter(is_safe=True)
@stringfilter
def isolated(value):
    """A name (a committee's, a theme's, a lead's) set apart from the words around it in a
    page's <title>, which can't hold <bdi>: one in Hebrew or Arabic otherwise takes the
    comma and date after it into its right-to-left order. Text with no right-to-left
    letter, which nothing can reorder, is left as it is."""
    return isolated_text(value) if has_right_to_left(value) else value


@register.filter(is_safe=True)
def web_links(value):
    """`value` as linebreaksbr shows it, escaped, with each http or https web address in it
    a link (the Word papers link the same ones: cypeplan.links)."""
    html = []
    for words, address in web_address_pieces(normalize_newlines(str(value))):
        if address:
            html.append(
                format_html(
                    '<a class="govuk-link app-web-address" href="{}" '
                    'rel="noopener noreferrer">{}</a>',
                    address,
                    address,
                )
            )
        else:
            html.append(escape(words).replace("\n", "<br>"))
    return mark_safe("".join(html))


@functools.lru_cache(maxsize=4096)
def _day_in_words(day, form, language):
    # `language` keys the cache: month names are translated.
    return format_date(day, form)


# --- RAG and status tags --------------------------------------------------------

# GOV.UK's tag colours (each passes WCAG AA contrast, text on its background).
RAG_TAG_CLASSES = {
    RAG.RED: "govuk-tag--red",
    RAG.AMBER: "govuk-tag--yellow",
    RAG.GREEN: "govuk-tag--green",
}
STATUS_TAG_CLASSES = {
    Status.COMPLETE: "",  # GOV.UK's plain tag is blue
    Status.CLOSED: "govuk-tag--grey",
}
NOT_RATED_CLASS = "govuk-tag--grey"
NOT_RATED = "Not rated"


def _choice(choices, value):
    """The member of `choices` that `value` names, by value or by label; else None."""
    if value is None or value == "":
        return None
    if isinstance(value, choices):
        return value
    # Nearly always the stored value itself: found without translating every label.
    member = choices._value2member_map_.get(value)
    if member is not None:
        return member
    text = str(value).strip()
    for member in choices:
        if text.lower() in (member.value.lower(), member.label.lower()):
            return member
    return None


def rag_tag_parts(rag=None, status=None):
    """The word (actions.models.rag_words) and classes for a RAG tag."""
    status_member = _choice(Status, status)
    rag_member = _choice(RAG, rag)
    label = rag_words(status_member, rag_member or "")
    if status_member in FINISHED:
        key = status_member.value
        classes = STATUS_TAG_CLASSES[status_member]
    elif rag_member is not None:
        key = rag_member.value
        classes = RAG_TAG_CLASSES[rag_member]
    else:
        key, classes = "", NOT_RATED_CLASS
    return {
        "label": label,
        "classes": f"app-rag app-rag--{key or 'none'} {classes}".strip(),
        "key": key,
    }


@register.filter
def finished(status):
    """Whether a status is Complete or Closed / superseded: its RAG tag would only say the
    status again ("Complete Complete")."""
    return _choice(Status, status) in FINISHED


@register.filter
def status_label(value):
    """A status as people read it ("In progress"); the stored value if it is unknown."""
    member = _choice(Status, value)
    return member.label if member else value


@register.simple_tag
def rag_tag_context(rag=None, status=None):
    """`{% rag_tag_context rag status as tag %}`: tag.label, tag.classes, tag.key."""
    return rag_tag_parts(rag, status)


@register.simple_tag
def rag_tag(rag=None, status=None, date=None):
    """`{% rag_tag action.rag action.status action.reported_on %}`: the tag, and the date it
    stands at when given. Plain code rather than a template: every row of every list and
    table draws one (includes/rag_tag.html says the same)."""
    tag = rag_tag_parts(rag, status)
    html = format_html('<strong class="govuk-tag {}">{}</strong>', tag["classes"], tag["label"])
    if date:
        html += format_html('<span class="app-rag__date">as at {}</span>', govuk_date(date))
    return html


@register.simple_tag
def due_date(action):
    """`{% due_date action %}`: the due date an action is judged against (with_state's
    due_on) and, where an officer's revised date stands in its place, the plan's own date
    beside it. `action`: a with_state row or an ActionState. Plain code: every row of a
    list draws one."""
    if not action.due_on:
        return "No due date"
    html = format_html("{}", day_in_words(action.due_on, "j M Y"))
    if action.due_on != action.original_due_on:
        original = (
            day_in_words(action.original_due_on, "j M Y") if action.original_due_on else "no date"
        )
        html += format_html(
            '<br><span class="govuk-hint govuk-!-font-size-16">Revised: the plan said {}</span>',
            original,
        )
    return html


# An action's position as words in tags (position_tags).
_TAG_COLOURS = {"is_overdue": "red", "is_at_risk": "orange", "has_no_concerns": "grey"}
# Overdue and At risk side by side have a space between them.
_POSITION_TAGS = tuple(
    (
        flag,
        f'<strong class="govuk-tag govuk-tag--{_TAG_COLOURS[flag]}">{word}</strong>'
        + (" " if flag == "is_overdue" else ""),
    )
    for flag, word in POSITION_WORDS
)


@register.simple_tag
def position_tags(action, standalone=False):
    """`{% position_tags action %}`: an action's position as words in tags: Overdue, At
    risk, or No concerns; a finished action's status only when `standalone` (in a table its
    status column says it). Never green: Green is the officer's RAG, not ours. `action` is
    a with_state row or an ActionState. Plain code: every row of every list draws one."""
    if action.is_finished:
        if not standalone:
            return ""
        return format_html(
            '<strong class="govuk-tag govuk-tag--blue">{}</strong>',
            status_label(action.latest_status),
        )
    return mark_safe("".join(tag for flag, tag in _POSITION_TAGS if getattr(action, flag)))


# --- Pagination -----------------------------------------------------------------


@register.simple_tag
def elided_pages(page, on_each_side=1, on_ends=1):
    """`{% elided_pages page_obj as pages %}`: page numbers, with None for a gap."""
    return [
        None if number == Paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]


# --- Form fields in GOV.UK markup -----------------------------------------------


def _widget_type(widget):
    if widget.is_hidden:
        return "hidden"
    # CheckboxSelectMultiple is a kind of RadioSelect in Django: ask about it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select | forms.SelectMultiple | forms.SelectDateWidget):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.MultiWidget):
        return "multi"
    return "input"


# The GOV.UK class each kind of widget takes, and its error modifier.
WIDGET_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "password": (
        "govuk-input govuk-password-input__input govuk-js-password-input-input",
        "govuk-input--error",
    ),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
    # A MultiWidget passes the class to each part (actions.forms.GovukDateInput reads
    # "--error" from it to mark its own parts).
    "multi": ("govuk-input", "govuk-input--error"),
}


@register.filter
def govuk_widget_type(bound_field):
    """One of input, password, textarea, select, file, checkbox, radios, checkboxes,
    multi or hidden."""
    return _widget_type(bound_field.field.widget)


@register.filter
def govuk_widget(bound_field):
    """The field's widget, with GOV.UK's classes added to any of its own."""
    widget = bound_field.field.widget
    kind = _widget_type(widget)
    if kind not in WIDGET_CLASSES:
        return bound_field.as_widget()
    base, error = WIDGET_CLASSES[kind]
    classes = [base]
    if bound_field.errors and error:
        classes.append(error)
    if kind == "input" and getattr(widget, "input_type", "") == "date":
        classes.append("govuk-input--width-10")
    if widget.attrs.get("class"):
        classes.append(widget.attrs["class"])
    attrs = {"class": " ".join(classes)}
    if kind == "password":
        attrs.update(spellcheck="false", autocapitalize="none")
    return bound_field.as_widget(attrs=attrs)


# Django's generic "This field is required." says nothing of which field, so an error
# summary of several reads as the same sentence again and again. Say which, as a sentence
# ("Select status"); a form gives a field a warmer message of its own ("Enter your
# username") with the field's error_messages["required"].
REQUIRED_VERBS = {
    "radios": "Select",
    "select": "Select",
    "checkboxes": "Select",
    "checkbox": "Tick",
    "file": "Upload",
}


@register.filter
def govuk_errors(bound_field):
    """The field's error messages, Django's generic "required" one naming the field."""
    generic = str(forms.Field.default_error_messages["required"])
    kind = _widget_type(bound_field.field.widget)
    messages = []
    for error in bound_field.errors:
        if str(error) == generic and bound_field.label:
            label = str(bound_field.label)
            if label.endswith("?"):
                # A question doesn't read as a thing to enter: ask for its answer.
                error = f"Answer “{label}”"
            else:
                verb = REQUIRED_VERBS.get(kind, "Enter")
                error = f"{verb} {_in_a_sentence(label)}"
        messages.append(error)
    return messages


def _in_a_sentence(label):
    """A label as words inside a sentence: "Title" -> "title"; "RAG rating" kept."""
    label = str(label).rstrip("?:. ")
    first = label.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first.isupper()):
        return label
    return label[:1].lower() + label[1:]


@register.filter
def govuk_error_target(bound_field):
    """The id an error summary links to: the field's input, or its first option."""
    kind = _widget_type(bound_field.field.widget)
    if kind in ("radios", "checkboxes"):
        for option in bound_field.subwidgets:
            if option.id_for_label:
                return option.id_for_label
    widget = bound_field.field.widget
    field_id = widget.attrs.get("id") or bound_field.auto_id
    if kind == "multi" and field_id:
        # A MultiWidget's first part, with the id the widget itself gives it (Django's
        # <id>_0, unless the widget names its parts otherwise).
        context = widget.get_context(bound_field.html_name, bound_field.value(), {"id": field_id})
        for part in context["widget"]["subwidgets"]:
            if part["attrs"].get("id"):
                return part["attrs"]["id"]
    return bound_field.id_for_label or bound_field.auto_id or bound_field.html_name


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


# --- Updates entered after a past as-at date ----------------------------------------


def _page_about(context):
    """What a page shows the position of: its action, theme or lead on their pages; the
    chosen plan on plan pages (or where ?plan= filters); None (every plan) unfiltered."""
    for kind in ("action", "theme", "lead"):
        thing = context.get(kind)
        if thing is not None and isinstance(thing, models.Model):
            return About(kind, thing)
    request = context.get("request")
    if context.get("choose_plan") or (request is not None and request.GET.get("plan")):
        return About("plan", context["scope"].plan)
    return None


@register.simple_tag(takes_context=True)
def late_entries(context):
    """How many updates reporting on or before the page's past as-at date were entered after
    that day (ProgressUpdate.entered_late) or corrected after it (corrected_late), how many
    due dates were confirmed after it
    (DateConfirmation.entered_late) and how many timeframes changed after it
    (late_entries.timeframe_changes_late_count), on the actions the page shows, with the
    link to them; and how many of those actions were added to their plan after that day
    (About.added_after), which the page leaves out; and the actions given another lead or
    theme since (About.moved_late), which the page shows where they are now; and on a lead's
    page, the actions they were made or stopped being a supporting lead of since
    (About.support_changed_late), which it counts as they are now. None when there are none
    or the page answers for today. Five COUNT queries, one for the moves and, on a lead's
    page, one for the supporting leads, only on a past date."""
    scope = context.get("scope")
    if scope is None or scope.as_at >= scope.today:
        return None
    about = _page_about(context)
    about_actions = about or EVERY_PLAN
    late = about_actions.entered_late(scope.as_at)
    corrected = about_actions.corrected_late(scope.as_at)
    confirmed = about_actions.confirmed_late(scope.as_at)
    timeframes = about_actions.timeframe_changes_late_count(scope.as_at)
    counts = {
        "count": late.count(),
        "corrected": corrected.count(),
        "confirmed": confirmed.count(),
        "timeframes": timeframes,
    }
    total = sum(counts.values())
    added = about_actions.added_after(scope.as_at).count()
    moved = about_actions.moved_late(scope.as_at)
    supported = about_actions.support_changed_late(scope.as_at)
    if not total and not added and not moved and not supported:
        return None
    query = {"as_at": scope.as_at.isoformat(), **(about.query if about else {})}
    return {
        **counts,
        "total": total,
        "added": added,
        "moved": moved,
        "supported": supported,
        "kind": about.kind if about else "",
        "within": about.within if about else "",
        "url": f"{reverse('actions:late_entries')}?{urlencode(query)}",
    }


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


# Characters a CSS string may hold as they are; anything else (spaces too, so the words
# never read as page text to anything that strips tags) is escaped as \HEX.
_CSS_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@register.filter
def css_string(value):
    """Text for inside a double-quoted CSS string in a <style> element: every character
    that could end the string or the element (quotes, backslash, <, newlines) escaped."""
    return "".join(ch if ch in _CSS_SAFE else f"\\{ord(ch):x} " for ch in str(value))


@register.simple_tag(takes_context=True)
def print_heading(context):
    """For base.html: the running head of each printed sheet of a page that is about no
    plan or as-at date (data quality, the imports, updates by spreadsheet), as a CSS
    string's text: the page's title, from the same {% block title %} as its <title>, and
    the print date."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    title = blocks.get_block("title") if blocks else None
    words = html.unescape(strip_tags(title.render(context))) if title else ""
    printed = timezone.localtime()
    return css_string(f"{' '.join(words.split())} · Printed {printed:%-d %B %Y}")
