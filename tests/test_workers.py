"""A server's worker puts what it has loaded out of the garbage collector's reach before it
serves anything (cypeplan/workers.py), so the collector's full collections don't pause
requests to look at Django, the apps and the URLconf again."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_python(code):
    environment = {**os.environ, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "cypeplan.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.split()


def test_loading_the_wsgi_application_freezes_what_it_loaded():
    frozen, tracked, resolved = run_python(
        "import gc\n"
        "from cypeplan.wsgi import application\n"
        "from django.urls import get_resolver\n"
        # url_patterns is a cached property: in __dict__ once the URLconf is loaded.
        "print(gc.get_freeze_count(), len(gc.get_objects()),"
        " int('url_patterns' in get_resolver().__dict__))"
    )

    # Django, the apps and the URLconf: tens of thousands of objects; next to none are
    # left for a full collection to look at.
    assert int(frozen) > 50_000
    assert int(tracked) < int(frozen) / 100
    assert resolved == "1"


def test_settling_freezes_what_the_process_had_loaded_and_nothing_before():
    frozen, settled = run_python(
        "import gc, django\n"
        "django.setup()\n"
        "before = gc.get_freeze_count()\n"
        "from cypeplan.workers import settle\n"
        "settle()\n"
        "print(before, gc.get_freeze_count())"
    )

    assert frozen == "0"
    assert int(settled) > 50_000
