"""Django's form fields in GOV.UK Frontend's markup, for templates/django/forms/."""

from django import forms, template
from django.template.base import render_value_in_context
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


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


# --- A select's options --------------------------------------------------------

# The option template every Select of Django's has, unless a widget names its own.
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


@register.simple_tag(takes_context=True)
def select_options(context, widget):
    """A select's options and option groups, byte for byte as Django's select.html and
    select_option.html write them (templates/django/forms/widgets/select.html). Written
    here, not by the template engine: that cost about 50 µs an option, and the register's
    lead picker has one for every lead (over 400 at 10,000 actions). An option with a
    template of its own still gets it."""
    parts = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(
                format_html('\n  <optgroup label="{}">', _as_template_writes(context, group_name))
            )
        for option in group_choices:
            parts.append("\n  ")
            if option["template_name"] == OPTION_TEMPLATE:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        _attributes(option["attrs"]),
                        _as_template_writes(context, option["label"]),
                    )
                )
            else:
                parts.append(
                    render_to_string(
                        option["template_name"], {**context.flatten(), "widget": option}
                    )
                )
        if group_name:
            parts.append("\n  </optgroup>")
    # Each part is escaped above.
    return mark_safe("".join(parts))


def _attributes(attrs):
    """HTML attributes as django/forms/widgets/attrs.html writes them: True as the bare
    name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, str(value)),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


def _as_template_writes(context, value):
    """{{ value }}: localized (a number, a date) and escaped, unless marked safe."""
    # render_value_in_context escapes what isn't marked safe, as {{ }} does.
    return mark_safe(render_value_in_context(value, context))
