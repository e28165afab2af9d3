from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from actions.management.commands.create_demo_accounts import ACCOUNTS
from actions.roles import OFFICERS, PLAN_ADMINISTRATORS, SCRUTINY_MEMBERS, SCRUTINY_OFFICERS
from tests.factories import ActionFactory, LeadFactory, TimeframeFactory

User = get_user_model()


def create_demo_accounts():
    out = StringIO()
    call_command("create_demo_accounts", stdout=out)
    return out.getvalue()


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.mark.django_db
def test_refuses_with_debug_off_and_creates_nobody(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        create_demo_accounts()

    assert not User.objects.exists()


@pytest.mark.django_db
def test_creates_the_four_accounts_in_their_groups(debug_on):
    create_demo_accounts()

    groups = {
        user.username: list(user.groups.values_list("name", flat=True))
        for user in User.objects.all()
    }
    assert groups == {
        "admin": [PLAN_ADMINISTRATORS],
        "officer": [OFFICERS],
        "scrutiny": [SCRUTINY_MEMBERS],
        "clerk": [SCRUTINY_OFFICERS],
    }
    staff = dict(User.objects.values_list("username", "is_staff"))
    assert staff == {"admin": True, "officer": False, "scrutiny": False, "clerk": True}
    assert not User.objects.filter(is_superuser=True).exists()


@pytest.mark.django_db
def test_output_tells_a_person_where_to_sign_in_and_with_what(debug_on):
    output = create_demo_accounts()

    assert "http://127.0.0.1:8000/" in output
    assert "http://127.0.0.1:8000/admin/" in output
    for username, password, group, _ in ACCOUNTS:
        assert username in output
        assert password in output
        assert group in output


@pytest.mark.django_db
@pytest.mark.parametrize("username, password", [(u, p) for u, p, _, _ in ACCOUNTS])
def test_each_account_signs_in_with_the_printed_password(debug_on, client, username, password):
    create_demo_accounts()

    assert client.login(username=username, password=password)


@pytest.mark.django_db
def test_demo_plan_administrator_can_open_the_admin(debug_on, client):
    create_demo_accounts()
    client.login(username="admin", password=ACCOUNTS[0][1])

    assert client.get("/admin/actions/action/").status_code == 200


@pytest.mark.django_db
def test_running_twice_does_not_duplicate_and_resets_passwords(debug_on, client):
    create_demo_accounts()
    admin = User.objects.get(username="admin")
    admin.set_password("something else entirely")
    admin.is_superuser = True
    admin.save()

    output = create_demo_accounts()

    assert User.objects.count() == 4
    assert User.objects.get(username="admin").groups.count() == 1
    assert not User.objects.get(username="admin").is_superuser
    assert client.login(username="admin", password=ACCOUNTS[0][1])
    assert "reset" in output


@pytest.mark.django_db
def test_officer_is_linked_to_kerry_crichlow_when_that_lead_exists(debug_on):
    kerry = LeadFactory(name="Kerry Crichlow")

    output = create_demo_accounts()
    create_demo_accounts()

    kerry.refresh_from_db()
    assert kerry.user.username == "officer"
    assert "Kerry Crichlow" in output


@pytest.mark.django_db
def test_officer_is_left_unlinked_and_says_so_when_there_is_no_kerry_crichlow(debug_on):
    LeadFactory(name="Someone Else")

    output = create_demo_accounts()

    assert (
        not User.objects.get(username="officer")
        .__class__.objects.filter(lead__isnull=False)
        .exists()
    )
    assert "no lead named Kerry Crichlow" in output


@pytest.mark.django_db
def test_the_demo_officer_is_sent_reminders_at_a_demo_address(debug_on, mailoutbox):
    """Reminders go by email: the demo officer had no address, so the command said
    "1 person has no email address: officer" and sent Kerry Crichlow's reminder nowhere."""
    kerry = LeadFactory(name="Kerry Crichlow")
    ActionFactory(lead=kerry, timeframe=TimeframeFactory(label="March 2023"))
    create_demo_accounts()
    out = StringIO()

    call_command("send_update_reminders", "--date", "2023-06-01", stdout=out)

    assert "0 people have no email address." in out.getvalue()
    assert [message.to for message in mailoutbox] == [["officer@demo.example.org"]]
    assert {user.email.rsplit("@", 1)[1] for user in User.objects.all()} == {"demo.example.org"}
