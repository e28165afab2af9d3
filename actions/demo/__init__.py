"""Synthetic demo plans of any size, for demonstrations, benchmarks and query-count tests.

Everything generated says it is synthetic: the plan's name, its themes, its leads ("Demo
Lead 01"), every narrative ("Synthetic update 3 for action 2.14"). Nothing in it may be
mistaken for a council plan or a member of council staff.
"""

from .plan import (
    DemoPlanRefused,
    demo_database_settle,
    demo_plan_delete,
    demo_plan_generate,
    demo_plan_name,
    demo_plan_slug,
)

__all__ = [
    "DemoPlanRefused",
    "demo_database_settle",
    "demo_plan_delete",
    "demo_plan_generate",
    "demo_plan_name",
    "demo_plan_slug",
]
