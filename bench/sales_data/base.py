"""Shared by the steps: constants, COPY, the ids handed out, the environment (users, customers, pipeline)."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import Decimal

CENT = Decimal("0.01")
DAY = dt.timedelta(days=1)
GOODS = [
    ("工业网关 GW-5000", "Industrial gateway GW-5000", 800, 6000),
    ("PLC 控制器 S7-1200", "PLC controller S7-1200", 1500, 9000),
    ("伺服电机 1.5kW", "Servo motor 1.5 kW", 1200, 4800),
    ("变频器 7.5kW", "Frequency inverter 7.5 kW", 2000, 8000),
    ("温湿度传感器", "Temperature and humidity sensor", 60, 600),
    ("触摸屏 HMI 10寸", "HMI touch panel 10 in", 1800, 5200),
    ("控制柜（含布线）", "Control cabinet, wired", 8000, 48000),
    ("工业交换机 8口", "Industrial switch, 8 ports", 500, 2600),
    ("电缆套件", "Cable set", 50, 900),
    ("备件包", "Spare parts kit", 200, 3000),
]
SERVICES = [
    ("现场安装服务", "On-site installation", 200, 800, "h"),
    ("操作培训（1天）", "Operator training (1 day)", 1800, 4000, "day"),
    ("年度维保服务", "Annual maintenance", 6000, 30000, "day"),
    ("远程技术支持", "Remote technical support", 150, 600, "h"),
    ("系统调试", "Commissioning", 1500, 3500, "day"),
]
DISCOUNTS = [Decimal(x) for x in ("0", "5", "8", "10", "12.5", "15")]
DISCOUNT_WEIGHTS = (55, 15, 10, 10, 5, 5)
NOTES = ["", "", "", "含税价，货到付款 30 天。", "Prices include VAT; payment 30 days after delivery."]
COURIERS = ["顺丰 SF", "京东 JD", "中通 ZT", "Own truck "]
BANKS = ["CMB", "ICBC", "BOC", "CCB", "ABC", "BOCOM"]
METHODS = ["transfer", "acceptance", "online", "cheque", "cash", "other"]
METHOD_WEIGHTS = (75, 10, 8, 4, 2, 1)
CLOSE_SHORT = ["客户取消剩余部分", "The customer cancelled the rest", "剩余货物停产"]
CANCEL_REASONS = ["客户取消订单", "The customer cancelled the order", "项目暂停", "Ordered twice by mistake"]


# --- Plumbing ---------------------------------------------------------------------------------------------


def _copy(cur, table: str, columns: tuple[str, ...], rows: list) -> int:
    """COPY rows (tuples in `columns` order) into `table` through psycopg 3's copy protocol."""
    if not rows:
        return 0
    raw = cur.cursor  # Django's wrapper → psycopg's cursor
    with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


class Ids:
    """Primary keys taken from the table's identity sequence ahead of the COPY (children need them)."""

    def __init__(self, table: str, block: int = 10000):
        self.table, self.block, self.free = table, block, []

    def take(self, cur) -> int:
        if not self.free:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [self.table, self.block],
            )
            self.free = [r[0] for r in cur.fetchall()][::-1]
        return self.free.pop()


class Env:
    """What every step reads once: company, users, teams, customers, opportunities, tax rates, units, now."""

    def __init__(self, *, east_share: float):
        from django.utils import timezone

        from guanxi.catalog.models import Unit
        from guanxi.core.models import Company, TaxRate, Team, User
        from guanxi.core.selectors.companies import company_default
        from guanxi.parties.models import Party

        company = company_default() or Company.objects.order_by("id").first()
        if company is None:
            sys.exit("No company: run `guanxi demo` (or set up our company) first.")
        self.company_id = company.pk
        try:
            self.east = Team.objects.get(name="Bench East")
            self.west = Team.objects.get(name="Bench West")
        except Team.DoesNotExist:
            sys.exit("No bench teams: run bench/opportunities.py first.")
        users = {u.username: u.pk for u in User.objects.filter(username__startswith="bench.")}
        self.members = {
            self.east.pk: [users[f"bench.rep{i}"] for i in range(10)],
            self.west.pk: [users[f"bench.west{i}"] for i in range(10)],
        }
        self.east_share = east_share
        self.tz = timezone.get_default_timezone()
        self.now = timezone.now()
        self.today = self.now.astimezone(self.tz).date()
        taxes = {t.code: t for t in TaxRate.objects.filter(code__in=["vat13", "vat6"])}
        self.vat13, self.vat6 = taxes["vat13"], taxes["vat6"]
        units = {u.code: u.pk for u in Unit.objects.filter(code__in=["pcs", "h", "day"])}
        self.units = units
        self.customers = list(
            Party.objects.filter(is_customer=True, archived_at__isnull=True).values_list("pk", flat=True)
        )
        if not self.customers:
            sys.exit("No customers: run bench/opportunities.py (or bench/generate.py) first.")
        from django.db import connection

        self.opportunities = {}
        with connection.cursor() as cur:
            for team in (self.east, self.west):
                cur.execute(
                    "SELECT o.id, o.customer_id, o.owner_id FROM crm_opportunity o "
                    "JOIN parties_party p ON p.id = o.customer_id AND p.is_customer AND p.archived_at IS NULL "
                    "WHERE o.team_id = %s AND o.owner_id = ANY(%s) ORDER BY random() LIMIT 50000",
                    [team.pk, self.members[team.pk]],
                )
                self.opportunities[team.pk] = cur.fetchall()

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        """A local time on a business day, never after now."""
        return min(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz), self.now)

    def local_day(self, t: dt.datetime) -> dt.date:
        return t.astimezone(self.tz).date()


def _rate(n: int, seconds: float) -> str:
    return f"{n:,} rows in {seconds:.1f} s ({n / max(seconds, 1e-9):,.0f} rows/s)"


# --- 1. Quotes --------------------------------------------------------------------------------------------

QUOTE_COLS = (
    "id", "number", "language", "notes", "net_total", "tax_total", "gross_total", "version", "created_at",
    "updated_at", "state", "revision", "valid_until", "max_discount", "sent_at", "sent_to", "decided_at",
    "company_id", "contact_id", "created_by_id", "currency_id", "customer_id", "opportunity_id", "owner_id",
    "previous_id", "team_id", "price_list_chosen", "price_list_id",
)  # fmt: skip
LINE_COLS = (
    "position", "product_id", "description", "quantity", "unit_id", "unit_price", "discount_percent",
    "tax_rate_id", "tax_percent", "net", "tax", "gross",
)  # fmt: skip
VALID_DAYS = 30  # guanxi.crm.services.quotes.VALID_DAYS
