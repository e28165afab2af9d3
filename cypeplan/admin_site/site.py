"""The admin site: every model admin registered gets the checks of this package, and
malformed addresses and lookups are refused before any page is made."""

import re
from functools import wraps

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from ..history_admin import HistoryLineBreaksAside
from ..inputs import INTEGER_KEYS, plain_number
from ..search import SearchAdmin
from ..unsent import keeping_what_was_sent
from .changed_meanwhile import ChangedMeanwhileAdmin
from .checked_inputs import CheckedInputsAdmin, TypedTextAdmin
from .revert import RevertKeepsReadOnlyFields
from .signed_out import KeptWhenSignedOutAdmin

# A date hierarchy's ?reported_on__year=...: a year, month or day has at most 4 digits.
_DATE_PART = re.compile(r"__(?:year|month|day)$")
_SHORT_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)
# A number in a list filter's lookup (?plan=, ?theme__id__exact=) longer than any id.
_LONG_NUMBER = re.compile(r"[-+]?[0-9]{19,}", re.ASCII)


def _typed_text(inline):
    if issubclass(inline, TypedTextAdmin):
        return inline
    return type(inline.__name__, (TypedTextAdmin, inline), {"__module__": inline.__module__})


def _has_integer_key(model_admin):
    return model_admin.model._meta.pk.get_internal_type() in INTEGER_KEYS


# The views of the pages where an administrator types a record.
FORM_PAGES = ("add_view", "change_view")


class CouncilAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        base = admin_class or admin.ModelAdmin
        mixins = (CheckedInputsAdmin, KeptWhenSignedOutAdmin, ChangedMeanwhileAdmin, SearchAdmin)
        if issubclass(base, SimpleHistoryAdmin):
            mixins += (RevertKeepsReadOnlyFields, HistoryLineBreaksAside)
        inlines = [_typed_text(inline) for inline in base.inlines]
        checked = type(
            base.__name__,
            (*mixins, base),
            {"__module__": base.__module__, "inlines": inlines},
        )
        return super().register(model_or_iterable, checked, **options)

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)

        @wraps(view)
        def checked(request, *args, **kwargs):
            object_id = kwargs.get("object_id")
            if (
                object_id is not None
                and isinstance(model_admin, admin.ModelAdmin)
                and _has_integer_key(model_admin)
                and plain_number(object_id) is None
            ):
                # "/admin/actions/action/37.0/history/": no such record.
                raise Http404("No record has that number.")
            if (
                request.method == "POST"
                and isinstance(model_admin, admin.ModelAdmin)
                and _has_integer_key(model_admin)
                and any(
                    plain_number(value) is None
                    for value in request.POST.getlist(ACTION_CHECKBOX_NAME)
                )
            ):
                raise BadRequest("A chosen row is not a record number.")
            if any(data.get(TO_FIELD_VAR) == "" for data in (request.GET, request.POST)):
                # Django refuses a field it doesn't allow here (400); an empty one too.
                raise BadRequest("An empty _to_field.")
            if any(
                (_DATE_PART.search(name) and not _SHORT_NUMBER.fullmatch(value))
                or (name != SEARCH_VAR and _LONG_NUMBER.fullmatch(value.strip()))
                for name, value in request.GET.items()
            ):
                # As the admin answers any other lookup it can't use: "?e=1" (a number no
                # database integer holds would overflow in the query).
                return HttpResponseRedirect(f"{request.path}?e=1")
            return view(request, *args, **kwargs)

        checked_view = super().admin_view(checked, cacheable)
        if isinstance(model_admin, admin.ModelAdmin) and view.__name__ in FORM_PAGES:
            # Saved after the session ended: kept, not lost (KeptWhenSignedOutAdmin).
            return keeping_what_was_sent(checked_view)
        return checked_view
