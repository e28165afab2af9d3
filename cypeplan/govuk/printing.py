"""The running head a page prints on each sheet."""

import html

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils import timezone
from django.utils.html import strip_tags

register = template.Library()


# Characters a CSS string may hold as they are; anything else (spaces too, so the words
# never read as page text to anything that strips tags) is escaped as \HEX.
_CSS_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


@register.filter
def css_string(value):
    """Text for inside a double-quoted CSS string in a <style> element: every character
    that could end the string or the element (quotes, backslash, <, newlines) escaped."""
    return "".join(ch if ch in _CSS_SAFE else f"\\{ord(ch):x} " for ch in str(value))


@register.simple_tag(takes_context=True)
def print_heading(context):
    """For base.html: the running head of each printed sheet of a page that is about no
    plan or as-at date (data quality, the imports, updates by spreadsheet), as a CSS
    string's text: the page's title, from the same {% block title %} as its <title>, and
    the print date."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    title = blocks.get_block("title") if blocks else None
    words = html.unescape(strip_tags(title.render(context))) if title else ""
    printed = timezone.localtime()
    return css_string(f"{' '.join(words.split())} · Printed {printed:%-d %B %Y}")
