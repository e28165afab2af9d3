"""PostgreSQL's cypeplan_searchable: cypeplan.inputs.searchable in SQL, for search that
ignores case, accents and apostrophes (cypeplan/search.py). SQLite has the Python function
itself on each connection, so there is nothing to make there.

Built in: normalize() takes letters apart, the regular expression drops the combining
marks (U+0300 to U+036F), translate() writes letters with a stroke plain and apostrophes
straight, lower() and the final sigma as searchable does them. No extension is needed
(unaccent would need one). tests/test_search.py checks it against searchable character by
character: change both together."""

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
        ELSE replace(
            lower(
                translate(
                    regexp_replace(normalize($1, NFKD), '[\u0300-\u036f]', '', 'g'),
                    'øØłŁđĐ\u2019\u2018\u02bc',
                    'oOlLdD'''''''
                )
            ),
            '\u03c2',
            '\u03c3'
        )
    END
$$;
"""

DROP = "DROP FUNCTION IF EXISTS cypeplan_searchable(text);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create, drop, elidable=False)]
