"""Each action's newest progress update, kept beside it: with_state reads the position as at
today from this one row instead of searching all the action's updates for it.

It is kept, never entered: every save or delete of a progress update (the officer's form,
the admin's correction, a spreadsheet, a fixture) sets it again from the action's updates,
in the same transaction, with the action's row locked. `manage.py check_newest_updates`
compares every kept row with the updates and, with --repair, puts it right.
"""

from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from .action import Action
from .progress import ProgressUpdate
from .rules import NEWEST_FIRST


class NewestUpdate(models.Model):
    """The newest of all an action's updates by report date (ties to the one entered last),
    and the newest that revised its due date, with what with_state reads from them. An
    action with no update has no row."""

    action = models.OneToOneField(
        Action, primary_key=True, on_delete=models.CASCADE, related_name="newest_update"
    )
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    rag = models.CharField(max_length=5, blank=True)
    reported_on = models.DateField()
    revision = models.ForeignKey(
        ProgressUpdate, null=True, on_delete=models.CASCADE, related_name="+"
    )
    revised_due_on = models.DateField(null=True)
    # None when nothing revised the date, as with_state gives it when it searches.
    revised_due_reason = models.TextField(null=True)  # noqa: DJ001
    due_revised_on = models.DateField(null=True)

    # Not dumped (cypeplan's dumpdata): loading the updates keeps it again.
    kept_from_other_rows = True

    # What is compared when checking a kept row against the updates.
    KEPT = (
        "update_id",
        "status",
        "rag",
        "reported_on",
        "revision_id",
        "revised_due_on",
        "revised_due_reason",
        "due_revised_on",
    )

    def __str__(self):
        return f"Newest update of action {self.action_id}: {self.update_id}"

    def natural_key(self):
        return self.action.natural_key()

    natural_key.dependencies = ["actions.action", "actions.progressupdate"]

    def kept(self):
        return tuple(getattr(self, name) for name in self.KEPT)


def newest_updates_expected(action_ids):
    """{action id: NewestUpdate (unsaved)} as the actions' updates say now, for the actions
    with any update. `action_ids` may be a list or a queryset of ids."""
    expected = {}
    updates = (
        ProgressUpdate.objects.filter(action_id__in=action_ids)
        .order_by("action_id", *NEWEST_FIRST)
        .values_list(
            "action_id",
            "pk",
            "status",
            "rag",
            "reported_on",
            "revised_due_on",
            "revised_due_reason",
        )
    )
    for action_id, pk, status, rag, reported_on, revised_on, reason in updates.iterator(
        chunk_size=5000
    ):
        row = expected.get(action_id)
        if row is None:
            row = expected[action_id] = NewestUpdate(
                action_id=action_id, update_id=pk, status=status, rag=rag, reported_on=reported_on
            )
        if revised_on is not None and row.revision_id is None:
            row.revision_id = pk
            row.revised_due_on = revised_on
            row.revised_due_reason = reason
            row.due_revised_on = reported_on
    return expected


# Ids per statement when given a list (SQLite allows 32,766 parameters; stay well under).
CHUNK = 2000


def newest_updates_keep(*, action_ids):
    """Set the kept newest update of each of these actions from its updates, in one
    transaction with the actions' rows locked (so two saves at once can't each keep what
    they alone saw). `action_ids` may be a list or a queryset of ids."""
    if isinstance(action_ids, list | tuple | set) and len(action_ids) > CHUNK:
        ids = sorted(action_ids)
        with transaction.atomic():
            for start in range(0, len(ids), CHUNK):
                newest_updates_keep(action_ids=ids[start : start + CHUNK])
        return
    with transaction.atomic():
        list(Action.objects.select_for_update().filter(pk__in=action_ids).values_list("pk"))
        expected = newest_updates_expected(action_ids)
        NewestUpdate.objects.filter(action_id__in=action_ids).delete()
        NewestUpdate.objects.bulk_create(expected.values(), batch_size=2000)


def newest_updates_check(*, repair=False):
    """The action ids whose kept newest update differs from what their updates say (kept
    wrongly, missing or left over); with `repair`, each is set right in one transaction."""
    with transaction.atomic():
        expected = newest_updates_expected(Action.objects.values("pk"))
        kept = {row.action_id: row for row in NewestUpdate.objects.all()}
        wrong = sorted(
            action_id
            for action_id in expected.keys() | kept.keys()
            if action_id not in expected
            or action_id not in kept
            or expected[action_id].kept() != kept[action_id].kept()
        )
        if repair and wrong:
            newest_updates_keep(action_ids=wrong)
    return wrong


@receiver(post_init, sender=ProgressUpdate, dispatch_uid="newest_update_action_loaded")
def _remember_action(sender, instance, **kwargs):
    # The action it was on when read (never a query, even when deferred): a correction
    # that moves an update to another action leaves this one's newest to work out again.
    instance._action_when_read = instance.__dict__.get("action_id")


@receiver(post_save, sender=ProgressUpdate, dispatch_uid="newest_update_on_save")
def _keep_on_save(sender, instance, **kwargs):
    actions = {instance.action_id, getattr(instance, "_action_when_read", None)} - {None}
    newest_updates_keep(action_ids=sorted(actions))
    instance._action_when_read = instance.action_id


@receiver(post_delete, sender=ProgressUpdate, dispatch_uid="newest_update_on_delete")
def _keep_on_delete(sender, instance, **kwargs):
    newest_updates_keep(action_ids=[instance.action_id])
