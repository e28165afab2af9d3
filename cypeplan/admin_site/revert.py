"""Reverting to an earlier version keeps the fields the page shows read only."""


class RevertKeepsReadOnlyFields:
    """Reverting to an earlier version (the History page) changes only what the page lets
    a person change: a field the page shows read only (a meeting's date once it has items,
    an answered item's kind and who must answer) keeps the value it has now, not the one
    it had in that version."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting_to_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The version's row is what the page shows and saves: give it the values the page
        # keeps read only before the form is made from it.
        if getattr(request, "reverting_to_version", False) and obj is not None and obj.pk:
            current = type(obj)._default_manager.get(pk=obj.pk)
            names = set(self.get_readonly_fields(request, current))
            for field in obj._meta.concrete_fields:
                if field.name in names:
                    setattr(obj, field.attname, getattr(current, field.attname))
        return super().get_form(request, obj, change, **kwargs)
