"""Template tags for GOV.UK Frontend's presentation, about no app's domain: `{% load govuk %}`.

- `govuk_date`: dates as GOV.UK writes them ("31 March 2023").
- `shortened`: Django's truncatechars, quick for text that already fits.
- `web_links`: text with its line breaks, each http or https web address in it a link.
- `isolated`: a name set apart from the words around it in plain text such as a page's
  <title>, where <bdi> can't go (cypeplan.writing_direction.isolated).
- `elided_pages`: the page numbers for GOV.UK pagination, with gaps.
- `print_heading`: the running head printed on each sheet of a page about no plan or date.
- `govuk_widget`, `govuk_widget_type`, `govuk_errors`, `govuk_error_target`: used by
  the form templates in templates/django/forms/ and includes/error_summary.html to
  render Django fields in GOV.UK markup.

The domain's own tags (RAG and position tags, the service's navigation, the "entered
later" notice) are `{% load cypeplan %}` (actions/templatetags/cypeplan.py).
"""

from django import template

from cypeplan.govuk import dates, fields, pagination, printing, text

# The one library `{% load govuk %}` loads: the tags and filters each module of
# cypeplan.govuk registers. Those modules are outside templatetags so that Django
# doesn't take each of them for a library of its own.
register = template.Library()
for module in (dates, text, pagination, fields, printing):
    register.filters.update(module.register.filters)
    register.tags.update(module.register.tags)
