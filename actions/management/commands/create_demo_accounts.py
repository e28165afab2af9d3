from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actions.models import Lead
from actions.roles import (
    OFFICERS,
    PLAN_ADMINISTRATORS,
    SCRUTINY_MEMBERS,
    SCRUTINY_OFFICERS,
    STAFF_GROUPS,
)

# The lead the demo officer signs in as, once the CYPE plan's fixture is loaded.
OFFICER_LEAD_NAME = "Kerry Crichlow"

# Reminders go by email (the console in development): each demo account has an address at
# a domain reserved for examples, which no mail ever reaches.
DEMO_EMAIL_DOMAIN = "demo.example.org"

# Username, password, group, what they can do. The passwords are published: demo only.
ACCOUNTS = [
    (
        "admin",
        "plan-admin-demo-2024",
        PLAN_ADMINISTRATORS,
        "keeps plans, themes, leads, timeframes and actions right in the admin, and adds "
        "progress updates (never changes or deletes one)",
    ),
    (
        "officer",
        "officer-demo-2024",
        OFFICERS,
        "reads the plans and records progress on actions",
    ),
    (
        "scrutiny",
        "scrutiny-demo-2024",
        SCRUTINY_MEMBERS,
        "reads the plans, progress and evidence, and changes nothing",
    ),
    (
        "clerk",
        "scrutiny-officer-demo-2024",
        SCRUTINY_OFFICERS,
        "records committee meetings and what members raise, and the committee's decisions "
        "on officers' answers; uses the admin for meetings and items",
    ),
]


class Command(BaseCommand):
    help = (
        "Create, or reset the passwords of, the demo accounts admin, officer, scrutiny and clerk."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with DEBUG off: their passwords are "
                "published. Nothing was created. Run it on a development machine with DEBUG=1."
            )
        rows = []
        with transaction.atomic():
            for username, password, group_name, can_do in ACCOUNTS:
                user, created = self.account(username, password, group_name)
                state = "new" if created else "reset"
                rows.append(f"  {username:<9} {password:<27} {group_name} ({state}): {can_do}.")
            officer_note = self.link_officer(get_user_model().objects.get(username="officer"))

        self.stdout.write(
            "Demo accounts, for development only. Sign in at http://127.0.0.1:8000/\n"
            "Plan administrators and scrutiny officers also use the admin at http://127.0.0.1:8000/admin/\n\n"
            f"  {'username':<9} {'password':<27} role\n" + "\n".join(rows) + f"\n\n{officer_note}"
        )

    def account(self, username, password, group_name):
        try:
            group = Group.objects.get(name=group_name)
        except Group.DoesNotExist:
            raise CommandError(
                f"The “{group_name}” group is missing: run “manage.py migrate” first."
            ) from None
        user, created = get_user_model().objects.get_or_create(username=username)
        user.is_active = True
        user.is_staff = group_name in STAFF_GROUPS
        user.is_superuser = False
        user.email = f"{username}@{DEMO_EMAIL_DOMAIN}"
        validate_password(password, user)
        user.set_password(password)
        user.save()
        user.groups.set([group])
        return user, created

    def link_officer(self, officer):
        lead = Lead.objects.filter(name=OFFICER_LEAD_NAME).order_by("pk").first()
        if lead is None:
            return (
                f"There is no lead named {OFFICER_LEAD_NAME}, so “officer” leads no actions. "
                "Load the plans (manage.py loaddata fixtures/*.json) and run this again."
            )
        if lead.user_id not in (None, officer.pk):
            return f"{lead} already signs in as “{lead.user}”, so “officer” was not linked."
        for other in Lead.objects.filter(user=officer).exclude(pk=lead.pk):
            other.user = None
            other.save()
        if lead.user_id is None:
            lead.user = officer
            lead.save()
        return f"“officer” signs in as the lead {lead}."
