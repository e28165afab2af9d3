"""The register's filter form is drawn once and kept while the data is unchanged
(ActionRegister.filter_fields), its choices read each with the data's version
(ActionFilter.read_choices). What it draws must be what Django's form templates drew for
the same link, field by field, with the choices as the database has them then."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.filters import ActionFilter
from actions.models import Action, Lead
from themes.models import Theme

AS_AT = date(2021, 8, 1)


def drawn_by_djangos_templates(query):
    """The fields as the register's template drew them before: a FilterSet for the link,
    its fields drawn one by one, every list read as it is drawn."""
    data = {"as_at": AS_AT.isoformat(), **query}
    form = ActionFilter(data, queryset=Action.objects.all(), as_at=AS_AT).form
    return "".join(
        f'<div class="register-filters__field">{field.as_field_group()}</div>' for field in form
    )


def page_fields(member, query):
    with CaptureQueriesContext(connection) as queries:
        response = member.get(reverse("actions:register"), {"as_at": AS_AT, **query})
    assert response.status_code == 200
    return str(response.context["filter_fields"]), len(queries)


LINKS = [
    {},
    {"sort": "-due"},
    {
        "q": 'early "help" & <b>',
        "plan": "cype-directorate-plan-2022-24",
        "status": "in_progress",
        "overdue": "yes",
    },
    {"rag": "none", "answers": "Ofsted ILACS recommendation", "stale": "no"},
    # Values no list has: each field says which, beside itself.
    {"lead": "999999", "plan": "no-such-plan", "rag": "purple", "at_risk": "maybe"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", LINKS)
def test_the_filters_drawn_are_what_djangos_templates_drew(real_plans, member, query):
    cache.clear()
    first, _ = page_fields(member, query)
    kept, _ = page_fields(member, query)

    assert first == kept == drawn_by_djangos_templates(query)


@pytest.mark.django_db
def test_the_chosen_values_and_errors_are_drawn(real_plans, member):
    lead = Lead.objects.order_by("name").first()
    theme = Theme.objects.order_by("pk").last()
    chosen, _ = page_fields(member, {"lead": lead.pk, "theme": theme.pk})
    wrong, _ = page_fields(member, {"lead": "999999"})

    assert f'<option value="{lead.pk}" selected>{lead}</option>' in chosen
    assert f'<option value="{theme.pk}" selected>' in chosen
    assert "Lead or supporting lead: “999999” is not one of the choices." in wrong
    # Every lead, and "All leads".
    assert _options(chosen, "lead") == Lead.objects.count() + 1


def _options(fields, name):
    start = fields.index(f'<select name="{name}"')
    return fields[start : fields.index("</select>", start)].count("<option value=")
