"""What the `cypeplan` template tags (actions/templatetags/cypeplan.py) draw, by subject.

Each module registers its tags and filters with a library of its own, which the
`cypeplan` library gathers; none of them is a library `{% load %}` can name.
"""
