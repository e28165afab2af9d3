"""Scrutiny officers' forms (a meeting, an item, the committee's decision) and officers'
answers. Each view records through scrutiny.services; the rules live there and in the
models' clean()."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from actions.forms import GovukDateField
from actions.models import Action, Lead
from cypeplan.forms import WrittenText, written_text
from cypeplan.writing_direction import isolated

from .models import Change, Item, Kind, Meeting
from .services import decision_problems

YES_NO = [("yes", "Yes"), ("no", "No")]


class MeetingForm(forms.ModelForm):
    held_on = GovukDateField(label="Date of the meeting", help_text="For example, 12 3 2019.")

    class Meta:
        model = Meeting
        formfield_callback = written_text
        fields = ["committee", "held_on", "minute_numbers"]
        labels = {"committee": "Committee"}
        widgets = {"committee": forms.TextInput(attrs={"autocomplete": "off"})}

    def clean(self):
        cleaned = super().clean()
        committee, held_on = cleaned.get("committee"), cleaned.get("held_on")
        exists = Meeting.objects.filter(committee=committee, held_on=held_on).exists
        if committee and held_on and exists():
            self.add_error(
                "held_on",
                f"The {committee} already has a meeting on "
                f"{date_format(held_on, 'j F Y')}: add items to that one.",
            )
        return cleaned


KIND_CHOICES = [
    (Kind.ACTION, "Action: something officers agreed to do"),
    (Kind.INFORMATION_REQUEST, "Information request: something members asked to be sent"),
    (Kind.RECOMMENDATION, "Recommendation: the committee recommends something"),
    (Kind.CONCLUSION, "Conclusion: the committee’s view; needs no answer"),
]


def action_label(action):
    words = " ".join(action.description.split())
    words = words if len(words) <= 110 else words[:107] + "…"
    return f"{action.reference} {words}".strip()


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of item is it?", choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    words = WrittenText(
        label="Words as minuted",
        help_text="Exactly as the minutes write it.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
    )
    minute = WrittenText(
        label="Minute it comes from", help_text="For example 12/19.", required=False, max_length=20
    )
    answerer = forms.ModelChoiceField(
        label="Officer who must answer",
        queryset=Lead.objects.none(),
        required=False,
        empty_label="Not a lead in the plans",
        help_text="They, their delegates and plan administrators can answer it. They and "
        "their delegates are emailed that the answer is owed as soon as you record it.",
    )
    answerer_as_minuted = WrittenText(
        label="Who must answer, as the minutes name them",
        required=False,
        max_length=200,
        help_text="A role or job title as written, for example Head of Finance. Needed when "
        "the officer is not a lead in the plans.",
    )
    due_on = GovukDateField(
        label="Answer due by",
        required=False,
        help_text="For example, 31 5 2019. Leave empty for a conclusion.",
    )
    # The form's one-time key: sent twice (a second click, a second tab), it records one
    # item.
    key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    actions = forms.ModelMultipleChoiceField(
        label="Plan actions it concerns",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick any number, from any plan.",
    )

    sometimes_needed = ("answerer", "answerer_as_minuted")

    def __init__(self, *args, meeting, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        self.fields["answerer"].queryset = Lead.objects.order_by("name", "initials")
        self.fields["answerer"].label_from_instance = lambda lead: (
            f"{isolated(lead)}, {isolated(lead.job_title)}" if lead.job_title else str(lead)
        )
        # Demo plans of thousands of generated actions are not what members ask about.
        self.fields["actions"].queryset = (
            Action.objects.filter(theme__plan__is_synthetic=False)
            .select_related("theme__plan")
            .order_by("theme__plan__name", "theme__position", "position")
        )
        self.fields["actions"].label_from_instance = action_label
        for name in self.sometimes_needed:
            self.fields[name].sometimes_needed = True

    def clean(self):
        """Item.clean's rules (who answers, the due date), so every error shows at once."""
        cleaned = super().clean()
        fields = ["kind", "words", "answerer", "answerer_as_minuted", "due_on"]
        probe = Item(meeting=self.meeting, **{name: cleaned.get(name) for name in fields})
        probe.words = probe.words or ""
        probe.answerer_as_minuted = probe.answerer_as_minuted or ""
        try:
            probe.clean()
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned

    def actions_by_plan(self):
        """The actions field's boxes grouped by plan, for the template."""
        groups = {}
        plans = {action.pk: action.theme.plan.name for action in self.fields["actions"].queryset}
        for box in self["actions"]:
            groups.setdefault(plans.get(box.data["value"].value), []).append(box)
        return list(groups.items())


class ResponseForm(forms.Form):
    text = WrittenText(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text="What the committee asked for, or where it is, in words a councillor can "
        "read in the agenda pack.",
    )
    evidence = WrittenText(
        label="Evidence",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text="What shows it was done, and where a member could see it.",
    )
    evidence_links = WrittenText(
        label="Links",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        max_length=10_000,
        help_text="Web addresses starting http:// or https://, one per line.",
    )
    considers_answered = forms.ChoiceField(
        label="Do you consider the item answered?",
        choices=[
            ("yes", "Yes: it goes to the committee to accept"),
            ("no", "No: this is progress, the item stays open"),
        ],
        widget=forms.RadioSelect,
    )
    # The form's one-time key: sent twice (a second click, a second tab), it records one
    # answer.
    key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def clean_considers_answered(self):
        return self.cleaned_data["considers_answered"] == "yes"


DECISION_CHOICES = [
    (Change.ACCEPTED, "Accepted: the committee accepts the answer; the item leaves the list"),
    (Change.NOT_ACCEPTED, "Not accepted: sent back to the officer, with the reason"),
    (Change.WITHDRAWN, "Withdrawn: no longer needed, with the reason"),
]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What did the committee decide?", choices=DECISION_CHOICES, widget=forms.RadioSelect
    )
    meeting = forms.ModelChoiceField(
        label="Meeting at which it was decided",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Choose a meeting",
        help_text="Needed to accept an answer or send it back. A withdrawal without a meeting "
        "is dated today.",
    )
    reason = WrittenText(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text="Needed when the answer is not accepted, or the item is withdrawn.",
    )
    due_on = GovukDateField(
        label="New date the answer is due",
        required=False,
        help_text="Only when the answer is sent back. From the meeting on, the item is due "
        "by this date; action lists as at earlier dates keep the date they had. For example, "
        "31 1 2027.",
    )

    # The form's one-time key: sent twice (a second click, a second tab), it records one
    # decision, and the second send is told so.
    key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    sometimes_needed = ("meeting", "reason")

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            held_on__gte=item.meeting.held_on, held_on__lte=timezone.localdate()
        ).order_by("-held_on")
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{isolated(meeting.committee)}, {date_format(meeting.held_on, 'j F Y')}"
        )
        for name in self.sometimes_needed:
            self.fields[name].sometimes_needed = True
        self.item = item

    def clean(self):
        """What the decision needs (a meeting, a reason, no new date unless sent back),
        asked even when another field is wrong (a date that doesn't exist), so every
        problem is named at once rather than one after another. Not asked of the same form
        sent again: its decision, recorded the first time, has changed what the item needs,
        and decision_record returns it."""
        cleaned = super().clean()
        key = cleaned.get("key")
        if key is not None and self.item.state_changes.filter(key=key).exists():
            return cleaned
        if "decision" in cleaned:
            problems = decision_problems(
                item=self.item,
                decision=cleaned["decision"],
                meeting=cleaned.get("meeting"),
                reason=cleaned.get("reason") or "",
                due_on=cleaned.get("due_on"),
            )
            for field, message in problems.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned
