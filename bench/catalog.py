"""Fill a benchmark database with N generated products (the catalogue search benchmark).

Run by hand, never from the test suite. Example (see docs/benchmarks.md):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guanxi_bench .venv/bin/python bench/catalog.py -n 100000

Names are made of a part (电阻, 螺丝, 轴承 …), a material or family and a size, in Chinese and English, so that
common terms (螺丝: ~1/30 of the catalogue) and rare ones both exist; codes are PART-NNNNNN. The search
columns are computed by the same function the services use (guanxi.catalog.search.search_fields). Rows go
in with bulk_create (no audit entries: this is a benchmark data set, not user data); then ANALYZE.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

PARTS = [
    ("RES", "贴片电阻", "chip resistor"),
    ("CAP", "陶瓷电容", "ceramic capacitor"),
    ("IND", "功率电感", "power inductor"),
    ("DIO", "二极管", "diode"),
    ("TRN", "三极管", "transistor"),
    ("CON", "连接器", "connector"),
    ("SCR", "螺丝", "screw"),
    ("NUT", "螺母", "nut"),
    ("WAS", "垫圈", "washer"),
    ("BRG", "轴承", "bearing"),
    ("GEA", "齿轮", "gear"),
    ("BLT", "同步带", "timing belt"),
    ("PLT", "铝板", "aluminium plate"),
    ("TUB", "钢管", "steel tube"),
    ("BOX", "瓦楞纸箱", "corrugated box"),
    ("TAP", "封箱胶带", "packing tape"),
    ("OIL", "润滑油", "lubricant"),
    ("SEN", "传感器", "sensor"),
    ("REL", "继电器", "relay"),
    ("SWI", "开关", "switch"),
    ("FUS", "保险丝", "fuse"),
    ("CAB", "电缆", "cable"),
    ("GTW", "工业网关", "industrial gateway"),
    ("PLC", "控制器", "controller"),
    ("MOT", "电机", "motor"),
    ("PMP", "水泵", "pump"),
    ("VAL", "阀门", "valve"),
    ("FLT", "过滤器", "filter"),
    ("LED", "发光二极管", "LED"),
    ("SVC", "技术服务", "technical service"),
]
FAMILIES = [
    ("不锈钢", "stainless"),
    ("碳钢", "carbon steel"),
    ("黄铜", "brass"),
    ("陶瓷", "ceramic"),
    ("工业级", "industrial"),
    ("汽车级", "automotive"),
    ("防水", "waterproof"),
    ("高温", "high-temperature"),
    ("微型", "miniature"),
    ("标准", "standard"),
]
SIZES = ["M3", "M4", "M5", "M6", "M8", "0402", "0603", "0805", "1206", "DN15", "DN25", "DN50", "10K", "4.7K",
         "1µF", "10µF", "24V", "220V", "5A", "10A", "A4", "A3", "50mm", "100mm", "1.5mm²"]  # fmt: skip


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", "--products", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=5000)
    args = p.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    from guanxi.catalog.models import Category, Product, ProductPrice, Unit
    from guanxi.catalog.search import code_key, search_fields
    from guanxi.catalog.services.setup import unit_presets_ensure
    from guanxi.core.models import TaxRate
    from guanxi.core.text import compact, sort_key

    unit_presets_ensure()
    rng = random.Random(args.seed)
    start = time.perf_counter()
    cats = []
    for _prefix, zh, en in PARTS:
        cat, _ = Category.objects.get_or_create(
            parent_key=0,
            key_en=compact(en),
            defaults={
                "name_en": en.capitalize(),
                "name_zh": zh,
                "key_zh": compact(zh),
                "path": "",
                "sort_key": sort_key(zh),
            },
        )
        if not cat.path:
            Category.objects.filter(pk=cat.pk).update(path=f"/{cat.pk}/")
        cats.append(cat)
    pcs = Unit.objects.get(code="pcs")
    vat13 = TaxRate.objects.filter(code="vat13").first()
    first = Product.objects.count()
    made = 0
    while made < args.products:
        batch, prices = [], []
        for _ in range(min(args.batch_size, args.products - made)):
            i = first + made + len(batch)
            k = rng.randrange(len(PARTS))
            prefix, part_zh, part_en = PARTS[k]
            fam_zh, fam_en = FAMILIES[rng.randrange(len(FAMILIES))]
            size = SIZES[rng.randrange(len(SIZES))]
            code = f"{prefix}-{i:06d}"
            name_zh, name_en = f"{fam_zh}{part_zh} {size}", f"{fam_en.capitalize()} {part_en} {size}"
            doc, skey = search_fields(code=code, name_en=name_en, name_zh=name_zh)
            batch.append(
                Product(
                    code=code,
                    code_key=code_key(code),
                    kind="service" if prefix == "SVC" else "product",
                    name_en=name_en,
                    name_zh=name_zh,
                    category=cats[k],
                    unit=pcs,
                    tax_rate=vat13,
                    can_sell=rng.random() < 0.7,
                    can_buy=True,
                    search_doc=doc,
                    sort_key=skey,
                )
            )
        with transaction.atomic():
            Product.objects.bulk_create(batch)
            for prod in batch:
                if prod.can_sell:
                    prices.append(
                        ProductPrice(
                            product=prod, currency_id="CNY", amount=Decimal(rng.randrange(1, 500000)) / 100
                        )
                    )
            ProductPrice.objects.bulk_create(prices)
        made += len(batch)
        print(f"  {made:,} products ({time.perf_counter() - start:.0f} s)", flush=True)
    with connection.cursor() as cur:
        cur.execute("ANALYZE catalog_product" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{made:,} products in {time.perf_counter() - start:.0f} s; {Product.objects.count():,} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
