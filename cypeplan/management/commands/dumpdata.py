"""Django's dumpdata, writing models in an order loaddata can follow when two models
point at each other (a division names its director, a lead names their division).

Django orders models so that each comes after those its natural keys refer to; on a
cycle it gives up on one model at random, which can put progress updates before their
actions, or a scrutiny item's changes before the item, and then loaddata fails. Here a
cycle is broken only at a model whose unmet references are all optional foreign keys:
loaddata saves such a row without them and fills them in once the rest is loaded.

Rows kept from other rows (a model with `kept_from_other_rows = True`, such as each
action's newest update) are not written: loading the rows they are kept from sets them
again, under the new database's numbers.
"""

from django.apps import apps
from django.core import serializers
from django.core.management.commands.dumpdata import Command as DumpdataCommand


def _references(model):
    """{model it refers to by natural key: whether the row can be saved without it}."""
    references = {}
    for label in getattr(getattr(model, "natural_key", None), "dependencies", []):
        references[apps.get_model(label)] = False
    for field in model._meta.fields:
        target = field.remote_field.model if field.remote_field else None
        if target is not None and target is not model and hasattr(target, "natural_key"):
            references[target] = references.get(target, True) and field.null
    for field in model._meta.many_to_many:
        target = field.remote_field.model
        automatic = field.remote_field.through._meta.auto_created
        if automatic and target is not model and hasattr(target, "natural_key"):
            references[target] = False
    return references


def sort_dependencies(app_list, allow_cycles=False):
    """serializers.sort_dependencies, breaking cycles where loaddata can follow."""
    waiting = []
    for app_config, model_list in app_list:
        for model in app_config.get_models() if model_list is None else model_list:
            if getattr(model, "kept_from_other_rows", False):
                continue
            waiting.append((model, _references(model)))
    dumped = {model for model, _ in waiting}
    ordered = []
    while waiting:
        ready = [
            (model, refs)
            for model, refs in waiting
            if all(target not in dumped or target in ordered for target in refs)
        ]
        if not ready:
            optional_only = [
                (model, refs)
                for model, refs in waiting
                if all(
                    optional or target not in dumped or target in ordered
                    for target, optional in refs.items()
                )
            ]
            if not optional_only and not allow_cycles:
                names = ", ".join(sorted(model._meta.label for model, _ in waiting))
                raise RuntimeError(
                    f"Can't resolve dependencies for {names} in serialized app list."
                )
            ready = (optional_only or waiting)[:1]
        for entry in ready:
            ordered.append(entry[0])
            waiting.remove(entry)
    return ordered


class Command(DumpdataCommand):
    help = DumpdataCommand.help + " Cycles between models are broken where loaddata can follow."

    def handle(self, *app_labels, **options):
        django_sort = serializers.sort_dependencies
        serializers.sort_dependencies = sort_dependencies
        try:
            return super().handle(*app_labels, **options)
        finally:
            serializers.sort_dependencies = django_sort
