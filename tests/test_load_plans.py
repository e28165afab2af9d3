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
