"""Post every existing party's Chinese names and initials in the search-gram table (PartyGram)."""

from django.db import migrations

from guanxi.core.migration_ops import postgresql_only


def fill_grams(apps, schema_editor):
    from guanxi.parties.search import GRAM_PREFIX, search_grams

    Party = apps.get_model("parties", "Party")
    PartyGram = apps.get_model("parties", "PartyGram")
    last = 0
    while True:
        batch = list(
            Party.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("id", "name", "short_name", "legal_name", "sort_key")[:2000]
        )
        if not batch:
            break
        rows = [
            PartyGram(gram=g, sort_prefix=p.sort_key[:GRAM_PREFIX], party_id=p.pk)
            for p in batch
            for g in search_grams([p.name, p.short_name, p.legal_name])
        ]
        PartyGram.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("parties", "0008_search_grams")]

    operations = [
        migrations.RunPython(fill_grams, migrations.RunPython.noop, elidable=True),
        # Fresh statistics for the planner: the postings were filled in bulk just before.
        postgresql_only(["ANALYZE parties_partygram"], []),
    ]
