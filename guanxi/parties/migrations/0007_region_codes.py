"""Addresses in China carry GB/T 2260 codes for province, city and district; a party, those of its primary
address's province and city (indexed: the list's province and city filters match on them).

The backfill fills the codes of existing addresses in China whose names resolve to one division each
(guanxi/parties/regions.py: 广东 / 广东省 / guangdong …), level by level: a province that resolves keeps its
code even when the city beside it does not (广东省 + 台北). Names are left as they were typed; addresses
outside China and names that do not resolve keep blank codes. See docs/subsystems/addresses.md.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

CHUNK = 1000


def codes_for(province: str, city: str, district: str) -> tuple[str, str, str]:
    """The codes the names resolve to, as deep as they resolve unambiguously; blank where they do not."""
    from guanxi.parties import regions

    for given in (
        {"province": province, "city": city, "district": district},
        {"province": province, "city": city},
        {"province": province},
    ):
        try:
            place = regions.locate(**given)
        except ValidationError:
            continue
        f = place.fields()
        return f["province_code"], f["city_code"], f["district_code"]
    return "", "", ""


def backfill(apps, schema_editor):
    Address = apps.get_model("parties", "Address")
    Party = apps.get_model("parties", "Party")
    resolved: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    ids_by_codes: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    rows = Address.objects.filter(country="CN").values_list("id", "province", "city", "district")
    for pk, province, city, district in rows.iterator(chunk_size=5000):
        key = (province, city, district)
        if key not in resolved:
            resolved[key] = codes_for(*key)
        if any(resolved[key]):
            ids_by_codes[resolved[key]].append(pk)
    for (province_code, city_code, district_code), ids in ids_by_codes.items():
        for i in range(0, len(ids), CHUNK):
            Address.objects.filter(pk__in=ids[i : i + CHUNK]).update(
                province_code=province_code, city_code=city_code, district_code=district_code
            )
    first = Address.objects.filter(party=OuterRef("pk")).order_by("-is_primary", "id")
    Party.objects.filter(country="CN").update(
        province_code=Coalesce(Subquery(first.values("province_code")[:1]), Value("")),
        city_code=Coalesce(Subquery(first.values("city_code")[:1]), Value("")),
    )


class Migration(migrations.Migration):
    dependencies = [("parties", "0006_name_key_indexes_and_unique_registrations")]

    operations = [
        migrations.AddField(
            model_name="address",
            name="province_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="province code"),
        ),
        migrations.AddField(
            model_name="address",
            name="city_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="city code"),
        ),
        migrations.AddField(
            model_name="address",
            name="district_code",
            field=models.CharField(blank=True, max_length=6, verbose_name="district code"),
        ),
        migrations.AddField(
            model_name="party",
            name="province_code",
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name="province code"),
        ),
        migrations.AddField(
            model_name="party",
            name="city_code",
            field=models.CharField(blank=True, editable=False, max_length=6, verbose_name="city code"),
        ),
        migrations.AddIndex(
            model_name="party",
            index=models.Index(fields=["province_code", "city_code"], name="party_region_idx"),
        ),
        migrations.AddIndex(
            model_name="party",
            index=models.Index(fields=["city_code"], name="party_city_code_idx"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
