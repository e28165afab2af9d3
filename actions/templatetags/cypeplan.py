"""Template tags for cypeplan's GOV.UK Frontend pages: `{% load cypeplan %}`.

- `govuk_date`: dates as GOV.UK writes them ("31 March 2023").
- `shortened`: Django's truncatechars, quick for text that already fits.
- `web_links`: text with its line breaks, each http or https web address in it a link.
- `isolated`: a name set apart from the words around it in plain text such as a page's
  <title>, where <bdi> can't go (cypeplan.forms.isolated).
- `rag_tag`: the RAG or status tag, always as a word (templates/includes/rag_tag.html).
- `elided_pages`: the page numbers for GOV.UK pagination, with gaps.
- `service_navigation`: the header's navigation, with the current section marked.
- `print_heading`: the running head printed on each sheet of a page about no plan or date.
- `late_entries`: for a past as-at date, the updates entered since that change its position
  (templates/includes/late_entries.html).
- `govuk_widget`, `govuk_widget_type`, `govuk_errors`, `govuk_error_target`: used by
  the form templates in templates/django/forms/ and includes/error_summary.html to
  render Django fields in GOV.UK markup.

Query strings for links that keep the other parameters: use Django's own
`{% querystring page=3 %}`.
"""

from django import template

from actions.presentation import dates, fields, late_notice, navigation, printing, tags, text
from actions.presentation.dates import day_in_words, govuk_date
from actions.presentation.printing import css_string
from actions.presentation.tags import position_tags, rag_tag, rag_tag_parts
from actions.presentation.text import shortened, web_links

__all__ = [
    "css_string",
    "day_in_words",
    "govuk_date",
    "position_tags",
    "rag_tag",
    "rag_tag_parts",
    "shortened",
    "web_links",
]

# The one library `{% load cypeplan %}` loads: the tags and filters each module of
# actions.presentation registers. Those modules are outside templatetags so that Django
# doesn't take each of them for a library of its own.
register = template.Library()
for module in (dates, text, tags, navigation, fields, late_notice, printing):
    register.filters.update(module.register.filters)
    register.tags.update(module.register.tags)
