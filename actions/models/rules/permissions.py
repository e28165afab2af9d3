"""Who may record progress updates: the permission, for one user and as a list of people."""

from django.contrib import auth
from django.contrib.auth import get_user_model

# Recording a progress update: plan administrators and officers hold it, scrutiny doesn't.
RECORD_UPDATES = "actions.add_progressupdate"


def may_record_updates(user):
    """Whether `user` may record progress on the actions they lead, support or are a
    delegate on: signed in, active, and a superuser or given permission to add progress
    updates, directly or by a group."""
    return user.is_authenticated and user.has_perm(RECORD_UPDATES)


def people_who_may_record_updates():
    """The accounts may_record_updates allows, in one query."""
    return people_with_permission(RECORD_UPDATES)


def people_with_permission(perm):
    """The active accounts `user.has_perm(perm)` allows, in one query: what each
    authentication backend that can list them (Django's ModelBackend) says."""
    users = get_user_model()._default_manager.none()
    for backend in auth.get_backends():
        if hasattr(backend, "with_perm"):
            users |= backend.with_perm(perm)
    return users
