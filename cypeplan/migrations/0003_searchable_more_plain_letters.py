"""PostgreSQL's cypeplan_searchable made again as cypeplan.inputs.searchable now writes
text: beside 0002's letters, Maltese "ħ" as "h", Sámi "ŧ" as "t" and "ŋ" as "n" (and their
capitals), and Turkish dotless "ı" as "i", so "hamrun" finds "Ħamrun" and "aydin" "Aydın"
on either database. Undoing this migration makes 0002's again. tests/test_search.py checks
it against searchable: change both together."""

from importlib import import_module

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION cypeplan_searchable(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    -- Not STRICT, so that PostgreSQL writes it into each query rather than calling it per
    -- row (six times slower); NULL still gives NULL.
    SELECT CASE
        -- Text all in ASCII (as many bytes as characters; most of a plan) needs only lower().
        WHEN octet_length($1) = char_length($1) THEN lower($1)
        ELSE replace(replace(replace(replace(replace(
            lower(
                translate(
                    regexp_replace(normalize($1, NFKD), '[\u0300-\u036f]', '', 'g'),
                    'øØłŁđĐðÐħĦŧŦŋŊı\u2019\u2018\u02bc',
                    'oOlLdDdDhHtTnNi'''''''
                )
            ),
            '\u03c2', '\u03c3'), 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th')
    END
$$;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def create_as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            import_module("cypeplan.migrations.0002_searchable_plain_spellings").CREATE
        )


class Migration(migrations.Migration):
    dependencies = [("cypeplan", "0002_searchable_plain_spellings")]

    operations = [migrations.RunPython(create, create_as_before, elidable=False)]
