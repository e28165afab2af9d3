import calendar
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from cypeplan.forms import AddedOnceForm, written_text
from cypeplan.inputs import plain_number
from themes.periods import in_range

from . import roles
from .models import RAG, ProgressUpdate, Status
from .timeframes import no_such_day


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year as three labelled boxes."""

    template_name = "widgets/govuk_date_input.html"
    use_fieldset = True
    parts = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))

    def __init__(self, attrs=None):
        super().__init__(
            {name: forms.TextInput(attrs={"inputmode": "numeric"}) for name, _, _ in self.parts},
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        has_error = "--error" in attrs.pop("class", "")
        context = super().get_context(name, value, attrs)
        for subwidget, (_, label, width) in zip(
            context["widget"]["subwidgets"], self.parts, strict=True
        ):
            subwidget["label"] = label
            classes = f"govuk-input govuk-date-input__input govuk-input--width-{width}"
            subwidget["attrs"]["class"] = classes + (" govuk-input--error" if has_error else "")
        return context


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year, with messages that say what is wrong."""

    widget = GovukDateInput

    def __init__(self, **kwargs):
        # compress() says what is wrong with a part, in words about dates.
        number = forms.CharField(required=False)
        super().__init__(fields=(number, number, number), require_all_fields=False, **kwargs)

    def compress(self, parts):
        label = self.label or "The date"
        if not parts or not any(parts):
            if self.required:
                raise ValidationError(f"Enter {label.lower()}", code="required")
            return None
        day, month, year = (part.strip() if part else "" for part in parts)
        missing = [
            name
            for name, part in zip(("day", "month", "year"), (day, month, year), strict=True)
            if not part
        ]
        if missing:
            raise ValidationError(
                f"{label} must include a {' and '.join(missing)}", code="incomplete"
            )
        day, month, year = (plain_number(part) for part in (day, month, year))
        if day is None or month is None or year is None or not 1000 <= year <= 9999:
            raise ValidationError(
                f"{label} must be numbers, with a 4-digit year, for example 31 3 2023",
                code="invalid",
            )
        if not 1 <= month <= 12:
            raise ValidationError(f"{label} must be a real date: month {month} does not exist")
        last_day = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last_day:
            raise ValidationError(
                f"{label} must be a real date: {no_such_day(year, month, day)}", code="impossible"
            )
        typed = date(year, month, day)
        # A typo such as 1019 or 2109: the pages answer for these years only.
        _, outside = in_range(typed, date_format(typed, "j F Y"))
        if outside:
            raise ValidationError(f"{label}: {outside}", code="out_of_range")
        return typed


# "No rating" needs a value of its own: an empty one would be chosen before anyone chose.
NO_RATING = "none"

RAG_CHOICES = [
    (RAG.RED, "Red: will not deliver as planned without intervention"),
    (RAG.AMBER, "Amber: at risk but recoverable"),
    (RAG.GREEN, "Green: on track"),
    (NO_RATING, "No rating: the action is complete or closed"),
]


class ProgressUpdateForm(AddedOnceForm):
    """An officer's update. The rules live in ProgressUpdate.clean, which the form runs;
    the view records it through progress_update_record. For a person (`for_person`), one
    saying all that their newest update on the action says is a repeat, as in the admin."""

    refused_on = "record_again"
    then_save = "select “Record update”"

    reported_on = GovukDateField(
        label="Date it reports on",
        help_text="The date the update describes the position at: today, or an earlier "
        "day it reports on. For example, 31 3 2023.",
    )
    status = forms.ChoiceField(choices=Status.choices, widget=forms.RadioSelect)
    # Whether a rating is needed depends on the status: ProgressUpdate.clean decides.
    rag = forms.ChoiceField(
        label="RAG rating", choices=RAG_CHOICES, widget=forms.RadioSelect, required=False
    )
    revised_due_on = GovukDateField(
        label="Revised due date",
        required=False,
        help_text="The plan’s timeframe is kept as written; from this update on, overdue "
        "counts against the new date. For example, 31 3 2024.",
    )
    # The newest update there was when the form opened: any newer one landed meanwhile.
    seen_up_to = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**63 - 1
    )
    # This form's one-time key, which the update is saved under: the same form sent again
    # (Back and resubmit, a retry after an error page) finds it saved and adds nothing.
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProgressUpdate
        formfield_callback = written_text
        fields = [
            "reported_on",
            "status",
            "rag",
            "rag_change_reason",
            "working_well",
            "worried_about",
            "evidence",
            "evidence_links",
            "revised_due_on",
            "revised_due_reason",
        ]
        labels = {
            "rag_change_reason": "If the RAG has changed, why?",
            "evidence": "Evidence: how do we know?",
            "revised_due_reason": "Why has the due date changed?",
        }
        help_texts = {
            "rag_change_reason": "Needed when the rating differs from the update before the date "
            "this one reports on.",
            "working_well": "Say what has been done and the evidence that it is working.",
            "worried_about": "Needed for a Red or Amber rating.",
            "evidence": "What shows it was done, and where a member could see it. Needed "
            "to mark the action Complete.",
            "evidence_links": "Web addresses starting http:// or https://, one per line.",
            "revised_due_reason": "Needed with a revised due date. Scrutiny members read it "
            "in the quarterly report.",
        }
        widgets = {
            "rag_change_reason": forms.Textarea(attrs={"rows": 3}),
            "working_well": forms.Textarea(attrs={"rows": 6}),
            "worried_about": forms.Textarea(attrs={"rows": 6}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "evidence_links": forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            "revised_due_reason": forms.Textarea(attrs={"rows": 3}),
        }

    # Needed only in some cases (the hint says which), so not marked "(optional)".
    sometimes_needed = (
        "rag",
        "rag_change_reason",
        "worried_about",
        "evidence",
        "revised_due_reason",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An ongoing action has no due date to revise.
        if self.instance.action_id and self.instance.action.timeframe.is_ongoing:
            del self.fields["revised_due_on"], self.fields["revised_due_reason"]
        self.content_fields = [name for name in self.Meta.fields if name in self.fields]
        for name in self.sometimes_needed:
            if name in self.fields:
                self.fields[name].sometimes_needed = True

    def _update_errors(self, errors):
        # A field the form already refused (31 June, say) reached the model's rules empty:
        # one message for it is enough.
        for name in [name for name in getattr(errors, "error_dict", {}) if name in self._errors]:
            del errors.error_dict[name]
        super()._update_errors(errors)

    def clean_rag(self):
        rag = self.cleaned_data["rag"]
        return "" if rag == NO_RATING else rag

    def newest_added(self, person):
        return self.instance.action.progress_updates.newest_entered_by(person)

    def already_added(self, record):
        entered_at = timezone.localtime(record.entered_at)
        rating = f", {record.get_rag_display()}" if record.rag else ""
        return (
            f"You already recorded this update, at {date_format(entered_at, 'H:i')} on "
            f"{date_format(entered_at, 'j F Y')} (reporting on "
            f"{date_format(record.reported_on, 'j F Y')}: {record.get_status_display()}"
            f"{rating})."
        )


class DelegateForm(forms.Form):
    """Name an officer who may record progress for a lead."""

    delegate = forms.ModelChoiceField(
        label="Officer to add as a delegate",
        queryset=get_user_model().objects.none(),
        empty_label="Choose an officer",
        error_messages={
            "required": "Choose the officer to add as a delegate.",
            "invalid_choice": "That person can’t be added: choose an officer from the list "
            "who isn’t already a delegate.",
        },
    )

    def __init__(self, *args, lead, **kwargs):
        super().__init__(*args, **kwargs)
        officers = get_user_model().objects.filter(
            groups__name__in=[roles.OFFICERS, roles.PLAN_ADMINISTRATORS], is_active=True
        )
        if lead.user_id:
            officers = officers.exclude(pk=lead.user_id)
        self.fields["delegate"].queryset = (
            officers.exclude(pk__in=lead.delegates.values("pk"))
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["delegate"].label_from_instance = lambda user: (
            f"{user.get_full_name()} ({user.username})" if user.get_full_name() else user.username
        )
