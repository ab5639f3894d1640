"""Search indexes on PostgreSQL: trigram GIN for 3+ characters, an n-gram array GIN for 1-2 characters.

pg_trgm cannot index terms shorter than 3 characters, and most Chinese company searches (华为, 腾讯) are
two characters, so gx_ngrams() gives every 1- and 2-character piece of the names and pinyin initials,
and a GIN index over that array answers `gx_ngrams(search_short) @> ARRAY['华为']`.
On SQLite nothing is created: see docs/subsystems/search.md.
"""

from django.db import migrations

from guanxi.core.migration_ops import postgresql_only

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    r"""
    CREATE OR REPLACE FUNCTION gx_ngrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
        SELECT substr(t, i, 1) AS g FROM generate_series(1, char_length(t)) AS i
        UNION ALL
        SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i
      ) s WHERE g !~ '[\s|]'
    $$
    """,
    "CREATE INDEX IF NOT EXISTS party_search_trgm_idx ON parties_party USING gin (search_doc gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS party_search_ngram_idx ON parties_party USING gin (gx_ngrams(search_short))",
]
BACKWARD = [
    "DROP INDEX IF EXISTS party_search_ngram_idx",
    "DROP INDEX IF EXISTS party_search_trgm_idx",
    "DROP FUNCTION IF EXISTS gx_ngrams(text)",
]


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [postgresql_only(FORWARD, BACKWARD)]
