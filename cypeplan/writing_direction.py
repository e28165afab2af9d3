"""Names in a right-to-left script (Hebrew, Arabic) among English words, set apart in one
place for everything that shows them in plain text: a form's choice labels and, through
the `isolated` template filter, a page's <title>.
"""

import unicodedata


def isolated(text):
    """`text` set apart from the words around it, for plain text such as a choice's label
    (<bdi> in a page): a name in Hebrew or Arabic otherwise takes the comma and date after
    it into its right-to-left order ("5 ,ועדת הביקורת February 2019")."""
    return f"\u2068{text}\u2069"


def has_right_to_left(text):
    """Whether `text` holds a right-to-left letter (Hebrew, Arabic and the like)."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in str(text))
