"""Text on a page: shortened, set apart, or with its web addresses as links."""

import unicodedata

from django import template
from django.template.defaultfilters import stringfilter
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, normalize_newlines

from cypeplan.links import web_address_pieces
from cypeplan.writing_direction import has_right_to_left
from cypeplan.writing_direction import isolated as isolated_text

register = template.Library()


@register.filter(is_safe=True)
@stringfilter
def shortened(value, length):
    """Django's truncatechars, without its cost when the text already fits, as an
    action's description nearly always does on every row of a list: the same text."""
    length = int(length)
    text = unicodedata.normalize("NFC", value)
    if length > 0 and len(text) <= length:
        return text
    return Truncator(value).chars(length)


@register.filter(is_safe=True)
@stringfilter
def isolated(value):
    """A name (a committee's, a theme's, a lead's) set apart from the words around it in a
    page's <title>, which can't hold <bdi>: one in Hebrew or Arabic otherwise takes the
    comma and date after it into its right-to-left order. Text with no right-to-left
    letter, which nothing can reorder, is left as it is."""
    return isolated_text(value) if has_right_to_left(value) else value


@register.filter(is_safe=True)
def web_links(value):
    """`value` as linebreaksbr shows it, escaped, with each http or https web address in it
    a link (the Word papers link the same ones: cypeplan.links)."""
    html = []
    for words, address in web_address_pieces(normalize_newlines(str(value))):
        if address:
            html.append(
                format_html(
                    '<a class="govuk-link app-web-address" href="{}" '
                    'rel="noopener noreferrer">{}</a>',
                    address,
                    address,
                )
            )
        else:
            html.append(escape(words).replace("\n", "<br>"))
    return mark_safe("".join(html))
