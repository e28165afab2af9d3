from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from actions.views.scope import read_as_at
from cypeplan.forms import written_text
from themes.models import Plan
from themes.periods import Quarter, quarter_ends_until

from .models import HEADER_FIELDS, QuarterlyReport
from .services import quarter_for_plan

# What a committee paper says when nobody has filled it in (seed 001's own wording).
ORIGIN_OF_ITEM = "This item forms part of the Sub-Committee's work programme"
REPORT_TO = "Children and Young People Scrutiny Sub-Committee"


def quarter_choices(plan, today):
    """Every quarter end of the plan's life that has passed, newest first, as people name
    the quarters."""
    if plan is None:
        return []
    ends = [end for end in quarter_ends_until(plan.starts_on, plan.ends_on, today) if end < today]
    return [(end.isoformat(), Quarter.ending_on(end).name) for end in reversed(ends)]


class ChooseQuarterForm(forms.Form):
    """Which plan and quarter to preview (GET). The quarters offered are the chosen plan's
    (before one is chosen, the first plan's); a quarter typed into the address is checked
    against the plan, and the message says what is wrong with it."""

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        to_field_name="slug",
        empty_label=None,
        error_messages={
            "invalid_choice": "There is no plan called “%(value)s”: choose one from the list."
        },
    )
    quarter_ends_on = forms.CharField(
        label="Quarter",
        widget=forms.Select,
        help_text="The report gives each action’s position as at the quarter’s last day.",
        error_messages={"required": "Choose a quarter from the list."},
    )

    def __init__(self, *args, plans, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["plan"].queryset = Plan.objects.filter(pk__in=[p.pk for p in plans])
        self.fields["plan"].label_from_instance = lambda plan: (
            plan.name + (" (synthetic demo data)" if plan.is_synthetic else "")
        )
        slug = self.data.get("plan") if self.is_bound else self.initial.get("plan")
        chosen = next((p for p in plans if p.slug == slug), plans[0] if plans else None)
        self.fields["quarter_ends_on"].widget.choices = quarter_choices(chosen, self.today)

    def clean_quarter_ends_on(self):
        day, message = read_as_at(self.cleaned_data["quarter_ends_on"])
        if message:
            raise ValidationError(message)
        return day

    def clean(self):
        cleaned = super().clean()
        plan, quarter_ends_on = cleaned.get("plan"), cleaned.get("quarter_ends_on")
        if plan and quarter_ends_on:
            try:
                cleaned["quarter"] = quarter_for_plan(plan, quarter_ends_on, today=self.today)
            except ValidationError as error:
                self.add_error("quarter_ends_on", error.message_dict["quarter_ends_on"])
        return cleaned


class PublishForm(forms.ModelForm):
    """The header block an administrator fills in when publishing (POST), with the plan
    and quarter chosen on the preview."""

    # Their own ids: the preview's form on the same page has id_plan and id_quarter_ends_on.
    plan = forms.ModelChoiceField(
        queryset=Plan.objects.all(),
        to_field_name="slug",
        widget=forms.HiddenInput(attrs={"id": "publish-plan"}),
    )
    quarter_ends_on = forms.DateField(
        widget=forms.HiddenInput(attrs={"id": "publish-quarter-ends-on"})
    )
    # The version the draft showed as current (0: none yet). If another was published
    # meanwhile, publishing is refused rather than silently replacing a colleague's.
    replacing_version = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"id": "publish-replacing-version"}),
        required=False,
        min_value=0,
        max_value=32767,
    )

    class Meta:
        model = QuarterlyReport
        formfield_callback = written_text
        fields = [name for name, _ in HEADER_FIELDS]
        widgets = {
            "brief_for_committee": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "report_to": "The committee and meeting, e.g. Children and Young People Scrutiny "
            "Sub-Committee 7 March 2023.",
            "lead_officer": "Name and job title.",
            "cabinet_member": "Councillor, and their portfolio.",
        }

    def clean(self):
        cleaned = super().clean()
        plan, quarter_ends_on = cleaned.get("plan"), cleaned.get("quarter_ends_on")
        if plan and quarter_ends_on:
            try:
                cleaned["quarter"] = quarter_for_plan(plan, quarter_ends_on)
            except ValidationError as error:
                raise ValidationError(error.message_dict["quarter_ends_on"]) from error
        return cleaned


def header_initial(plan, quarter, latest):
    """What the header block starts as: the latest version's, when republishing; else the
    committee's usual wording."""
    if latest is not None:
        return {name: getattr(latest, name) for name, _ in HEADER_FIELDS}
    return {
        "report_to": REPORT_TO,
        "subject": f"{plan.name}: progress and risk, {quarter.name}",
        "origin_of_item": ORIGIN_OF_ITEM,
        "brief_for_committee": (
            f"The position of every action in the {plan.name} as at "
            f"{quarter.ends_on:%-d %B %Y}: what is overdue or at risk, and what changed "
            "since the last quarter."
        ),
    }
