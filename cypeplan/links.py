"""The web addresses in what people wrote, found in one place for everything that shows them
as links: the pages (the `web_links` template filter), the Word papers and, through the
page's HTML, the PDFs.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Where an address may be: http:// or https:// and what follows up to a space, or a
# character an address as people paste it never holds.
_CANDIDATE = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# What ends a sentence after an address ("see https://example.org.") is not part of it.
_SENTENCE_ENDS = ".,;:!?'’”"
_web_address = URLValidator(schemes=["http", "https"])


def _without_sentence_ends(candidate):
    """`candidate` without the punctuation that closes the sentence around it, nor a closing
    bracket it doesn't open ("(https://example.org/a)" but "https://example.org/a_(b)")."""
    while candidate and (
        candidate[-1] in _SENTENCE_ENDS
        or (candidate[-1] == ")" and candidate.count(")") > candidate.count("("))
    ):
        candidate = candidate[:-1]
    return candidate


def web_address_pieces(text):
    """`text` cut into (words, address) pieces, in order, that join up to it: `address` is
    the http or https web address the words are, or "" for words that aren't one. Only
    http and https: a javascript: or data: address stays words."""
    pieces = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        address = _without_sentence_ends(match.group())
        try:
            _web_address(address)
        except ValidationError:
            continue
        if match.start() > start:
            pieces.append((text[start : match.start()], ""))
        pieces.append((address, address))
        start = match.start() + len(address)
    if start < len(text):
        pieces.append((text[start:], ""))
    return pieces
