"""The lists of actions draw their rows in plain code (actions/presentation/rows.py): the
overdue and at-risk lists, and the tables of a lead's and a theme's actions. What it draws
must be what their templates drew, cell for cell, for the council's real plans as at dates
with every kind of position, grouped every way, and for text that needs escaping."""

import re
from datetime import date

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from actions.models import RAG, Action, Lead, Status
from actions.views.dashboards import GROUPINGS, LISTS, exception_actions
from actions.views.scope import Scope
from tests.factories import (
    ActionFactory,
    LeadFactory,
    PlanFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    TimeframeFactory,
)
from tests.shown import shown_action_ids
from themes.models import Plan, Theme

# The rows as templates/actions/exception_list.html drew them before they were drawn in
# plain code: the reference they are held to.
TEMPLATE_ROWS = """{% load cypeplan govuk %}{% for action in group.list %}
              <tr class="govuk-table__row">
                <td class="govuk-table__cell" data-label="Ref">{{ action.reference|default:"–" }}</td>
                <td class="govuk-table__cell" data-label="Action"><a class="govuk-link" href="{% url 'actions:detail' action.pk %}?{{ scope.keep_date }}">{{ action.description|shortened:160 }}</a></td>
                <td class="govuk-table__cell" data-label="{% if by == "theme" %}Lead{% else %}Theme{% endif %}">{% if by == "theme" %}{{ action.lead }}{% else %}{{ action.theme.name }}{% endif %}</td>
                <td class="govuk-table__cell" data-label="Timeframe">{{ action.timeframe.label }}</td>
                <td class="govuk-table__cell" data-label="Due">{% due_date action %}</td>
                <td class="govuk-table__cell govuk-table__cell--numeric" data-label="Days overdue">{{ action.days_overdue|default_if_none:"–" }}</td>
                <td class="govuk-table__cell" data-label="Latest status">{{ action.latest_status|status_label }}</td>
                <td class="govuk-table__cell" data-label="RAG">{% rag_tag action.latest_rag action.latest_status action.latest_reported_on %}</td>
                <td class="govuk-table__cell" data-label="Last updated">{% if action.latest_reported_on %}{{ action.latest_reported_on|govuk_date:"j M Y" }}<br><span class="govuk-hint govuk-!-font-size-16">{{ action.days_since_update }} day{{ action.days_since_update|pluralize }} before</span>{% else %}Never{% endif %}</td>
                <td class="govuk-table__cell" data-label="Why an exception">{% for reason in action.exception_reasons %}{{ reason }}{% if not forloop.last %}; {% endif %}{% empty %}–{% endfor %}</td>
              </tr>
            {% endfor %}"""  # noqa: E501
PLAIN_CODE_ROWS = "{% load cypeplan %}{% exception_rows group.list by scope.keep_date %}"

# The rows as templates/includes/action_table.html drew them.
TEMPLATE_TABLE_ROWS = """{% load cypeplan govuk %}    {% for action in actions %}
      <tr class="govuk-table__row">
        <td class="govuk-table__cell" data-label="Ref">{{ action.reference|default:"–" }}</td>
        <td class="govuk-table__cell" data-label="Action"><a class="govuk-link" href="{% url 'actions:detail' action.pk %}?{{ scope.keep_date }}">{{ action.description|shortened:160 }}</a></td>
        {% if show_theme %}<td class="govuk-table__cell" data-label="Theme">{{ action.theme.name }}{% if show_plan %}<br><span class="govuk-hint govuk-!-font-size-16">{{ action.theme.plan.name }}</span>{% endif %}</td>{% endif %}
        {% if show_lead %}<td class="govuk-table__cell" data-label="Lead">{{ action.lead }}</td>{% endif %}
        {% if lead %}<td class="govuk-table__cell" data-label="Role">{% if action.lead_id == lead.pk %}Accountable{% else %}Supporting{% endif %}</td>{% endif %}
        <td class="govuk-table__cell" data-label="Timeframe">{{ action.timeframe.label }}</td>
        <td class="govuk-table__cell" data-label="Due">{% due_date action %}</td>
        <td class="govuk-table__cell" data-label="Latest status">{{ action.latest_status|status_label }}</td>
        <td class="govuk-table__cell" data-label="RAG">{% rag_tag action.latest_rag action.latest_status action.latest_reported_on %}</td>
        <td class="govuk-table__cell" data-label="Position">{% position_tags action %}{% if action.risk_reasons %}<br><span class="govuk-hint govuk-!-font-size-16">{{ action.risk_reasons|join:"; " }}</span>{% endif %}</td>
      </tr>
    {% empty %}
      <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="10">No actions.</td></tr>
    {% endfor %}"""  # noqa: E501
PLAIN_CODE_TABLE_ROWS = (
    "{% load cypeplan %}{% action_rows actions scope.keep_date show_theme=show_theme "
    "show_plan=show_plan show_lead=show_lead lead=lead %}"
)


def scope_as_at(plan, as_at):
    request = RequestFactory().get("/overdue/", {"plan": plan.slug, "as_at": as_at.isoformat()})
    return Scope.from_request(request, about_plan=True)


def drawn(template, context):
    html = engines["django"].from_string(template).render(context)
    # Only the white space between tags differs.
    return re.sub(r">\s+<", "><", html).strip()


def both(rows, by, scope):
    context = {"group": {"list": rows}, "by": by, "scope": scope}
    return drawn(PLAIN_CODE_ROWS, context), drawn(TEMPLATE_ROWS, context)


def both_tables(rows, scope, **columns):
    context = {"actions": rows, "scope": scope, **columns}
    return drawn(PLAIN_CODE_TABLE_ROWS, context), drawn(TEMPLATE_TABLE_ROWS, context)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "as_at", [date(2021, 8, 1), date(2022, 6, 30), date(2023, 3, 31), date(2024, 3, 31)]
)
def test_the_lists_rows_are_what_the_template_drew_for_the_real_plans(real_plans, as_at):
    seen = set()
    for plan in Plan.objects.all():
        scope = scope_as_at(plan, as_at)
        for kind in LISTS:
            for by in GROUPINGS:
                rows = list(exception_actions(plan, kind, by, as_at))
                ours, template = both(rows, by, scope)

                assert ours == template
                assert ours.count("<tr ") == len(rows)
                seen.update(
                    re.findall(
                        r"(Not rated|Overdue|Never|Revised: the plan said|day before|days before)",
                        ours,
                    )
                )
    # Every kind of cell is among them.
    assert seen >= {"Not rated", "Never", "days before"}, seen


@pytest.mark.django_db
@pytest.mark.parametrize("by", list(GROUPINGS))
def test_text_in_the_lists_rows_is_escaped_as_the_template_escaped_it(by):
    theme = ThemeFactory(plan=PlanFactory(name="A & B"), name='Theme <b>"bold"</b>')
    lead = LeadFactory(name="O'Neil <i>&</i>")
    timeframe = TimeframeFactory(label="March 2023 <script>")
    markup = ActionFactory(
        theme=theme,
        lead=lead,
        timeframe=timeframe,
        reference="1.1 <a>",
        description="Tell <script>alert('x')</script> & " + "long words " * 20,
        answers="Recommendation <3 & 4",
    )
    ProgressUpdateFactory(
        action=markup, reported_on=date(2023, 1, 9), status=Status.NOT_STARTED, rag=RAG.RED
    )
    ActionFactory(
        theme=theme, lead=lead, timeframe=timeframe, reference="", description="Never updated"
    )
    as_at = date(2023, 6, 1)
    scope = scope_as_at(theme.plan, as_at)
    rows = list(exception_actions(theme.plan, "overdue", by, as_at))
    assert len(rows) == 2

    ours, template = both(rows, by, scope)

    assert ours == template
    assert "&lt;script&gt;" in ours and "<script>" not in ours
    assert "1 day before" not in ours and "days before" in ours


@pytest.mark.django_db
def test_the_lists_links_are_reversed_once_a_page_not_once_a_row(
    real_plans, member, reversed_addresses
):
    calls = reversed_addresses
    reversed_for = {}
    for as_at in ("2022-09-30", "2024-03-31"):
        calls.clear()
        response = member.get(
            reverse("actions:overdue"),
            {"plan": "cype-directorate-plan-2022-24", "as_at": as_at, "by": "lead"},
        )
        rows = response.context["page"].paginator.count
        reversed_for[rows] = len(calls)

    # Fewer rows and more, in several groups: each row's link to its action, reversed once.
    assert len(reversed_for) == 2 and min(reversed_for) > 1
    assert set(reversed_for.values()) == {1}


@pytest.mark.django_db
@pytest.mark.parametrize("as_at", [date(2021, 8, 1), date(2023, 3, 31), date(2024, 3, 31)])
def test_the_lead_and_theme_tables_rows_are_what_the_template_drew_for_the_real_plans(
    real_plans, as_at
):
    plan = Plan.objects.first()
    scope = scope_as_at(plan, as_at)
    seen = set()
    for lead in Lead.objects.all():
        # As the lead's page lists them: every plan, the role the lead plays.
        rows = list(Action.objects.of_lead(lead).in_plan_on(as_at).exceptions_first(as_at).listed())
        ours, template = both_tables(rows, scope, show_theme=True, show_plan=True, lead=lead)

        assert ours == template
        assert ours.count("<tr ") == max(len(rows), 1)
        seen.update(
            re.findall(r"(Accountable|Supporting|No concerns|Overdue|At risk|No actions)", ours)
        )
    for theme in Theme.objects.all():
        # As the theme's page lists them, with each one's lead.
        rows = list(
            Action.objects.filter(theme=theme)
            .in_plan_on(as_at)
            .with_state(as_at)
            .select_related("lead", "timeframe")
            .order_by("position")
        )
        ours, template = both_tables(rows, scope, show_lead=True)

        assert ours == template
        seen.update(re.findall(r"(No actions)", ours))
    assert seen >= {"Accountable", "Supporting", "Overdue"}, seen


@pytest.mark.django_db
def test_text_in_the_tables_rows_is_escaped_and_an_empty_table_says_so():
    theme = ThemeFactory(plan=PlanFactory(name="Plan <A & B>"), name='Theme <b>"bold"</b>')
    lead = LeadFactory(name="O'Neil <i>&</i>")
    action = ActionFactory(
        theme=theme,
        lead=lead,
        timeframe=TimeframeFactory(label="March 2023 <script>"),
        reference="1.1 <a>",
        description="Tell <script>alert('x')</script> & " + "long words " * 20,
    )
    ProgressUpdateFactory(
        action=action, reported_on=date(2023, 1, 9), status=Status.NOT_STARTED, rag=RAG.AMBER
    )
    as_at = date(2023, 6, 1)
    scope = scope_as_at(theme.plan, as_at)
    rows = list(Action.objects.filter(pk=action.pk).with_state(as_at))

    for columns in ({"show_theme": True, "show_plan": True, "lead": lead}, {"show_lead": True}):
        ours, template = both_tables(rows, scope, **columns)

        assert ours == template
        assert "&lt;script&gt;" in ours and "<script>" not in ours
    ours, template = both_tables([], scope, show_lead=True)
    assert ours == template
    assert "No actions." in ours


@pytest.mark.django_db
def test_the_lead_pages_links_are_reversed_once_a_page_not_once_a_row(
    real_plans, member, reversed_addresses
):
    reversed_for = {}
    for lead in Lead.objects.all():
        reversed_addresses.clear()
        response = member.get(reverse("actions:lead", args=[lead.pk]), {"as_at": "2023-03-31"})
        reversed_for[len(shown_action_ids(response))] = len(reversed_addresses)

    assert len(reversed_for) > 3
    assert set(reversed_for.values()) == {1}, reversed_for
