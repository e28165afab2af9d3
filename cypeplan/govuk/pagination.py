"""Pagination: the page numbers GOV.UK's pagination shows, with gaps."""

from django import template
from django.core.paginator import Paginator

register = template.Library()


# --- Pagination -----------------------------------------------------------------


@register.simple_tag
def elided_pages(page, on_each_side=1, on_ends=1):
    """`{% elided_pages page_obj as pages %}`: page numbers, with None for a gap."""
    return [
        None if number == Paginator.ELLIPSIS else number
        for number in page.paginator.get_elided_page_range(
            page.number, on_each_side=on_each_side, on_ends=on_ends
        )
    ]
