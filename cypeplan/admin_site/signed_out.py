"""An admin page saved after the session ended comes back holding what was sent."""

from django.forms.forms import NON_FIELD_ERRORS

# Shown above what an administrator sent while signed out, now back on its page.
NOT_SAVED_YET = (
    "This is what you typed before you were signed out. Nothing has been saved yet: check "
    "it, then save it."
)


class KeptWhenSignedOutAdmin:
    """An add or change page saved after the session ended is kept, as the officers' forms
    are (cypeplan.unsent, wrapped round these pages by CouncilAdminSite): once signed in
    again the page comes back holding what was sent, its inlines' rows too, shown as a
    refused save shows it, with nothing saved until it is saved again. Who may see and
    save the page is checked as on any other request."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and getattr(request, "unsent", None) is not None:
            # A GET the CSRF check has passed: what it reads is what was sent, not the
            # record, and the form it makes refuses to save (get_form). Files aren't kept:
            # the GET's none are read first, before it passes for a POST.
            request.FILES.clear()
            request.method = "POST"
            request.POST = request.unsent
            request.sent_while_signed_out = True
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not getattr(request, "sent_while_signed_out", False):
            return form

        class NotSavedYet(form):
            def clean(self):
                self.add_error(None, NOT_SAVED_YET)
                return super().clean()

        return NotSavedYet

    def render_change_form(self, request, context, add=False, change=False, **kwargs):
        obj = kwargs.get("obj")
        if getattr(request, "sent_while_signed_out", False):
            context = _as_a_note(context)
            if obj is not None and obj.pk is not None:
                # The record as it is stored, for the page's heading, title and breadcrumbs:
                # validating what was sent wrote it onto `obj`, and nothing is saved yet.
                stored = type(obj)._default_manager.filter(pk=obj.pk).first() or obj
                context.update(original=stored, subtitle=str(stored))
        return super().render_change_form(request, context, add, change, **kwargs)


def _as_a_note(context):
    """`context` with NOT_SAVED_YET as a note of its own (`not_saved_yet`) rather than
    one of the form's errors: the page says "Please correct the error below." and its title
    "Error:" only if something else is wrong."""
    form = context["adminform"].form
    kept = form.errors.get(NON_FIELD_ERRORS)
    if kept is not None:
        kept.data = [error for error in kept.data if NOT_SAVED_YET not in error.messages]
        if not kept.data:
            del form.errors[NON_FIELD_ERRORS]
    return {
        **context,
        "errors": [errors for errors in context["errors"] if errors],
        "not_saved_yet": NOT_SAVED_YET,
    }
