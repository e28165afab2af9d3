"""Presentation for the admin that every app's admin shares (arrows run from the apps to
here, never back)."""

from django.forms.models import BaseInlineFormSet


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's fields say what they are: the column heading is not a <label>,
    so each field (the blank row for a new one and its Delete box included) gets an
    aria-label naming its column and its row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for field in form.fields.values():
            # A related field's select sits inside the admin's add/change-link wrapper.
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs.setdefault("aria-label", f"{field.label}, {row}")
