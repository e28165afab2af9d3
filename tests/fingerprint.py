"""What a database holds, model by model, independent of record numbers a restore may
give anew: for comparing a database with its copy, whatever apps and models it has.

Run as a script (python -m tests.fingerprint) it prints the fingerprint of the database
DATABASE_URL names, as JSON.
"""

import hashlib
import json

from django.apps import apps
from django.core import serializers

# Django rebuilds these on migrate; a dump leaves them out (see README, Backups).
NOT_DUMPED = {"contenttypes.contenttype", "auth.permission"}


def dumped_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in NOT_DUMPED and not model._meta.proxy
    ]


def rows(model):
    """Each row as natural keys and values: the record number only where the model has no
    natural key (then a restore keeps it)."""
    objects = serializers.serialize(
        "python",
        model._default_manager.order_by("pk"),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    return sorted(json.dumps(obj, sort_keys=True, default=str) for obj in objects)


def fingerprint():
    """{model label: [row count, hash of every row]}; progress updates row by row too."""
    result = {}
    for model in dumped_models():
        model_rows = rows(model)
        digest = hashlib.sha256("\n".join(model_rows).encode()).hexdigest()
        result[model._meta.label_lower] = [len(model_rows), digest]
    from actions.models import ProgressUpdate

    result["progress updates"] = sorted(
        hashlib.sha256(row.encode()).hexdigest() for row in rows(ProgressUpdate)
    )
    return result


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(fingerprint()))
