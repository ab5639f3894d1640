"""EXPLAIN ANALYZE the queries behind a party list: the page (keyset) and the capped count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench \
        .venv/bin/python bench/explain.py 'q=华为' 'q=ander' 'role=customer&customer_status=active&owner=3'
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> int:
    import django

    django.setup()
    from django.core.exceptions import EmptyResultSet
    from django.db import connection
    from django.http import QueryDict

    from guanxi.core.models import User
    from guanxi.core.pagination import keyset_page
    from guanxi.parties.models import Party
    from guanxi.parties.search import normalize_query
    from guanxi.parties.selectors import parties as sel
    from guanxi.parties.views.lists import PAGE_SIZE, filters_from

    admin = User.objects.get(username="admin")
    pg = connection.vendor == "postgresql"
    for arg in sys.argv[1:]:
        f = filters_from(QueryDict(arg))
        qs = sel.party_list(actor=admin, filters=f)
        page_qs = sel.party_list_rows(qs).order_by(*sel.SORTS[f.sort])[: PAGE_SIZE + 1]
        count_qs = qs.order_by()[:10001]
        print(f"=== {arg}")
        steps = [("page", page_qs), ("count", count_qs)]
        term = normalize_query(f.q)
        if term and pg:
            ids_qs = sel._search_filter(Party.objects.all(), term).values_list("pk", flat=True)
            steps.insert(0, ("search ids (apply_search)", ids_qs[: sel.SMALL_MATCH_SET + 1]))
        for label, q in steps:
            try:
                sql, params = q.query.sql_with_params()
            except EmptyResultSet:
                print(f"--- {label}: no query (no id matched, Django answers without the database)")
                continue
            if label == "count":
                sql = f"SELECT COUNT(*) FROM ({sql}) s"
            with connection.cursor() as cur:
                cur.execute(("EXPLAIN (ANALYZE, BUFFERS) " if pg else "EXPLAIN QUERY PLAN ") + sql, params)
                print(f"--- {label}")
                for row in cur.fetchall():
                    print("   ", " | ".join(str(c) for c in row))
        keyset_page(sel.party_list_rows(qs), ordering=sel.SORTS[f.sort], cursor=None, limit=PAGE_SIZE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
