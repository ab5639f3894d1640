"""PDF benchmark: a 20-line document through the printing pipeline (issue 6: ≤ 1 s), in English and Chinese.

Run by hand, never from the test suite; the database is one of its own (made and migrated if missing):

    .venv/bin/python bench/pdf.py --db sqlite:////work/bench-data/pdf/pdf.sqlite3 --renders 50

No app prints a document with lines yet, so this registers one for the benchmark only: a sales order of
--lines lines (bench/templates/bench/print/lines.html: extends core/print/base.html, the company
letterhead with its logo, a table of lines with quantities, unit prices, amounts, net, VAT, total and the
total in Chinese capitals through the `rmb_capitals` filter) on a customer made through `party_create`,
issued by a company made through `company_create` (with a PNG logo). Each render is what the PDF view does:
`guanxi.core.services.printing.render_pdf` (the template, then WeasyPrint with the footer stylesheet and
the static-only URL fetcher). Timed separately: `render_html` alone (the template). The first render of
each process (fonts loaded, caches filled) is reported apart from the N timed ones. The PDF is read back
with `pdftotext` to check that every line and the amount in capitals are there.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITEMS = [
    ("不锈钢法兰 DN50", "Stainless steel flange DN50", "件"),
    ("球阀 DN25 PN16", "Ball valve DN25 PN16", "个"),
    ("六角螺栓 M12×60", "Hex bolt M12×60", "盒"),
    ("密封垫片 石墨", "Graphite gasket", "片"),
    ("压力表 0–1.6 MPa", "Pressure gauge 0–1.6 MPa", "只"),
    ("无缝钢管 Φ57×3.5", "Seamless steel pipe Φ57×3.5", "米"),
    ("电磁阀 24V DC", "Solenoid valve 24 V DC", "个"),
    ("温度传感器 PT100", "Temperature sensor PT100", "支"),
]


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # finds bench/templates (the bench app)
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "guanxi-bench-pdf-media"))
    if db_url.startswith("sqlite:"):
        Path(db_url.split("sqlite://", 1)[1]).parent.mkdir(parents=True, exist_ok=True)
    else:
        import psycopg

        base, name = db_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def _logo():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 120), "white")
    ImageDraw.Draw(image).rectangle((10, 10, 110, 110), fill="#b91c1c")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return SimpleUploadedFile("logo.png", buf.getvalue(), content_type="image/png")


def prepare(n_lines: int):
    """Migrate; the company (letterhead), the customer and the user, made once through the services."""
    from django.core.management import call_command

    from guanxi.core.models import Company, User
    from guanxi.core.services.companies import company_create
    from guanxi.parties.models import Party
    from guanxi.parties.services.parties import party_create

    call_command("migrate", verbosity=0)
    admin = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench@example.com", secrets.token_urlsafe(16)
    )
    if not Company.objects.filter(is_default=True).exists():
        company_create(
            actor=admin,
            data={
                "name_zh": "上海关系贸易有限公司",
                "name_en": "Shanghai Guanxi Trading Co., Ltd.",
                "uscc": "91310000MA1FL4CT3U",
                "address_zh": "上海市浦东新区世纪大道100号 20楼",
                "address_en": "20/F, 100 Century Avenue, Pudong, Shanghai",
                "phone": "+86 21 5888 8888",
                "email": "sales@guanxi.example.cn",
                "bank_name": "中国工商银行上海分行",
                "bank_account": "1001 2345 6789 0123 456",
            },
            logo=_logo(),
        )
    customer = Party.objects.filter(name="深圳华泰通安科技有限公司").first() or party_create(
        actor=admin,
        data={
            "kind": "organization",
            "name": "深圳华泰通安科技有限公司",
            "is_customer": True,
            "customer_status": "active",
        },
    )
    lines = []
    for i in range(n_lines):
        zh, en, unit = ITEMS[i % len(ITEMS)]
        quantity = Decimal(5 + (i * 37) % 200)
        price = (Decimal(12 + (i * 7919) % 4800) + Decimal((i * 13) % 100) / 100).quantize(Decimal("0.0001"))
        lines.append(
            {
                "name_zh": zh,
                "name_en": en,
                "unit": unit,
                "quantity": quantity,
                "unit_price": price,
                "amount": (quantity * price).quantize(Decimal("0.01")),
            }
        )
    net = sum((line["amount"] for line in lines), Decimal(0))
    vat = (net * Decimal("0.13")).quantize(Decimal("0.01"))
    import datetime as dt

    order = {
        "number": "SO-2026-000123",
        "date": dt.date(2026, 11, 28),
        "net": net,
        "vat_rate": Decimal("13"),
        "vat": vat,
        "total": net + vat,
    }
    return admin, customer, lines, order


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default="sqlite:////work/bench-data/pdf/pdf.sqlite3")
    p.add_argument("--renders", type=int, default=50, help="timed renders per language")
    p.add_argument("--lines", type=int, default=20)
    p.add_argument("--json", default="")
    p.add_argument("--keep", default="", help="also write the last PDF of each language to this folder")
    args = p.parse_args()

    load_before = os.getloadavg()
    setup(args.db)
    from guanxi.core import registry
    from guanxi.core.printables import Printable
    from guanxi.core.services import printing

    admin, customer, lines, order = prepare(args.lines)
    form = Printable(
        "parties.party",
        "bench_sales_order",
        "Sales order (benchmark)",
        "bench/print/lines.html",
        context=lambda obj, user: {"lines": lines, "order": order},
    )
    registry.register_printable(form)
    results = {}
    for language in ("en", "zh-hans"):
        job = printing.PrintJob(form, customer, language)
        t = time.perf_counter()
        pdf = printing.render_pdf(job, user=admin)
        first = (time.perf_counter() - t) * 1000
        totals, htmls = [], []
        for _ in range(args.renders):
            t = time.perf_counter()
            printing.render_html(job, user=admin, for_pdf=True)
            htmls.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            pdf = printing.render_pdf(job, user=admin)
            totals.append((time.perf_counter() - t) * 1000)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(pdf)
            f.flush()
            text = subprocess.run(
                ["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True
            ).stdout
            info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True).stdout
        pages = next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")
        from guanxi.core.money.capitals import rmb_capitals

        names = [line["name_zh" if language != "en" else "name_en"] for line in lines]
        missing = [n for n in set(names) if n.split()[0] not in text]
        ok = not missing and rmb_capitals(order["total"]) in text.replace(" ", "").replace("\n", "")
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
            (Path(args.keep) / f"bench-20-lines-{language}.pdf").write_bytes(pdf)
        results[language] = {
            "n": len(totals),
            "first_ms": first,
            "pdf_p50": pct(totals, 0.5),
            "pdf_p95": pct(totals, 0.95),
            "pdf_max": max(totals),
            "html_p50": pct(htmls, 0.5),
            "html_p95": pct(htmls, 0.95),
            "bytes": len(pdf),
            "pages": pages,
            "checked": ok,
        }
        print(f"{language}: {results[language]}", flush=True)
    load_after = os.getloadavg()
    print()
    print(
        "| language | renders | first render ms | render_pdf p50 ms | p95 ms | max ms | of which template (render_html) "
        "p50 / p95 ms | PDF | pages | text checked |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|---|")
    for language, r in results.items():
        print(
            f"| {language} | {r['n']} | {r['first_ms']:.0f} | {r['pdf_p50']:.0f} | {r['pdf_p95']:.0f} | "
            f"{r['pdf_max']:.0f} | {r['html_p50']:.1f} / {r['html_p95']:.1f} | {r['bytes'] / 1024:.0f} KB | "
            f"{r['pages']} | {'yes' if r['checked'] else 'NO'} |"
        )
    print(f"\nload average (1, 5, 15 min): before {load_before}, after {load_after}")
    if args.json:
        Path(args.json).write_text(
            json.dumps({"results": results, "load_before": load_before, "load_after": load_after}, indent=1)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
