import pytest
from django.core.management import call_command

from actions.models import Action, Lead
from themes.models import Plan


@pytest.mark.django_db
def test_load_plans_loads_both_real_plans_once_and_never_overwrites_edits(capsys):
    call_command("load_plans")
    assert set(Plan.objects.values_list("slug", flat=True)) == {
        "cype-directorate-plan-2022-24",
        "childrens-continuous-improvement-plan-2021-24",
    }
    assert Action.objects.count() == 23 + 32 + 24
    lead = Lead.objects.get(name="Kerry Crichlow")
    lead.job_title = "Edited in the admin"
    lead.save()

    call_command("load_plans")

    lead.refresh_from_db()
    assert lead.job_title == "Edited in the admin"
    assert Action.objects.count() == 23 + 32 + 24
    assert "already loaded, left as it is." in capsys.readouterr().out


@pytest.mark.django_db
def test_the_plans_as_loaded_are_the_first_entry_of_their_history():
    call_command("load_plans")
    action = Action.objects.filter(supporting_leads__isnull=False).distinct().first()
    first = action.history.get()
    assert first.history_type == "+"
    assert first.history_change_reason == "As loaded from the published plans in fixtures/"
    assert set(first.supporting_leads.values_list("lead_id", flat=True)) == set(
        action.supporting_leads.values_list("pk", flat=True)
    )
    assert all(lead.history.count() == 1 for lead in Lead.objects.all())
    said = action.description

    # An edit (as the admin saves one): what the plan said before it is kept, and the
    # edit changes the description only, not the supporting leads it always had.
    action.description = said + ", with partners"
    action.save()

    descriptions = [row.description for row in action.history.order_by("history_date", "pk")]
    assert descriptions == [said, said + ", with partners"]
    changes = action.history.earliest().diff_against(action.history.latest()).changes
    assert [change.field for change in changes] == ["description"]

    # Loading again begins nothing twice.
    call_command("load_plans")
    assert action.history.count() == 2
