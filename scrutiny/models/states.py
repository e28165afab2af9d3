"""The kinds of item members raise, the states an item can be in, and the changes that move it."""

from django.db import models


class Kind(models.TextChoices):
    ACTION = "action", "Action"
    INFORMATION_REQUEST = "information_request", "Information request"
    RECOMMENDATION = "recommendation", "Recommendation"
    CONCLUSION = "conclusion", "Conclusion"


# A conclusion is the committee's view, kept with the meeting's record: it is owed no
# answer and never goes on the action list. The other kinds are owed one.
ANSWER_OWED = (Kind.ACTION, Kind.INFORMATION_REQUEST, Kind.RECOMMENDATION)


class State(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered, awaiting the committee"
    ACCEPTED = "accepted", "Accepted by the committee"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Off the action list for good: only a scrutiny officer moves an item here.
CLOSED = (State.ACCEPTED, State.WITHDRAWN)
OUTSTANDING = (State.OPEN, State.ANSWERED)


class Change(models.TextChoices):
    RAISED = "raised", "Raised at the meeting"
    ANSWERED = "answered", "Answered"
    NOT_ACCEPTED = "not_accepted", "Not accepted: sent back"
    ACCEPTED = "accepted", "Accepted"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The state an item is in after each change.
STATE_AFTER = {
    Change.RAISED: State.OPEN,
    Change.ANSWERED: State.ANSWERED,
    Change.NOT_ACCEPTED: State.OPEN,
    Change.ACCEPTED: State.ACCEPTED,
    Change.WITHDRAWN: State.WITHDRAWN,
}

# The latest change is the one with the latest date; on a tie, the one entered last.
NEWEST_FIRST = ("-on", "-pk")
