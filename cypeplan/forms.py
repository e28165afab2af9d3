import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .inputs import as_saved_back, has_words, one_line_break_each


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with messages in plain English."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask a plan administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # GOV.UK advises against autofocus: keyboard users would skip the skip link.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


def says_what_is_saved(cleaned_data, record, names):
    """Whether a form's cleaned data says, in each of `names`, what `record` says: sent
    again after it was saved, it would save the same record twice."""
    return all(cleaned_data[name] == getattr(record, name) for name in names)


class _NeverTicked(forms.HiddenInput):
    """A hidden input that is always sent empty, whatever was sent before."""

    def format_value(self, value):
        return None


class AddedOnceForm(forms.ModelForm):
    """A form adding a record, which refuses one saying exactly what the newest record its
    person added there says (its `content_fields`; `newest_added` finds that record),
    naming it (`already_added`), unless they tick "Record it again anyway": Back after
    saving opens the page afresh with what was typed restored, and sent again it would
    add the same record twice. The form says who is adding (`for_person`), and which field
    the refusal is shown on (`refused_on`; None shows it above the form).

    A tick counts only from the checkbox shown on the page that was sent: hidden, the box
    is always sent empty. So a tick sent with a form refused for something else while it
    isn't known to repeat (a field it compares in error) or no longer repeats is dropped,
    and a later send repeating a record is asked again. While it still repeats, the box
    stays shown, ticked as sent, where the person sees it."""

    # Hidden until the form turns out to repeat a record; a checkbox from then on.
    record_again = forms.BooleanField(
        label="Record it again anyway",
        required=False,
        widget=_NeverTicked,
        help_text="Tick this only if there really are two the same.",
    )

    content_fields = ()
    person = None
    refused_on = None
    # What the refusal tells them to do after ticking the box, in their page's words.
    then_save = "save"

    @classmethod
    def for_person(cls, person):
        """This form for `person` adding a record (the admin makes a form class per page)."""
        return type(cls)(cls.__name__, (cls,), {"person": person})

    def newest_added(self, person):
        """The record `person` added most recently where this form adds one (the same
        action, the same meeting), or None; None too if the form doesn't say where."""
        raise NotImplementedError

    def already_added(self, record):
        """The words telling the person they added this `record` already."""
        raise NotImplementedError

    def repeated(self):
        """The newest record this form's person added where it adds one, if it says exactly
        what the form says: saving it would add the same record twice. None otherwise
        (and while any of its content is in error, so not known)."""
        if self.person is None or any(
            name not in self.cleaned_data for name in self.content_fields
        ):
            return None
        newest = self.newest_added(self.person)
        if newest is None:
            return None
        return (
            newest if says_what_is_saved(self.cleaned_data, newest, self.content_fields) else None
        )

    @property
    def offers_record_again(self):
        """Whether the form turned out to repeat a record, so shows the checkbox."""
        return isinstance(self.fields["record_again"].widget, forms.CheckboxInput)

    def clean(self):
        cleaned = super().clean()
        repeated = self.repeated()
        if repeated is not None:
            # Offered (and kept ticked if it was) whenever it applies.
            self.fields["record_again"].widget = forms.CheckboxInput()
            if not cleaned.get("record_again"):
                # Above the form, the message links to the checkbox; on it, the error
                # summary does.
                box = (
                    "“Record it again anyway”"
                    if self.refused_on
                    else mark_safe('<a href="#id_record_again">“Record it again anyway”</a>')
                )
                self.add_error(
                    self.refused_on,
                    ValidationError(
                        format_html(
                            "{} Nothing new has been saved. If there really are two the "
                            "same, tick {} below and {}.",
                            self.already_added(repeated),
                            box,
                            self.then_save,
                        )
                    ),
                )
        return cleaned


class SavedOnceForm(AddedOnceForm):
    """An admin add page's form with a one-time key, which the record is saved under: the
    same form sent twice (a double click on Save, a resend, a second tab) saves one record,
    and the second is shown the record the first saved. Without a key (a form from before
    keys), the record gets a new one. A form says how to find what was saved under a key
    (`saved_under`) and how to name it (`already_saved`). Back after saving, then Save, is
    refused as on the officers' update page (AddedOnceForm)."""

    form_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)

    def saved_under(self, key):
        """The record already saved under `key`, or None."""
        raise NotImplementedError

    def already_saved(self, saved):
        """The error telling the person this form was saved already, as `saved`."""
        raise NotImplementedError

    def clean(self):
        key = self.cleaned_data.get("form_key")
        saved = self.saved_under(key) if key else None
        if saved is not None:
            # Saved already: that is all there is to say, not that it repeats itself.
            raise ValidationError(self.already_saved(saved))
        return super().clean()


class _Limit(MaxLengthValidator):
    """MaxLengthValidator, with the count written as people write numbers (10,039)."""

    def __call__(self, value):
        if len(value) > self.limit_value:
            raise ValidationError(
                self.message, code="max_length", params={"count": f"{len(value):,}"}
            )


class WrittenText(forms.CharField):
    """Text a person types: its length counted as the box they typed it in counts it.

    A browser counts a line break in a box as one character against its maxlength, but
    sends it as two (CR LF); Django's CharField counted those, so text the box had let
    through was refused as too long. Line breaks are kept as one character (LF) each, and
    a text that is still too long is refused naming the box, its limit and the count."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            named = f"“{self.label}”".replace("%", "%%") if self.label else "This"
            message = f"{named} must be {self.max_length:,} characters or fewer: it has %(count)s."
            self.validators = [
                *(v for v in self.validators if not isinstance(v, MaxLengthValidator)),
                _Limit(self.max_length, message=message),
            ]

    def to_python(self, value):
        value = super().to_python(value)
        return one_line_break_each(value) if value else value

    def has_changed(self, initial, data):
        # Text stored with CR LF (an older import) sent back as the box showed it is the
        # text as it was: not a change to record, save or tell anyone about.
        return super().has_changed(as_saved_back(initial), data)

    def validate(self, value):
        super().validate(value)
        # Only invisible characters (a zero-width space) is as good as empty.
        if self.required and value and not has_words(value):
            raise ValidationError(self.error_messages["required"], code="required")


def written_text(model_field, **kwargs):
    """A ModelForm's Meta.formfield_callback: every text field (not a choice) is
    WrittenText."""
    if isinstance(model_field, models.CharField | models.TextField) and not model_field.choices:
        kwargs.setdefault("form_class", WrittenText)
    return model_field.formfield(**kwargs)


def full_stop_after(quotation):
    """The full stop for a sentence ending with `quotation` in quotation marks: none if
    the quotation ends a sentence of its own (. ! or ?), which would read “…by school.”."""
    return "" if str(quotation).rstrip().endswith((".", "!", "?")) else "."
