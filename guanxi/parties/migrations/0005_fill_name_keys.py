"""Fill the new name keys, compact search columns and e-mail domains; refuse shared registration numbers."""

from django.db import migrations

def refuse_duplicate_registrations(apps, schema_editor):
    """The unique constraint below would fail on parties that share a USCC or a VAT number: say which,
    so an administrator merges them first (nothing is merged or deleted silently)."""
    from django.db.models import Count

    PartyIdentifier = apps.get_model("parties", "PartyIdentifier")
    dupes = list(
        PartyIdentifier.objects.filter(scheme__in=["cn_uscc", "vat"])
        .values("scheme", "country", "value")
        .annotate(n=Count("id"), parties=Count("party", distinct=True))
        .filter(n__gt=1)[:20]
    )
    same_party = [d for d in dupes if d["parties"] == 1]
    for d in same_party:  # the same number twice on one party: keep one
        rows = PartyIdentifier.objects.filter(scheme=d["scheme"], country=d["country"], value=d["value"])
        rows.exclude(pk=rows.order_by("id").values("pk")[:1]).delete()
    shared = [d for d in dupes if d["parties"] > 1]
    if shared:
        lines = "\n".join(f"  {d['scheme']} {d['country']} {d['value']}: {d['parties']} parties" for d in shared)
        raise RuntimeError(
            "These registration numbers belong to more than one party. Merge or correct those parties, "
            "then run the migration again:\n" + lines
        )


def fill_keys(apps, schema_editor):
    """Compute the name keys, the (now compact) search columns and e-mail domains of existing rows."""
    from guanxi.parties.search import build_search_fields, name_keys

    Party = apps.get_model("parties", "Party")
    ContactPoint = apps.get_model("parties", "ContactPoint")
    PartyIdentifier = apps.get_model("parties", "PartyIdentifier")
    for cp in ContactPoint.objects.filter(kind="email").only("id", "normalized").iterator(chunk_size=2000):
        ContactPoint.objects.filter(pk=cp.pk).update(domain=cp.normalized.rpartition("@")[2])
    last = 0
    while True:
        batch = list(
            Party.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("id", "name", "short_name", "legal_name")[:2000]
        )
        if not batch:
            break
        ids = [p.pk for p in batch]
        idents, points = {}, {}
        for pid, value in PartyIdentifier.objects.filter(party_id__in=ids).values_list("party_id", "value"):
            idents.setdefault(pid, []).append(value)
        for pid, kind, norm in ContactPoint.objects.filter(party_id__in=ids).values_list(
            "party_id", "kind", "normalized"
        ):
            points.setdefault(pid, []).append((kind, norm))
        for p in batch:
            key, core, sort = name_keys(p.name)
            doc, short = build_search_fields(
                names=[p.name, p.short_name, p.legal_name],
                identifiers=idents.get(p.pk, []),
                emails=[n for k, n in points.get(p.pk, []) if k == "email"],
                phones_e164=[n for k, n in points.get(p.pk, []) if k == "phone"],
            )
            Party.objects.filter(pk=p.pk).update(
                name_key=key, core_key=core, sort_key=sort, search_doc=doc, search_short=short
            )
        last = ids[-1]



class Migration(migrations.Migration):

    dependencies = [("parties", "0004_name_keys")]

    operations = [
        migrations.RunPython(fill_keys, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(refuse_duplicate_registrations, migrations.RunPython.noop, elidable=True),
    ]
