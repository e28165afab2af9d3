"""What a number or an id typed into a form or a web address may be, checked before it
reaches a query: ASCII digits only (`isdigit()` also accepts "²" and "٣", which int()
or the database refuse), and no more of them than the database's integers hold; a date typed
in the admin; whether text shows anything, and its line breaks as a box on a page sends them;
words as search compares them."""

import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from actions.timeframes import why_not_a_date
from themes.periods import in_range

# The largest id a database integer (bigint) holds has 19 digits; 18 always fit.
_PLAIN_NUMBER = re.compile(r"[0-9]{1,18}", re.ASCII)


def plain_number(text):
    """The number written in `text` as ASCII digits, or None if it isn't one that fits."""
    text = str(text).strip()
    return int(text) if _PLAIN_NUMBER.fullmatch(text) else None


INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def _plain_ids(field, value):
    """The values a model choice field may look up: plain numbers for an integer key."""
    meta = field.queryset.model._meta
    key = meta.get_field(field.to_field_name) if field.to_field_name else meta.pk
    if key.get_internal_type() not in INTEGER_KEYS:
        return value
    if isinstance(value, list | tuple):
        return [item for item in value if plain_number(item) is not None]
    return value if value in field.empty_values or plain_number(value) is not None else ""


class PlainIdChoiceField(forms.ModelChoiceField):
    """A model choice whose posted id is checked before any query: "abc" or a
    20-digit number is "not one of the choices", never an error in the database."""

    def to_python(self, value):
        if value not in self.empty_values and _plain_ids(self, value) == "":
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def bound_data(self, data, initial):
        # What the form shows again after an error: never a value a query can't take.
        return _plain_ids(self, super().bound_data(data, initial))


class PlainIdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        if _plain_ids(self, list(value)) != list(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": next(v for v in value if plain_number(v) is None)},
            )
        return super()._check_values(value)

    def bound_data(self, data, initial):
        return _plain_ids(self, super().bound_data(data, initial))


# Characters that draw nothing although Unicode doesn't class them as spaces or formatting:
# the Hangul fillers and the blank braille pattern (a favourite "invisible character").
_DRAWS_NOTHING = frozenset("\u115f\u1160\u2800\u3164\uffa0")
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def has_words(text):
    """Whether `text` shows a reader anything. `.strip()` keeps a zero-width space, a word
    joiner, a byte-order mark or a braille blank, so text of only those met "needs
    evidence" or "needs a reason" while the page showed nothing."""
    return any(
        not character.isspace()
        and character not in _DRAWS_NOTHING
        and unicodedata.category(character) not in _INVISIBLE_CATEGORIES
        for character in text or ""
    )


def one_line_break_each(text):
    """`text` with each line break as one line feed, as a box on a page sends it after
    WrittenText: Windows' CR LF and old Macs' CR alone (a spreadsheet cell can hold either)
    would otherwise count twice against a limit and be stored unlike the same words typed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def as_saved_back(value):
    """`value` as a page would save it back: text stored before the admin kept line breaks
    as line feeds (CR LF, as from an older import) is the same text, so a colleague's save
    that only changed its line breaks is not a change, and a box left as found is still as
    found."""
    return one_line_break_each(value) if isinstance(value, str) else value


class DayFirstDateField(forms.DateField):
    """A date typed in the admin: read day first (the en-GB formats), one that can't be read
    says why, naming what was typed, and one outside the dates the service answers for
    (themes.periods.in_range) is refused: the pages work out days around it."""

    def to_python(self, value):
        try:
            day = super().to_python(value)
        except ValidationError:
            typed = str(value).strip()
            raise ValidationError(
                f"“{typed}” {why_not_a_date(typed, '31/03/2024')}", code="invalid"
            ) from None
        if day is None:
            return None
        # Named as the revised due date's rule names it (ProgressUpdate.clean), in words.
        _, outside = in_range(day, date_format(day, "j F Y"))
        if outside:
            raise ValidationError(outside, code="out_of_range")
        return day


# An apostrophe as typed: straight, or curly as phones (iOS's smart punctuation), Word and
# the plans' PDFs write it, or the modifier letter some keyboards give.
APOSTROPHES = "'\u2019\u2018\u02bc"
# Accents left once a letter is taken apart (NFKD): the combining diacritical marks.
_ACCENTS = re.compile("[\u0300-\u036f]")
# Letters with a stroke or a bar, which Unicode doesn't take apart but people type plain
# ("Łukasz" as "Lukasz", "Đorđe" as "Dorde", Icelandic "ð" as "d", Maltese "ħ" as "h",
# Sámi "ŧ" as "t" and "ŋ" as "n", Turkish dotless "ı" as "i"; its "İ" comes apart itself);
# and every apostrophe as the straight one.
_PLAIN_LETTERS = str.maketrans("øØłŁđĐðÐħĦŧŦŋŊı" + APOSTROPHES[1:], "oOlLdDdDhHtTnNi" + "'" * 3)
# Letters written as two when typed plain ("Straße" as "strasse", "ældre" as "aeldre"),
# once lower case; and a word's final sigma as a sigma (where a word ends differs between
# text and a search).
_PLAIN_SPELLINGS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "\u03c2": "\u03c3"})


def searchable(text):
    """`text` as every search box compares it, whatever its case, accents or apostrophes:
    "Róisín Madden" and "RÓISÍN" both become "roisin…", "Children’s" becomes "children's",
    "Straße" "strasse". PostgreSQL runs the same rule as the function cypeplan_searchable
    (cypeplan/search.py), so both databases find the same rows."""
    if text.isascii():
        # Nothing to take apart: the common case, and the quick one.
        return text.lower()
    plain = _ACCENTS.sub("", unicodedata.normalize("NFKD", text)).translate(_PLAIN_LETTERS)
    return plain.lower().translate(_PLAIN_SPELLINGS)
