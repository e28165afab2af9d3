"""Template tags for cypeplan's own pages about its domain: `{% load cypeplan %}`.

- `rag_tag`: the RAG or status tag, always as a word (templates/includes/rag_tag.html).
- `position_tags`, `due_date`: an action's position as words in tags, and its due date.
- `exception_rows`, `action_rows`: the rows of the lists and tables of actions.
- `service_navigation`: the header's navigation, with the current section marked.
- `late_entries`: for a past as-at date, the updates entered since that change its position
  (templates/includes/late_entries.html).

GOV.UK Frontend's presentation that is about no domain (dates, text, form fields,
pagination, the printed running head) is `{% load govuk %}` (cypeplan/templatetags/govuk.py).
Query strings for links that keep the other parameters: use Django's own
`{% querystring page=3 %}`.
"""

from django import template

from actions.presentation import late_notice, navigation, rows, tags
from actions.presentation.tags import position_tags, rag_tag, rag_tag_parts

__all__ = [
    "position_tags",
    "rag_tag",
    "rag_tag_parts",
]

# The one library `{% load cypeplan %}` loads: the tags and filters each module of
# actions.presentation registers. Those modules are outside templatetags so that Django
# doesn't take each of them for a library of its own.
register = template.Library()
for module in (tags, navigation, late_notice, rows):
    register.filters.update(module.register.filters)
    register.tags.update(module.register.tags)
