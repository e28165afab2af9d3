import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from actions.demo import DemoPlanRefused, demo_database_settle, demo_plan_generate
from actions.models import Action, ProgressUpdate, SubStep


class Command(BaseCommand):
    help = (
        "Generate a synthetic demo plan (plainly named as generated, never a council plan) "
        "with N actions and about M progress updates each, for demonstrations and load tests."
    )

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=1000, help="How many actions.")
        parser.add_argument(
            "--updates-per-action",
            type=int,
            default=10,
            help="Progress updates per action on average: some actions are never updated, "
            "so others have more. The plan has exactly actions x this many.",
        )
        parser.add_argument(
            "--seed", type=int, default=0, help="The same seed makes the same plan on a day."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the synthetic plan of this size first, if there is one. A real "
            "plan is never deleted.",
        )

    def handle(self, *args, actions, updates_per_action, seed, replace, **options):
        if actions < 1 or updates_per_action < 0:
            raise CommandError("--actions must be at least 1 and --updates-per-action 0 or more.")
        started = time.perf_counter()
        try:
            plan = demo_plan_generate(
                actions=actions, updates_per_action=updates_per_action, seed=seed, replace=replace
            )
        except DemoPlanRefused as error:
            raise CommandError(str(error)) from None
        demo_database_settle()
        seconds = time.perf_counter() - started

        in_plan = Action.objects.filter(theme__plan=plan)
        leads = in_plan.values("lead").distinct().count()
        made = in_plan.aggregate(
            actions=Count("pk", distinct=True), supported=Count("supporting_leads")
        )
        updates = ProgressUpdate.objects.filter(action__theme__plan=plan).count()
        steps = SubStep.objects.filter(action__theme__plan=plan).count()
        self.stdout.write(
            f"Made “{plan.name}” (?plan={plan.slug}), synthetic demo data, in {seconds:.1f} s:\n"
            f"  {plan.themes.count()} themes, {made['actions']:,} actions led by {leads} "
            f"synthetic leads ({made['supported']:,} supporting roles), {steps:,} sub-steps, "
            f"{updates:,} progress updates.\n"
            f"  It runs from {plan.starts_on:%-d %B %Y} to {plan.ends_on:%-d %B %Y}; its "
            f"positions are as at today. Seed {seed}."
        )
