"""GOV.UK tags for an action: its RAG or status, its position, and its due date."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from actions.models import (
    FINISHED,
    RAG,
    Status,
    rag_words,
)
from actions.positions import POSITION_WORDS
from cypeplan.govuk.dates import day_in_words, govuk_date

register = template.Library()


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
