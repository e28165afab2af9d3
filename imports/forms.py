import uuid

from django import forms
from django.conf import settings

from actions.forms import GovukDateField
from cypeplan.forms import WrittenText
from themes.models import Plan

from .reading import size_limit_words

NEW_PLAN = "new"


class UploadForm(forms.Form):
    """A spreadsheet to preview. Its checks are about the upload; the rows are read after."""

    file = forms.FileField(
        label="Spreadsheet",
        error_messages={
            "required": "Choose the spreadsheet to import.",
            "empty": "The file you chose is empty. If it is open in Excel, save it, then "
            "choose it again.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = f"An .xlsx or .csv file in the import layout, at most {size_limit_words()}."

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; the largest we take is "
                f"{size_limit_words()}. Split it into several files."
            )
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(
                f"“{upload.name}” is not an .xlsx or .csv file: save it as one of those."
            )
        return upload


class PlanUploadForm(UploadForm):
    plan = forms.ChoiceField(
        label="Which plan is it?",
        help_text="Actions are matched to this plan’s by theme and reference.",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the plan the file is for, or a new plan."},
    )
    field_order = ["plan", "file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [
            *((plan.slug, plan.name) for plan in Plan.objects.filter(is_synthetic=False)),
            (NEW_PLAN, "A new plan, named in the file’s Plan column"),
        ]


class ConfirmForm(forms.Form):
    """What a person agrees to when confirming an import: the preview names each."""

    dates_to_confirm = forms.BooleanField(
        required=False,
        label="Bring these actions in with their dates to be confirmed",
        help_text="Each keeps its timeframe exactly as written and has no due date until "
        "you confirm the real date on the data-quality page.",
    )
    create_leads = forms.BooleanField(
        required=False,
        label="Add these people as new leads",
        help_text="Check each is not someone already in cypeplan under another name.",
    )

    def __init__(self, *args, preview, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview = preview
        if not preview.get("dates_to_confirm"):
            del self.fields["dates_to_confirm"]
        if not preview.get("new_leads"):
            del self.fields["create_leads"]

    def clean(self):
        if "dates_to_confirm" in self.fields and not self.cleaned_data.get("dates_to_confirm"):
            self.add_error(
                "dates_to_confirm",
                "Tick to bring the actions in with their dates to be confirmed, or correct "
                "the dates in the file and upload it again.",
            )
        if "create_leads" in self.fields and not self.cleaned_data.get("create_leads"):
            self.add_error(
                "create_leads",
                "Tick to add the new leads, or write their names as cypeplan knows them "
                "and upload the file again.",
            )
        return self.cleaned_data


class DateConfirmationForm(forms.Form):
    confirmed_on = GovukDateField(
        label="Confirmed due date",
        help_text="The date the plan really meant, for this action only. For example, 30 9 2021.",
        error_messages={"required": "Enter the confirmed due date, for example 30 9 2021"},
    )
    reason = WrittenText(
        label="Who confirmed it, and why",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="For example: “Confirmed with the Head of Service: the plan meant the end of "
        "September 2021.”",
        error_messages={"required": "Say who confirmed the date and why."},
    )
    # The form's one-time key (sent twice, it records one confirmation) and the newest
    # confirmation there was when it opened (one recorded since is not silently replaced).
    key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    seen_up_to = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
