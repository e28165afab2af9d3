"""The project's select template (templates/django/forms/widgets/select.html) writes each
option itself, rather than through two template includes per option as Django's does: the
register's filters were a third of its page, most of it the lead picker's options."""

from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.test.signals import template_rendered
from django.utils import timezone
from django.utils.safestring import mark_safe

from actions.filters import ActionFilter
from actions.models import Action
from tests.factories import LeadFactory

SELECTS = [
    forms.Select(choices=[("", "All"), ("1", "one & <b>two</b>"), ("2", "“three”")]),
    forms.Select(choices=[("Group & co", [("1", "one"), ("2", "two")]), ("3", "three")]),
    forms.SelectMultiple(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], attrs={"data-x": "1"}),
    forms.NullBooleanSelect(),
    forms.Select(choices=[(1, "a"), (2, "b")], attrs={"disabled": True, "required": False}),
    # Labels the template localizes (numbers, dates) or leaves as marked safe.
    forms.Select(choices=[(2024, 2024), (1, 12345.5), (2, date(2024, 3, 31))]),
    forms.Select(choices=[("s", mark_safe("<b>safe</b>")), ("q", 'say "hi" & <go>')]),
]
VALUES = ["1", "2", ["x", "z"], True, 2, 2024, "q"]


@pytest.mark.parametrize(("widget", "value"), list(zip(SELECTS, VALUES, strict=True)))
def test_a_select_is_written_byte_for_byte_as_djangos_own_template_writes_it(widget, value):
    ours = widget.render("pick", value, attrs={"id": "id_pick"}, renderer=TemplatesSetting())
    djangos = widget.render("pick", value, attrs={"id": "id_pick"}, renderer=DjangoTemplates())
    assert ours == djangos
    assert ours.count("<option") == len(list(widget.options("pick", widget.format_value(value))))


def test_a_widget_with_an_option_template_of_its_own_still_gets_it():
    # Any template other than Django's select_option.html: here attrs.html, which writes
    # just " selected" for the chosen option.
    widget = forms.Select(choices=[("1", "one"), ("2", "two")])
    widget.option_template_name = "django/forms/widgets/attrs.html"
    ours = widget.render("pick", "2", renderer=TemplatesSetting())
    assert ours == widget.render("pick", "2", renderer=DjangoTemplates())
    assert "<option" not in ours
    assert " selected" in ours


def _templates_rendered(render):
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(count)
    try:
        render()
    finally:
        template_rendered.disconnect(count)
    return rendered


@pytest.mark.django_db
def test_the_registers_lead_picker_renders_as_many_templates_for_300_leads_as_for_3():
    def lead_picker_templates():
        form = ActionFilter({}, queryset=Action.objects.all(), as_at=timezone.localdate()).form
        return _templates_rendered(lambda: str(form["lead"].as_field_group()))

    LeadFactory.create_batch(3)
    few = lead_picker_templates()
    LeadFactory.create_batch(297)
    many = lead_picker_templates()
    assert len(many) == len(few)
    assert "django/forms/widgets/select_option.html" not in many
