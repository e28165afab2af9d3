"""What a server's worker does once it has loaded the app, before it serves anything
(cypeplan/wsgi.py; `make bench` does the same before it times a page)."""

import gc

from django.urls import get_resolver


def settle():
    """Load the URLconf, then put everything loaded so far out of the garbage collector's
    reach (gc.freeze): Django, the apps, their modules and the URLconf, about 110,000
    objects that live as long as the worker. Every so often Python's garbage collector
    runs a full collection, which looked at all of them each time: on a list page of 200
    rows at 10,000 actions that paused the request for 60 to 70 ms, about once in 15
    requests, and made the 95th percentile twice the median. Frozen, the pause is 9 to 17
    ms. Garbage is collected first, so none of it is kept for good."""
    get_resolver().url_patterns  # noqa: B018 (loads the URLconf)
    gc.collect()
    gc.freeze()
