"""axe-core over the admin pages plan administrators use most: the index, and the list and
change pages for plans, themes, leads, timeframes and actions."""

import pytest

from actions.models import Action, Lead, Timeframe
from tests.browser.conftest import IMPROVEMENT_PLAN, axe_violations, describe_violations, sign_in
from themes.models import Plan, Theme


def admin_pages():
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="1.2")
    return {
        "index": "/admin/",
        "plans": "/admin/themes/plan/",
        "plan": f"/admin/themes/plan/{Plan.objects.get(slug=IMPROVEMENT_PLAN).pk}/change/",
        "themes": "/admin/themes/theme/",
        "theme": f"/admin/themes/theme/{action.theme_id}/change/",
        "leads": "/admin/actions/lead/",
        "lead": f"/admin/actions/lead/{Lead.objects.get(initials='RM').pk}/change/",
        "timeframes": "/admin/actions/timeframe/",
        "timeframe": f"/admin/actions/timeframe/{action.timeframe_id}/change/",
        "actions": "/admin/actions/action/",
        "action": f"/admin/actions/action/{action.pk}/change/",
        "add action": "/admin/actions/action/add/",
    }


@pytest.mark.browser
def test_admin_pages_have_no_axe_violations(page, administrator):
    assert Theme.objects.exists() and Timeframe.objects.exists()
    sign_in(page, "planadmin")
    found = {}
    for name, path in admin_pages().items():
        response = page.goto(path)
        assert response.status == 200, path
        violations = axe_violations(page)
        if violations:
            found[name] = describe_violations(violations)
    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())


FOCUS_STYLE = """(el) => {
    const style = getComputedStyle(el);
    return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow];
}"""
GOVUK_FOCUS = ["solid", "3px", "rgb(255, 221, 0)", "rgb(11, 12, 12) 0px 0px 0px 2px inset"]


@pytest.mark.browser
def test_admin_fields_autocomplete_ones_included_show_govuk_focus(page, administrator):
    action = Action.objects.get(theme__plan__slug=IMPROVEMENT_PLAN, reference="1.2")
    sign_in(page, "planadmin")
    page.goto(f"/admin/actions/action/{action.pk}/change/")
    # What has the focus, and the box that shows it: a plain text box shows it itself; an
    # autocomplete (select2) field's focus is in a search box or a span inside the box.
    fields = {
        "Reference": ("#id_reference", "#id_reference"),
        "Lead": (
            "#id_lead + .select2 .select2-selection",
            "#id_lead + .select2 .select2-selection",
        ),
        "Supporting leads": (
            "#id_supporting_leads + .select2 .select2-search__field",
            "#id_supporting_leads + .select2 .select2-selection",
        ),
    }
    found = {}
    for name, (focused, shown_on) in fields.items():
        page.locator(focused).focus()
        found[name] = page.locator(shown_on).evaluate(FOCUS_STYLE)
    assert found == dict.fromkeys(fields, GOVUK_FOCUS)
