"""Officers' answers to items, and the web addresses given as their evidence."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from actions.models import NARRATIVE_LIMIT

from .items import Item, _text_limit

_web_address = URLValidator(schemes=["http", "https"])


def link_list(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def bad_links(text):
    """The lines of `text` that are not http or https web addresses."""
    found = []
    for line in link_list(text):
        try:
            _web_address(line)
        except ValidationError:
            found.append(line)
    return found


class ResponseQuerySet(models.QuerySet):
    def get_by_natural_key(self, key):
        return self.get(key=key)


class Response(models.Model):
    """One answer an officer gave to an item. History: never edited, only added to."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="responses")
    responded_on = models.DateField("date of the answer", default=timezone.localdate)
    text = models.TextField("answer", max_length=NARRATIVE_LIMIT, validators=_text_limit)
    evidence = models.TextField(max_length=NARRATIVE_LIMIT, validators=_text_limit, blank=True)
    evidence_links = models.TextField(
        max_length=NARRATIVE_LIMIT,
        validators=_text_limit,
        blank=True,
        help_text="Web addresses starting http:// or https://, one per line.",
    )
    considers_answered = models.BooleanField(
        "the officer considers it answered",
        default=False,
        help_text="If so, the item waits for the committee to accept the answer.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scrutiny_responses",
    )
    entered_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-responded_on", "-pk"]

    def __str__(self):
        return f"Answer of {date_format(self.responded_on, 'j F Y')} to “{self.item}”"

    def natural_key(self):
        return (str(self.key),)

    natural_key.dependencies = ["scrutiny.item"]

    @property
    def evidence_link_list(self):
        return link_list(self.evidence_links)

    def clean(self):
        wrong = bad_links(self.evidence_links)
        if wrong:
            raise ValidationError(
                {
                    "evidence_links": "Evidence links must be web addresses starting http:// "
                    f"or https://. This is not: {wrong[0][:200]}"
                }
            )
