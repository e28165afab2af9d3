"""Factories for every model, in one module. Dates are fixed so tests read as stories."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from actions.models import Action, Division, Lead, ProgressUpdate, Status, SubStep, Timeframe
from scrutiny.models import Item, Kind, Meeting
from scrutiny.services import item_raise
from themes.models import Plan, Theme


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Test plan {n}")
    slug = factory.Sequence(lambda n: f"test-plan-{n}")
    starts_on = date(2022, 4, 1)
    ends_on = date(2024, 3, 31)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    position = factory.Sequence(lambda n: n)


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Division {n}")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    name = factory.Sequence(lambda n: f"Lead Person {n}")
    initials = ""
    job_title = "Head of Service"
    division = factory.SubFactory(DivisionFactory)


class TimeframeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timeframe
        django_get_or_create = ("label",)

    label = "March 2023"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    theme = factory.SubFactory(ThemeFactory)
    position = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Test action {n}")
    expected_outcome = "Something measurably better"
    lead = factory.SubFactory(LeadFactory)
    timeframe = factory.SubFactory(TimeframeFactory)


class SubStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubStep

    action = factory.SubFactory(ActionFactory)
    position = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Sub-step {n}")


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    action = factory.SubFactory(ActionFactory)
    reported_on = date(2022, 6, 1)
    status = Status.IN_PROGRESS
    rag = "green"
    working_well = "Work is under way."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = "Scrutiny Children & Young People Sub-Committee"
    held_on = factory.Sequence(lambda n: date(2019, 2, 5) + timedelta(days=n))
    minute_numbers = "7/19 to 16/19"


class ItemFactory(factory.django.DjangoModelFactory):
    """An item raised through scrutiny.services.item_raise, so it has its first step."""

    class Meta:
        model = Item

    meeting = factory.SubFactory(MeetingFactory)
    kind = Kind.INFORMATION_REQUEST
    words = factory.Sequence(lambda n: f"Members asked for report {n}")
    minute = "12/19"
    answerer = None
    answerer_as_minuted = "Officers"
    due_on = factory.LazyAttribute(lambda item: item.meeting.held_on + timedelta(days=35))
    actions = ()
    entered_by = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return item_raise(**kwargs)
