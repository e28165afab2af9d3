"""Search compares words as cypeplan.inputs.searchable writes them, whatever their case,
accents or apostrophes, and the database's function cypeplan_searchable (Python on
SQLite, SQL on PostgreSQL) writes every character as searchable does: the same rows are
found on either database."""

import pytest
from django.db import connection

from actions.models import Lead
from cypeplan.inputs import searchable
from tests.factories import LeadFactory

# Latin (with its extensions), Greek, Cyrillic, Georgian, Cherokee, punctuation, letter-like
# symbols, ligatures and full-width forms: every character a plan or a name might hold.
CHARACTER_RANGES = [
    (0x20, 0x250),
    (0x370, 0x530),
    (0x10A0, 0x1100),
    (0x13A0, 0x1400),
    (0x1E00, 0x2190),
    (0xFB00, 0xFB07),
    (0xFF01, 0xFF5F),
]


@pytest.mark.parametrize(
    ("typed", "compared"),
    [
        ("Róisín Madden", "roisin madden"),
        ("RÓISÍN", "roisin"),
        ("roisin", "roisin"),
        ("Children’s", "children's"),
        ("children‘s", "children's"),
        ("childrenʼs", "children's"),
        ("Łukasz Søren Đorđe", "lukasz soren dorde"),
        ("ΟΔΟΣ", "οδοσ"),
        ("ＳＥＮＤ ﬁnance", "send finance"),
        ("STRAẞE Straße", "strasse strasse"),
        ("Ældre Sønderjylland", "aeldre sonderjylland"),
        ("Œuvre sœur", "oeuvre soeur"),
        ("Þórðarson ÐÓRA", "thordarson dora"),
        ("Ħamrun ħobż", "hamrun hobz"),
        ("ŦUOMAS Áŧŧi", "tuomas atti"),
        ("ŊUOLGA Áŋŋá", "nuolga anna"),
        ("Işıl Yılmaz İPEK", "isil yilmaz ipek"),
    ],
)
def test_searchable_ignores_case_accents_and_apostrophe_style(typed, compared):
    assert searchable(typed) == compared


@pytest.mark.django_db
def test_the_databases_function_writes_every_character_as_searchable_does():
    characters = [chr(code) for start, end in CHARACTER_RANGES for code in range(start, end)]
    with connection.cursor() as cursor:
        # One query: a line break between them (no character in the ranges becomes one).
        cursor.execute("SELECT cypeplan_searchable(%s)", ["\n".join(characters)])
        in_database = cursor.fetchone()[0].split("\n")

    differ = {
        f"U+{ord(character):04X}": (database, searchable(character))
        for character, database in zip(characters, in_database, strict=True)
        if database != searchable(character)
    }
    assert differ == {}


# Letters Unicode doesn't take apart, as people type them plain, in both cases and beside
# accented letters and those it does take apart.
SPELLED_PLAIN = [
    "Straße",
    "STRAẞE",
    "Ældre omsorg",
    "æbleskiver",
    "Œuvre",
    "sœur",
    "Søren Ørsted",
    "Łódź Łukasz",
    "Đorđe",
    "Ðóra",
    "Þórðarson",
    "þing",
    "Ħamrun ħobż",
    "ŦUOMAS Áŧŧi",
    "ŊUOLGA Áŋŋá",
    "Işıl YILMAZ İpek",
    "Ǽ ǽ Ǣ ǣ Ǿ ǿ",
    "ΟΔΟΣ ΣΟΦΟΣ",
    "Children’s ﬁnance",
]


@pytest.mark.django_db
def test_the_databases_function_folds_letters_spelled_plain_as_searchable_does():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(["cypeplan_searchable(%s)"] * len(SPELLED_PLAIN)), SPELLED_PLAIN
        )
        in_database = list(cursor.fetchone())

    assert in_database == [searchable(text) for text in SPELLED_PLAIN]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Anna Straße", "strasse"),
        ("Anna STRAẞE", "Strasse"),
        ("Ældre Hansen", "aeldre"),
        ("Sœur Marie", "soeur"),
        ("Søren Dahl", "soren"),
        ("Łukasz Nowak", "lukasz"),
        ("Đorđe Petrović", "dorde"),
        ("Ðóra Jónsdóttir", "dora"),
        ("Þór Ólafsson", "thor"),
        ("Ħamrun Spiteri", "hamrun"),
        ("Áŧŧi Sara", "atti"),
        ("Ŋuolga Sara", "NUOLGA"),
        ("Işıl Yılmaz", "isil yilmaz"),
        ("İpek Aydın", "ipek aydin"),
        ("Hamrun Spiteri", "ħamrun"),
        ("Isil Yilmaz", "IŞIL"),
        ("Anna Strasse", "straße"),
        ("Aeldre Hansen", "Ældre"),
    ],
)
def test_matches_finds_letters_unicode_does_not_take_apart_typed_plain(name, typed):
    LeadFactory(name=name)
    LeadFactory(name="Robert Madsen")

    assert list(Lead.objects.filter(name__matches=typed).values_list("name", flat=True)) == [name]
    assert list(
        Lead.objects.filter(name__matches_exactly=searchable(name)).values_list("name", flat=True)
    ) == [name]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["roisin", "RÓISÍN", "Róisín madden", "ROISIN MADDEN"])
def test_matches_finds_a_name_however_it_is_typed(typed):
    LeadFactory(name="Róisín Madden")
    LeadFactory(name="Robert Madsen")

    assert list(Lead.objects.filter(name__matches=typed).values_list("name", flat=True)) == [
        "Róisín Madden"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["roisin%", "r_isin", "roisín\\", "madden roisin"])
def test_matches_finds_nothing_for_words_not_there(typed):
    LeadFactory(name="Róisín Madden")

    assert not Lead.objects.filter(name__matches=typed).exists()


@pytest.mark.django_db
def test_matches_exactly_needs_the_whole_text():
    LeadFactory(name="Séan", initials="SÓM")
    LeadFactory(name="Róisín Madden", initials="RM")

    assert list(
        Lead.objects.filter(initials__matches_exactly="som").values_list("name", flat=True)
    ) == ["Séan"]
    assert list(
        Lead.objects.filter(initials__matches_exactly="rm").values_list("name", flat=True)
    ) == ["Róisín Madden"]
    assert not Lead.objects.filter(initials__matches_exactly="so").exists()
