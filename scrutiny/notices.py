"""The email telling the officers who owe an item's answer that it is owed, sent as soon
as the item is raised, so nobody first hears of it when it is overdue; and the one telling
officers taken off an item that they owe its answer no longer."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator

from actions.models import Lead, people_with_permission
from actions.reminders import SERVICE_NAME, Recipient, email_with_html

from .models import ANSWER_OWED, Item

logger = logging.getLogger(__name__)

TEMPLATE = "scrutiny/email/answer_owed"
TAKEN_OFF_TEMPLATE = "scrutiny/email/answer_no_longer_owed"
# What Item.objects.answerable_by asks of an officer, besides owing the answer.
ANSWER = "scrutiny.add_response"

# Why the email goes: the item was just raised, someone else was named to answer it, or
# the date its answer is due by was changed (ItemAdmin, before the item is on record); or
# the officer who owed it was taken off it (TAKEN_OFF, to them rather than who owes it).
RAISED = "raised"
ANSWERER_CHANGED = "answerer changed"
DUE_DATE_CHANGED = "due date changed"
SENT_BACK = "sent back"
TAKEN_OFF = "taken off"


def answer_owed_because(changed):
    """Why an item whose fields `changed` (a form's changed_data) owes its officers an
    email, or None: a new officer (or a conclusion made something needing an answer)
    comes before a new date."""
    if "answerer" in changed or "kind" in changed:
        return ANSWERER_CHANGED
    if "due_on" in changed:
        return DUE_DATE_CHANGED
    return None


def answer_no_longer_owed_by(form):
    """The id of the lead who owed the item's answer before the admin's `form` changed it,
    and owes it no longer (someone else, or a role as minuted, named to answer it, or the
    item made a conclusion), or None."""
    if not {"answerer", "kind"} & set(form.changed_data):
        return None
    before = form.initial.get("answerer")
    if before is None or form.initial.get("kind") not in ANSWER_OWED:
        return None
    item = form.instance
    if item.owes_answer and item.answerer_id == before:
        return None
    return before


@dataclass
class AnswerOwedNotice:
    """Who was told an item's answer is owed to them, and who wasn't and why, for the
    scrutiny officer who raised it."""

    item: Item
    because: str = RAISED
    # People as actions.reminders.Recipient, so each is named as their email greets them.
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (recipient, exception)
    leads_without_account: list = field(default_factory=list)
    people_without_email: list = field(default_factory=list)
    people_who_may_not_answer: list = field(default_factory=list)

    @property
    def said(self):
        """What the scrutiny officer is told went out: "" if the item is owed no answer."""
        item = self.item
        if self.because == TAKEN_OFF:
            # Anyone not emailed is named, with why, in not_sent.
            if not self.sent:
                return ""
            return f"Emailed {_names(self.sent)} that the answer is no longer owed by them."
        if not item.owes_answer:
            return ""
        if not item.answerer_id:
            return (
                "Nobody was emailed: who must answer is written as the minutes name them, "
                "not chosen from the plans’ leads, so tell them yourself."
            )
        if not self.sent:
            return "Nobody was emailed about it."
        if self.because == DUE_DATE_CHANGED:
            return f"Emailed {_names(self.sent)} the new date the answer is due by."
        if self.because == SENT_BACK:
            return f"Emailed {_names(self.sent)} that the answer was sent back."
        return f"Emailed {_names(self.sent)} that the answer is owed."

    @property
    def not_sent(self):
        """Why anyone who owes the answer was not emailed, or "" if everyone was."""
        reasons = []
        if self.failed:
            addresses = ", ".join(
                f"{person.name} ({person.user.email})" for person, _ in self.failed
            )
            reasons.append(f"the email to {addresses} could not be sent")
        if self.leads_without_account:
            reasons.append(_said(self.leads_without_account, "has", "have", "no account"))
        if self.people_without_email:
            reasons.append(_said(self.people_without_email, "has", "have", "no email address"))
        if self.people_who_may_not_answer:
            people = self.people_who_may_not_answer
            reasons.append(_said(people, "is", "are", "not allowed to record answers"))
        if not reasons:
            return ""
        who = "no longer owes" if self.because == TAKEN_OFF else "owes"
        return (
            f"The item is recorded, but not everyone who {who} the answer was emailed: "
            + "; ".join(reasons)
            + ". Tell them yourself."
        )


def _names(people):
    """Leads or Recipients, by name: "Olu Owes", "Olu Owes and Dee Legate"."""
    names = [person.name for person in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _said(people, one, many, what):
    return f"{_names(people)} {one if len(people) == 1 else many} {what}"


def answer_owed_recipients(item, because=RAISED, *, lead_taken_off=None):
    """Who must be told `item`'s answer is owed to them: the lead named to answer it, if
    their account is active, and the lead's active delegates, each allowed to record
    answers (Item.objects.answerable_by) and with an email address; and, by reason, who
    can't be. Three queries, for a lead with any number of delegates.

    For TAKEN_OFF, the same people of the lead `lead_taken_off` (an id), who must be told
    they owe it no longer, but for any of them who still owe it through the lead now
    named (one query more)."""
    notice = AnswerOwedNotice(item=item, because=because)
    if because == TAKEN_OFF:
        lead_id = lead_taken_off
        still_owing = Item.objects.owing_account_ids(item)
    elif item.owes_answer and item.answerer_id:
        lead_id, still_owing = item.answerer_id, set()
    else:
        return notice, []
    lead = Lead.objects.select_related("user").prefetch_related("delegates").get(pk=lead_id)
    may_answer = set(people_with_permission(ANSWER).values_list("pk", flat=True))
    account = lead.user if lead.user and lead.user.is_active else None
    if account is None:
        notice.leads_without_account.append(lead)
    recipients = []
    for user in [account, *lead.delegates.all()]:
        if user is None or not user.is_active or user.pk in still_owing:
            continue
        person = Recipient(user=user, leads=[lead])
        if user.pk not in may_answer:
            notice.people_who_may_not_answer.append(person)
        elif not user.email:
            notice.people_without_email.append(person)
        elif all(recipient.user.pk != user.pk for recipient in recipients):
            recipients.append(person)
    return notice, recipients


def answer_owed_message(*, item, recipient, because=RAISED, sent_back=None, connection=None):
    """The email telling `recipient` (an actions.reminders.Recipient) that `item`'s answer
    is owed, and `because` of what: what members asked, at which meeting, by when, and
    where to answer it. `sent_back` is the committee's StateChange sending it back. For
    TAKEN_OFF, that it is owed by them (or the lead they may answer for) no longer, and by
    whom it is now, if anyone."""
    due_on = _due_on(item, sent_back)
    due = f"by {date_format(due_on, 'j F Y')}" if due_on else "with no due date"
    context = {
        "name": recipient.name,
        "item": item,
        "meeting": item.meeting,
        "due": due,
        "answerer_changed": because == ANSWERER_CHANGED,
        "due_date_changed": because == DUE_DATE_CHANGED,
        "sent_back": sent_back,
        "due_on": due_on,
        "lead": recipient.leads[0],
        "for_lead": recipient.leads[0].user_id != recipient.user.pk,
        "answer_url": settings.SITE_URL + reverse("scrutiny:item_answer", args=[item.pk]),
        "item_url": settings.SITE_URL + item.get_absolute_url(),
        "service_name": SERVICE_NAME,
        "warning_window_days": settings.WARNING_WINDOW_DAYS,
    }
    summary = Truncator(" ".join(item.words.split())).chars(60)
    if because == TAKEN_OFF:
        template = TAKEN_OFF_TEMPLATE
        subject = f"Answer to scrutiny no longer owed by you: {summary} ({SERVICE_NAME})"
    else:
        owed = {
            DUE_DATE_CHANGED: "New date for an answer owed",
            SENT_BACK: "Answer sent back: owed again",
        }.get(because, "Answer owed")
        template = TEMPLATE
        subject = f"{owed} to scrutiny {due}: {summary} ({SERVICE_NAME})"
    return email_with_html(
        template=template,
        context=context,
        subject=subject,
        to=recipient.user.email,
        connection=connection,
    )


def _due_on(item, sent_back):
    """The date the answer is due by: the one the committee set sending it back, else the
    one it had by then (with_state's answer_due_on, if annotated), else the item's own."""
    if sent_back is not None and sent_back.due_on:
        return sent_back.due_on
    return getattr(item, "answer_due_on", item.due_on)


def answer_owed_notify(
    *, item, because=RAISED, sent_back=None, lead_taken_off=None, connection=None
):
    """Email each person who owes `item`'s answer (answer_owed_recipients) that it is owed,
    `because` it was raised (RAISED), or they were named to answer it (ANSWERER_CHANGED),
    or its due date changed (DUE_DATE_CHANGED), or the committee sent the answer back
    (SENT_BACK, with `sent_back` its StateChange); or each person who owed it through the
    lead `lead_taken_off` (an id) that they owe it no longer (TAKEN_OFF). Call it once the
    item is committed: a failure to send is logged and reported in the AnswerOwedNotice
    returned, never raised, so the item stays recorded."""
    notice, recipients = answer_owed_recipients(item, because, lead_taken_off=lead_taken_off)
    for recipient in recipients:
        try:
            answer_owed_message(
                item=item,
                recipient=recipient,
                because=because,
                sent_back=sent_back,
                connection=connection,
            ).send()
        except Exception as error:  # Any failure to send: the item stays; say so.
            logger.exception(
                "Could not email %s that the answer to scrutiny item %s is %s",
                recipient.user.email,
                item.pk,
                "no longer owed by them" if because == TAKEN_OFF else "owed",
            )
            notice.failed.append((recipient, error))
        else:
            notice.sent.append(recipient)
    return notice


def answer_owed_tell(request, notice, *, recorded=""):
    """Tell the scrutiny officer what was `recorded` and who was emailed (a success
    message), and who wasn't and why (a warning beside it)."""
    said = f"{recorded} {notice.said}".strip()
    if said:
        messages.success(request, said)
    if notice.not_sent:
        messages.warning(request, notice.not_sent)
