"""The people a file names in its Lead(s) cells, and which of cypeplan's leads each is."""

import re

from actions.models import Lead

INITIALS = re.compile(r"^[A-Z]{2,4}$")
NAMED = re.compile(r"^(?P<name>.+?)\s*\((?P<initials>[A-Z]{2,4})\)$")


def lead_names(cell):
    """The people a Lead(s) cell names, accountable first: "PB, MW", "RM, with CD",
    "SH KC", "JM and SC", "ST/SH", "Iain Low (IL)"."""
    text = re.sub(r"\b(?:and|with)\b|[,;/&+]", ",", cell)
    names = []
    for part in text.split(","):
        part = " ".join(part.split())
        if not part:
            continue
        words = part.split()
        if len(words) > 1 and all(INITIALS.match(word) for word in words):
            names.extend(words)
        else:
            names.append(part)
    return names


def lead_key(words):
    """(name, initials) for a lead as a file names them."""
    named = NAMED.match(words)
    if named:
        return named["name"], named["initials"]
    if INITIALS.match(words):
        return "", words
    return words, ""


class LeadIndex:
    """Every lead, found by name or initials, to match the people a file names."""

    def __init__(self):
        self.leads = {lead.pk: lead for lead in Lead.objects.all()}
        self.by_name, self.by_initials = {}, {}
        for lead in self.leads.values():
            if lead.name:
                self.by_name.setdefault(lead.name.casefold(), []).append(lead)
            if lead.initials:
                self.by_initials.setdefault(lead.initials, []).append(lead)

    def find(self, words):
        """(lead, candidates): the one lead meant, or None and every lead it might be."""
        name, initials = lead_key(words)
        if name and initials:
            exact = [
                lead
                for lead in self.by_name.get(name.casefold(), [])
                if lead.initials in {initials, ""}
            ]
            return (exact[0], exact) if len(exact) == 1 else (None, exact)
        found = (
            self.by_name.get(name.casefold(), []) if name else self.by_initials.get(initials, [])
        )
        return (found[0], found) if len(found) == 1 else (None, found)
