"""Committee meetings, what members raised at them, officers' answers, and where each item
stands as at any date.

Nothing here is ever rewritten: an item's life is its append-only list of StateChange
rows (raised, answered, sent back, accepted, withdrawn), each dated, and its state as at a
date is the latest of them on or before that date. Write through scrutiny.services.
"""

from .items import Item, ItemQuerySet, ItemState
from .meetings import COMMITTEE, Meeting, MeetingQuerySet, held_already
from .responses import Response, ResponseQuerySet, bad_links, link_list
from .state_changes import StateChange, StateChangeQuerySet
from .states import (
    ANSWER_OWED,
    CLOSED,
    NEWEST_FIRST,
    OUTSTANDING,
    STATE_AFTER,
    Change,
    Kind,
    State,
)

__all__ = [
    "ANSWER_OWED",
    "CLOSED",
    "COMMITTEE",
    "NEWEST_FIRST",
    "OUTSTANDING",
    "STATE_AFTER",
    "Change",
    "Item",
    "ItemQuerySet",
    "ItemState",
    "Kind",
    "Meeting",
    "MeetingQuerySet",
    "Response",
    "ResponseQuerySet",
    "State",
    "StateChange",
    "StateChangeQuerySet",
    "bad_links",
    "held_already",
    "link_list",
]
