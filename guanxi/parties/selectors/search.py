"""Finding parties by what a user types: ranked, bounded, and as cheap for a common term as for a rare one.

A list with a search keeps at most `limit` (200) matches, chosen by rank, never by storage order:

1. **exact**: the whole name (in compact form), an identifier, a phone number or an e-mail address;
2. **prefix**: names that start with the term (Chinese names also by their pinyin: "huawei" → 华为…);
3. **the rest**: names, pinyin, initials, identifiers, e-mails or phone digits that contain the term, in
   name order.

Each tier is an indexed look-up read in order with a limit. For the rest, a term with Chinese characters or
two pinyin initials is read from the postings of its rarest 2-character piece (PartyGram, kept in name
order), so 科技 (134,000 of 2.5M parties) costs what a rare term costs: the page fills from the first
postings. Latin text and digits use the trigram index on PostgreSQL (their matches are few) and a walk in
name order on SQLite. Plans and figures: docs/subsystems/search.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.fields import ArrayField
from django.db import connection, transaction
from django.db.models import Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When

from guanxi.core.text import has_cjk, pinyin
from guanxi.parties.models import ContactPoint, Party, PartyGram, PartyIdentifier
from guanxi.parties.search import SearchQuery, parse_query, query_grams

# A list with a search shows at most this many matches.
SEARCH_RESULT_LIMIT = 200
# A gram's postings are counted up to this many to find a term's rarest gram.
GRAM_COUNT_CAP = 5_000
HIGHEST = "\U0010ffff"  # sorts after every character: [prefix, prefix + HIGHEST) is the prefix's range

EXACT, PREFIX, CONTAINS = 0, 1, 2


class NGrams(Func):
    """gx_ngrams(text): the 1- and 2-character pieces of a text (a PostgreSQL function from migration 0002)."""

    function = "gx_ngrams"
    output_field = ArrayField(TextField())  # gx_ngrams returns text[]; varchar[] has no @> with it


def contains_filter(qs: QuerySet[Party], term: str) -> QuerySet[Party]:
    """Parties whose search text contains the compact `term` (exact and unbounded: exports use it).

    1-2 characters (华, 华为, hw) look in names and pinyin initials only (a 2-letter term would match half
    of all e-mail addresses otherwise); on PostgreSQL the n-gram index serves them, as trigrams cannot."""
    if len(term) <= 2:
        if connection.vendor == "postgresql":
            # The LIKE changes no result (an n-gram of search_short is a substring of it) but costs ~1 µs a
            # row against ~100 µs for gx_ngrams, so rows read outside the index are tested with it first.
            return qs.alias(ngrams=NGrams(F("search_short"))).filter(
                search_short__contains=term,
                # django-stubs does not see the alias's ArrayField output: its `contains` takes a list.
                ngrams__contains=[term],  # type: ignore[misc]
            )
        return qs.filter(search_short__contains=term)
    return qs.filter(search_doc__contains=term)


def _column(term: str) -> str:
    return "search_short" if len(term) <= 2 else "search_doc"


def _ids(qs) -> list[int]:
    return list(qs.values_list("pk", flat=True))


def _exact_ids(qs: QuerySet[Party], query: SearchQuery, limit: int) -> list[int]:
    """The whole name, or an identifier / phone / e-mail that is exactly what was typed."""
    owners = PartyIdentifier.objects.filter(value=query.identifier).order_by().values("party_id")
    points = ContactPoint.objects.filter(kind="email", normalized=query.folded).order_by().values("party_id")
    if query.phone:
        points = ContactPoint.objects.filter(number=query.phone).order_by().values("party_id")
    linked = _ids_of(owners.union(points), limit)
    cond = Q(name_key=query.text) | Q(pk__in=linked) if linked else Q(name_key=query.text)
    return _ids(qs.filter(cond).order_by("sort_key", "id")[:limit])


def _ids_of(union_qs, limit: int) -> list[int]:
    return [row["party_id"] for row in union_qs[:limit]]


def _prefix_ids(qs: QuerySet[Party], query: SearchQuery, limit: int) -> list[int]:
    """Names that start with the term, in name order: a range of the (sort_key, id) index.

    Sort keys spell Chinese names in pinyin, so "huawei" finds 华为…; a Chinese term looks up its pinyin's
    range and keeps the names that really start with its characters."""
    term = query.text
    if has_cjk(term):
        spelled = pinyin(term)[0]
        if not spelled:
            return []
        qs = qs.filter(sort_key__gte=spelled, sort_key__lt=spelled + HIGHEST, name_key__startswith=term)
    else:
        qs = qs.filter(sort_key__gte=term, sort_key__lt=term + HIGHEST)
    return _ids(qs.order_by("sort_key", "id")[:limit])


def _rarest_gram(grams: list[str]) -> str:
    """The gram with the fewest postings (counted up to GRAM_COUNT_CAP each, from the index alone)."""
    if len(grams) == 1:
        return grams[0]
    counts = {}
    for g in grams:
        n = PartyGram.objects.filter(gram=g).order_by().values("pk")[:GRAM_COUNT_CAP].count()
        counts[g] = n
        if n < GRAM_COUNT_CAP // 10:
            break  # rare enough: reading its postings is cheap whatever the others hold
    return min(counts, key=counts.__getitem__)


def _posted_ids(qs: QuerySet[Party], term: str, grams: list[str], limit: int) -> list[int]:
    """The first `limit` matches in name order, read from the postings of the term's rarest gram (PartyGram,
    ordered by sort prefix): a common term fills the page from its first postings, a rare one has few.
    The record rules and filters of `qs` apply to each posting's party; a term longer than its gram is
    checked against the party's search text."""
    gram = _rarest_gram(grams)
    matches = qs.filter(grams__gram=gram)
    if term != gram:
        matches = matches.filter(**{f"{_column(term)}__contains": term})
    return _ids(matches.order_by("grams__sort_prefix", "grams__party_id")[:limit])


def _indexed_ids(qs: QuerySet[Party], term: str, limit: int) -> list[int]:
    """The first `limit` matches in name order, found through the search index (PostgreSQL). Every match is
    read and sorted, so this serves the terms the postings cannot (Latin text, digits, one character)."""
    matches = contains_filter(qs, term).order_by().values("id", "sort_key")
    sql, params = matches.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A common term's bitmap outgrows the default 4 MB and turns lossy; PostgreSQL then rechecks every
        # row of those pages. 32 MB keeps it exact; parallel workers cost more to start than this query.
        cursor.execute(
            "SELECT set_config('work_mem', '32MB', true), set_config('max_parallel_workers_per_gather', '0', true)"
        )
        cursor.execute(
            f"WITH m AS MATERIALIZED ({sql}) SELECT id FROM m ORDER BY sort_key, id LIMIT %s",  # noqa: S608
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def _contains_ids(qs: QuerySet[Party], term: str, limit: int) -> list[int]:
    grams = query_grams(term)
    if grams:
        return _posted_ids(qs, term, grams, limit)
    if connection.vendor == "postgresql":
        return _indexed_ids(qs, term, limit)
    # SQLite: no index serves a substring; walking the name order stops as soon as the page is full.
    return _ids(contains_filter(qs, term).order_by("sort_key", "id")[:limit])


@dataclass
class RankedMatches:
    ids: list[int]  # at most the limit, best first
    ranks: dict[int, int]  # id -> EXACT, PREFIX or CONTAINS
    truncated: bool  # more matched than the limit


def ranked_matches(qs: QuerySet[Party], q: str, limit: int = SEARCH_RESULT_LIMIT) -> RankedMatches | None:
    """The best `limit` parties of `qs` for the typed search `q` (None when `q` searches nothing)."""
    query = parse_query(q)
    if not query:
        return None
    if not query.text:  # only punctuation was typed: nothing to look for, nothing found
        return RankedMatches([], {}, False)
    qs = qs.order_by()
    ranks: dict[int, int] = {}
    for pk in _exact_ids(qs, query, limit):
        ranks.setdefault(pk, EXACT)
    if len(ranks) <= limit:
        for pk in _prefix_ids(qs, query, limit + 1):
            ranks.setdefault(pk, PREFIX)
    rest: list[int] = []
    # Exact and prefix matches may fill the page on their own (华: 200 names start with it). A whole phone
    # number is found by the exact tier: its digits appear in no other stored number (E.164, no extension).
    if len(ranks) <= limit and not query.phone:
        rest = _contains_ids(qs, query.text, limit + 1)
    for pk in rest:
        ranks.setdefault(pk, CONTAINS)
    ids = list(ranks)
    truncated = len(ids) > limit or len(rest) > limit
    ids = ids[:limit]
    return RankedMatches(ids, {pk: ranks[pk] for pk in ids}, truncated)


def rank_annotation(matches: RankedMatches) -> Case:
    """`rank` for ordering a page: exact first, then prefix, then the rest."""
    whens = [
        When(pk__in=[pk for pk, r in matches.ranks.items() if r == rank], then=Value(rank))
        for rank in (EXACT, PREFIX)
        if rank in matches.ranks.values()
    ]
    return Case(*whens, default=Value(CONTAINS), output_field=IntegerField())
