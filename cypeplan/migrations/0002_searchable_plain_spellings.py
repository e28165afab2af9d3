"""PostgreSQL's cypeplan_searchable made again as cypeplan.inputs.searchable now writes
text: "ð" as "d" beside the letters with a stroke, and, once lower case, "ß" as "ss", "æ"
as "ae", "œ" as "oe" and "þ" as "th" (letters Unicode doesn't take apart), so "strasse"
finds "Straße" on either database. 0001 made the function first; undoing this migration
makes 0001's again. tests/test_search.py checks it against searchable: change both together."""

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
                    'øØłŁđĐðÐ\u2019\u2018\u02bc',
                    'oOlLdDdD'''''''
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
        schema_editor.execute(import_module("cypeplan.migrations.0001_searchable").CREATE)


class Migration(migrations.Migration):
    dependencies = [("cypeplan", "0001_searchable")]

    operations = [migrations.RunPython(create, create_as_before, elidable=False)]
