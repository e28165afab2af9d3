"""Update reminders: one email per person listing the actions that need an update from them.

The command send_update_reminders and the tests call reminders_send.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from cypeplan.govuk.dates import govuk_date

from . import hooks
from .models import Action, Lead, Reminder, Status, people_who_may_record_updates, rag_words

logger = logging.getLogger(__name__)

SERVICE_NAME = "CYPE plan tracker"
TEMPLATE = "actions/email/update_reminder"
DESCRIPTION_LENGTH = 140


def actions_needing_update(as_at):
    """Actions overdue, at risk, stale or due within the warning window as at `as_at`, exceptions
    first, with everyone involved in each: its lead's and supporting leads' accounts and their
    delegates. Four queries however many actions: the actions, their leads' delegates, their
    supporting leads with accounts, and the supporting leads' delegates."""
    return (
        Action.objects.needing_update(as_at)
        .exceptions_first(as_at)
        .select_related("theme__plan", "lead__user", "timeframe")
        .prefetch_related(
            "lead__delegates",
            Prefetch(
                "supporting_leads",
                queryset=Lead.objects.select_related("user").prefetch_related("delegates"),
            ),
        )
    )


@dataclass(frozen=True)
class ListedAction:
    """One action as a reminder lists it."""

    action: Action
    reasons: list[str]

    @property
    def summary(self):
        return Truncator(" ".join(self.action.description.split())).chars(DESCRIPTION_LENGTH)

    @property
    def status(self):
        return Status(self.action.latest_status).label

    @property
    def rag(self):
        return rag_words(self.action.latest_status, self.action.latest_rag)

    @property
    def url(self):
        return settings.SITE_URL + self.action.get_absolute_url()

    @property
    def update_url(self):
        return settings.SITE_URL + reverse("actions:record_update", args=[self.action.pk])


def reasons(action):
    """Why an action (from actions_needing_update) is listed, in words."""
    found = []
    if action.is_overdue:
        days = action.days_overdue
        found.append(f"Overdue by {days} day{'' if days == 1 else 's'}")
    if action.risk_reasons:
        found.append("At risk: " + "; ".join(action.risk_reasons))
    if action.is_due_soon:
        found.append(
            f"Due {govuk_date(action.due_on)} {how_soon(action.due_on, action.state_as_at)}"
        )
    plan = action.theme.plan
    if plan.ends_on < action.state_as_at:
        found.append(
            f"Its plan ended on {govuk_date(plan.ends_on)}: if the action no longer applies, "
            "close it"
        )
    return found


def how_soon(due_on, as_at):
    """How soon something due within the warning window is due, from the reminder's date:
    "(today)" and "(tomorrow)" as pages say "(today)" beside a date, else the window."""
    days = (due_on - as_at).days
    if days == 0:
        return "(today)"
    if days == 1:
        return "(tomorrow)"
    return f"— within {settings.WARNING_WINDOW_DAYS} days"


@dataclass
class Recipient:
    """A person with an account and email address, and the actions to remind them of."""

    user: object
    leads: list = field(default_factory=list)
    listed: list[ListedAction] = field(default_factory=list)
    # What other apps remind them of (hooks.ReminderSection), after their actions.
    sections: list = field(default_factory=list)

    @property
    def name(self):
        own = [lead.name for lead in self.leads if lead.user_id == self.user.pk and lead.name]
        return self.user.get_full_name() or (own[0] if own else self.user.username)

    @property
    def subject(self):
        count = len(self.listed)
        verb = "needs" if count == 1 else "need"
        parts = [f"{count} action{'' if count == 1 else 's'} {verb} an update"] if count else []
        parts += [section.summary for section in self.sections]
        return f"{'; '.join(parts)} ({SERVICE_NAME})"

    @property
    def sent_because(self):
        """The email's closing line: why it lists what it lists, its actions, what other
        apps' sections list, or both."""
        reasons = [section.why for section in self.sections]
        if self.listed:
            reasons.insert(
                0,
                "an action you lead, support or record progress for is overdue, at risk, has "
                f"had no update for {settings.UPDATE_WINDOW_DAYS} days, or is due within "
                f"{settings.WARNING_WINDOW_DAYS} days",
            )
        return f"You get this email when {', or when '.join(reasons)}."

    def message(self, *, as_at, connection=None):
        context = {
            "name": self.name,
            "as_at": as_at,
            "listed": self.listed,
            "count": len(self.listed),
            "sections": self.sections,
            "my_actions_url": settings.SITE_URL + reverse("actions:my_actions"),
            "sent_because": self.sent_because,
            "service_name": SERVICE_NAME,
        }
        return email_with_html(
            template=TEMPLATE,
            context=context,
            subject=self.subject,
            to=self.user.email,
            connection=connection,
        )


def email_with_html(*, template, context, subject, to, connection=None):
    """An email to the address `to`: `template`.txt, with `template`.html as its HTML
    alternative, as every email the service sends is."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


@dataclass
class RemindersSummary:
    """What a run of reminders_send did, for the person who ran it."""

    as_at: date
    sent: list[Reminder] = field(default_factory=list)
    already_reminded: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (user, exception)
    leads_without_account: list[Lead] = field(default_factory=list)
    people_without_email: list = field(default_factory=list)
    # Still named as a lead's account or delegate, but not allowed to record updates (moved
    # to scrutiny, say): their actions' update links would turn them away.
    people_who_may_not_update: list = field(default_factory=list)


def recipients(actions, sections=(), *, may_update):
    """Group actions by the people to remind, in the order given, each action once per person,
    and add each of `sections` (hooks.ReminderSection) to its person's reminder. Only those
    whose pk is in `may_update` (people_who_may_record_updates) are reminded of actions.

    Returns the recipients (ordered by username), the leads with no active account, the
    people with an account but no email address, and the people not allowed to record
    updates, among those involved.
    """
    by_user = {}
    no_account = {}
    no_email = {}
    may_not_update = {}
    for action in actions:
        listed = ListedAction(action=action, reasons=reasons(action))
        for lead in [action.lead, *action.supporting_leads.all()]:
            account = lead.user if lead.user and lead.user.is_active else None
            if account is None:
                no_account[lead.pk] = lead
            for user in [account, *lead.delegates.all()]:
                if user is None or not user.is_active:
                    continue
                if user.pk not in may_update:
                    may_not_update[user.pk] = user
                    continue
                if not user.email:
                    no_email[user.pk] = user
                    continue
                recipient = by_user.setdefault(user.pk, Recipient(user=user))
                if lead not in recipient.leads:
                    recipient.leads.append(lead)
                if not recipient.listed or recipient.listed[-1].action is not action:
                    recipient.listed.append(listed)
    for section in sections:
        by_user.setdefault(section.user.pk, Recipient(user=section.user)).sections.append(section)
    return (
        sorted(by_user.values(), key=lambda recipient: recipient.user.get_username()),
        sorted(no_account.values(), key=str),
        sorted(no_email.values(), key=lambda user: user.get_username()),
        sorted(may_not_update.values(), key=lambda user: user.get_username()),
    )


def reminder_send(*, recipient, as_at, connection=None):
    """Record and send one person's reminder together: if sending fails, nothing is recorded,
    so the next run tries again. Raises IntegrityError if they were already reminded that
    day (another run got there first)."""
    with transaction.atomic():
        reminder = Reminder.objects.create(
            recipient=recipient.user,
            sent_on=as_at,
            email=recipient.user.email,
            action_count=len(recipient.listed),
            subject=recipient.subject,
        )
        recipient.message(as_at=as_at, connection=connection).send()
    return reminder


def reminders_send(*, as_at, connection=None):
    """Email each person (a lead with an account, or a delegate) who may record updates one
    reminder listing the actions they lead, support or are a delegate on that are overdue,
    at risk, stale or due within the warning window as at `as_at`, and what other apps'
    reminder sections list for them (hooks.register_reminder_section); skip anyone already
    reminded for that date and anyone with nothing to report."""
    summary = RemindersSummary(as_at=as_at)
    (
        people,
        summary.leads_without_account,
        summary.people_without_email,
        summary.people_who_may_not_update,
    ) = recipients(
        actions_needing_update(as_at),
        hooks.reminder_sections(as_at),
        may_update=set(people_who_may_record_updates().values_list("pk", flat=True)),
    )
    reminded = set(
        Reminder.objects.filter(
            sent_on=as_at, recipient__in=[recipient.user.pk for recipient in people]
        ).values_list("recipient_id", flat=True)
    )
    for recipient in people:
        if recipient.user.pk in reminded:
            summary.already_reminded.append(recipient.user)
            continue
        try:
            summary.sent.append(
                reminder_send(recipient=recipient, as_at=as_at, connection=connection)
            )
        except IntegrityError:
            summary.already_reminded.append(recipient.user)
        except Exception as error:  # Any failure to send: record nothing, try the others.
            logger.exception("Could not send an update reminder to %s", recipient.user.email)
            summary.failed.append((recipient.user, error))
    return summary
