"""What the `govuk` template tags (cypeplan/templatetags/govuk.py) draw: GOV.UK Frontend's
presentation that is about no app's domain (dates, text, form fields, printing, pagination).

Each module registers its tags and filters with a library of its own, which the `govuk`
library gathers; none of them is a library `{% load %}` can name.
"""
