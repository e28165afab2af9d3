"""Which action and sub-step already in the plan each row of a file is, reworded or not."""

from difflib import SequenceMatcher

from cypeplan.history import is_change

# How alike (difflib's ratio, 0 to 1) a row's words and an action's must be for the row to
# be that action reworded: "tracked and appropriately evidenced" → "tracked, evidenced and
# reported to DLT" is 0.77; two different actions opening "Ensure … inspection" are 0.35.
NEARLY_THE_SAME = 0.6


def match_steps(now, wanted):
    """Which of an action's steps now (`now`, in order) each step in the file is (`wanted`:
    [(description, timeframe words)], in order): the one with the same words, else the
    next one left, in order, so a reworded step stays itself and the step left out is
    the one whose words are gone. Returns ([(position, step or None for a new one,
    description, timeframe words)], the steps now that the file leaves out)."""
    chosen, taken = [None] * len(wanted), set()
    for index, (description, _) in enumerate(wanted):
        for step in now:
            if step.pk not in taken and not is_change(step.description, description):
                chosen[index] = step
                taken.add(step.pk)
                break
    rest = [step for step in now if step.pk not in taken]
    for index in range(len(wanted)):
        if chosen[index] is None and rest:
            chosen[index] = rest.pop(0)
    pairs = [
        (position, step, description, label)
        for position, (step, (description, label)) in enumerate(
            zip(chosen, wanted, strict=True), start=1
        )
    ]
    return pairs, rest


def match_actions(rows, actions_now, *, has_history):
    """{a row's index in `rows`: the action already in the plan (`actions_now`, by id) it
    is}. `has_history` holds the ids of the actions with progress, which a reworded row
    keeps before one without."""
    by_key, by_words = {}, {}
    for action in actions_now.values():
        by_key.setdefault((action.theme.name, action.reference or f"#{action.position}"), action)
        if not action.reference:
            by_words.setdefault((action.theme.name, action.description), []).append(action)
    # Which action already in the plan each row is: the same reference in the same theme;
    # where the plan gives none, the same words, else nearly the same words (reworded),
    # and only for the rows and actions left after those, the same place in the theme.
    matches, taken = {}, set()
    for index, action in enumerate(rows):
        if action.reference:
            found = by_key.get(action.key())
            if found is not None:
                matches[index] = found
                taken.add(found.pk)
            continue
        for candidate in by_words.get((action.theme, action.description), []):
            if candidate.pk not in taken:
                matches[index] = candidate
                taken.add(candidate.pk)
                break
    _match_reworded(rows, actions_now, matches, taken, has_history=has_history)
    for index, action in enumerate(rows):
        if action.reference or index in matches:
            continue
        found = by_key.get(action.key())
        if found is not None and not found.reference and found.pk not in taken:
            matches[index] = found
            taken.add(found.pk)
    return matches


def _match_reworded(rows, actions_now, matches, taken, *, has_history):
    """Pair the rows without a reference that match no action's words with the action left
    in their theme whose words are nearly theirs: the most alike first, then one with
    progress (whose history it keeps) before one without, then the nearer in place. So a
    reworded action stays itself though the action above it was deleted in the same file."""
    left = {}
    for action in actions_now.values():
        if not action.reference and action.pk not in taken:
            left.setdefault(action.theme.name, []).append(action)
    pairs = []
    for index, row in enumerate(rows):
        if row.reference or index in matches:
            continue
        words = _comparable(row.description)
        for candidate in left.get(row.theme, []):
            matcher = SequenceMatcher(None, words, _comparable(candidate.description))
            if matcher.real_quick_ratio() < NEARLY_THE_SAME:
                continue
            if matcher.quick_ratio() < NEARLY_THE_SAME:
                continue
            alike = matcher.ratio()
            if alike >= NEARLY_THE_SAME:
                pairs.append(
                    (
                        -alike,
                        candidate.pk not in has_history,
                        abs(candidate.position - row.position),
                        index,
                        candidate.pk,
                    )
                )
    chosen = {action.pk: action for actions in left.values() for action in actions}
    for *_, index, pk in sorted(pairs):
        if index not in matches and pk not in taken:
            matches[index] = chosen[pk]
            taken.add(pk)


def _comparable(words):
    return " ".join(words.casefold().split())
