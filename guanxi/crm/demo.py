"""A living sales team in the demo data: opportunities of the demo reps (王伟, John Smith) and their manager
(李娜) on the New business board, spread over its stages, some won and some lost with a reason, a few in US
dollars, and a Renewals pipeline. Made through the services so that each carries its history. Loaded by
`guanxi demo` after the parties; does nothing when opportunities exist."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from guanxi.core.models import User
from guanxi.crm.models import LostReason, Opportunity, Pipeline
from guanxi.crm.services.opportunities import opportunity_create, opportunity_lose, opportunity_move
from guanxi.crm.services.pipelines import pipeline_create
from guanxi.parties.models import Party

# (Chinese name, English name) of what is being sold: the demo reads in either language.
DEALS = [
    ("年度网络设备采购", "Annual network equipment"),
    ("数据中心扩容", "Data centre expansion"),
    ("办公楼安防系统", "Office security system"),
    ("生产线自动化改造", "Production line automation"),
    ("ERP 实施服务", "ERP implementation"),
    ("云服务三年合约", "Three-year cloud contract"),
    ("仓储物流系统", "Warehouse logistics system"),
    ("门店收银终端", "Point-of-sale terminals"),
]


@transaction.atomic
def load_demo_opportunities() -> int:
    """Create the demo opportunities (once); returns how many were created."""
    if Opportunity.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["wang.wei", "li.na", "john.smith"])}
    admin = User.objects.filter(username="admin").first()
    pipeline = Pipeline.objects.filter(archived_at__isnull=True).order_by("position", "id").first()
    if not users or pipeline is None or admin is None:
        return 0
    rng = random.Random(7)
    stages = list(pipeline.stages.filter(archived_at__isnull=True).order_by("position"))
    open_stages = [s for s in stages if s.kind == "open"]
    won = next(s for s in stages if s.kind == "won")
    reasons = list(LostReason.objects.filter(archived_at__isnull=True))
    today = timezone.localdate()
    created = 0
    for username, user in sorted(users.items()):
        customers = list(
            Party.objects.filter(
                owner=user, is_customer=True, archived_at__isnull=True, kind="organization"
            ).order_by("id")[:6]
        )
        for i, customer in enumerate(customers):
            # The first ones of each rep end (won, then lost), so that even a small demo has both; the later
            # ones stand in the board's stages, the last two committed or best case for the forecast.
            plan = [None, won, "lost", *open_stages[1:]][i % (len(open_stages) + 2)]
            category = {len(open_stages) - 2: "best_case", len(open_stages) - 1: "commit"}.get(
                open_stages.index(plan) if plan in open_stages else -1, "pipeline"
            )
            zh, en = DEALS[(i + len(username)) % len(DEALS)]
            name = en if username == "john.smith" else zh
            usd = username == "john.smith" and i % 2 == 0
            o = opportunity_create(
                actor=user,
                data={
                    "name": f"{name} · {customer.short_name or customer.name}"[:200],
                    "customer": customer.pk,
                    "pipeline": pipeline.pk,
                    "amount": str(rng.choice([48_000, 86_000, 120_000, 260_000, 450_000, 1_200_000])),
                    "currency": "USD" if usd else "CNY",
                    "expected_close": today + dt.timedelta(days=rng.randint(5, 150)),
                    "forecast_category": category,
                    "next_step": ""
                    if i % 3
                    else ("安排技术交流" if name == zh else "Book a technical workshop"),
                },
            )
            created += 1
            if plan == "lost" and reasons:
                opportunity_lose(
                    actor=user, opportunity=o, version=o.version, lost_reason=reasons[i % len(reasons)]
                )
            elif plan is not None and plan != "lost":
                opportunity_move(actor=user, opportunity=o, stage=plan, version=o.version)
    # Monthly targets of the year for the reps and their manager (the forecast compares won with them).
    from guanxi.crm.services.targets import sales_targets_save

    monthly = {"wang.wei": "200000", "li.na": "300000", "john.smith": "150000"}
    entries = [
        {"owner": users[name].pk, "month": m, "amount": amount}
        for name, amount in monthly.items()
        if name in users
        for m in range(1, 13)
    ]
    sales_targets_save(actor=admin, year=today.year, entries=entries)
    renewals = pipeline_create(actor=admin, data={"name_en": "Renewals", "name_zh": "续约"})
    huawei = Party.objects.filter(name="华为技术有限公司").first()
    if huawei is not None and "wang.wei" in users:
        opportunity_create(
            actor=users["wang.wei"],
            data={
                "name": "维保合同续约 2027",
                "customer": huawei.pk,
                "pipeline": renewals.pk,
                "amount": "180000",
                "expected_close": today + dt.timedelta(days=45),
            },
        )
        created += 1
    return created


LEADS = [
    # company, person, phone, email, interest, source, status
    (
        "杭州云启网络科技有限公司",
        "陈晨",
        "13957100001",
        "",
        "想了解 48 口交换机和安装服务的价格",
        "web_form",
        "new",
    ),
    (
        "成都蓉城物流有限公司",
        "刘强",
        "13880000002",
        "liuqiang@rongcheng-logistics.cn",
        "仓库 Wi-Fi 覆盖方案",
        "trade_fair",
        "working",
    ),
    (
        "Harbour Foods Ltd",
        "Emma Brown",
        "",
        "emma@harbourfoods.example",
        "Cold-chain sensors for 3 warehouses",
        "web_form",
        "qualified",
    ),
    ("", "王芳", "13600000003", "", "个人工作室需要一台 NAS", "phone", "new"),
    (
        "Northwind Retail",
        "Sam Lee",
        "+1 415 555 0100",
        "sam@northwind.example",
        "POS terminals for 12 stores",
        "referral",
        "working",
    ),
]


@transaction.atomic
def load_demo_leads() -> int:
    """A web form on the demo company's website and a few leads in every state (once)."""
    from guanxi.crm.models import DisqualifyReason, Lead, WebForm
    from guanxi.crm.services.leads import lead_create, lead_set_status, lead_submit

    if Lead.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["wang.wei", "john.smith", "li.na"])}
    wang = users.get("wang.wei")
    if wang is None:
        return 0
    team = wang.teams.first()
    form = WebForm.objects.create(
        name="官网咨询 Website enquiry", owner=wang, team=team, campaign="官网 2026"
    )
    created = 0
    for company, person, phone, email, interest, source, status in LEADS:
        owner = users.get("john.smith", wang) if not company or company.isascii() else wang
        data = {
            "company_name": company,
            "person_name": person,
            "phone": phone,
            "email": email,
            "interest": interest,
        }
        if source == "web_form":
            lead = lead_submit(form=form, data=data, ip=None)
        else:
            lead = lead_create(actor=owner, data={**data, "source": source})
        if lead is None:
            continue
        created += 1
        if status != "new":
            lead_set_status(actor=lead.owner or owner, lead=lead, version=lead.version, status=status)
    spam = lead_create(
        actor=wang,
        data={"person_name": "SEO 优化", "interest": "网站排名第一，包月 999 元", "source": "other"},
    )
    reason = DisqualifyReason.objects.order_by("position").first()
    lead_set_status(actor=wang, lead=spam, version=spam.version, status="disqualified", reason=reason)
    return created + 1


@transaction.atomic
def load_demo_pools() -> int:
    """A pool per sales team with recycle rules and a few customers in it (once); returns how many went in."""
    from guanxi.core.models import Team
    from guanxi.crm.models import Pool
    from guanxi.crm.services.pools import customer_release, pool_save

    if Pool.objects.exists():
        return 0
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return 0
    put = 0
    for team_name, en, zh, cap in (
        ("华东销售 East China Sales", "East China pool", "华东公海", 50),
        ("North America Sales", "North America pool", "北美公海", 30),
    ):
        team = Team.objects.filter(name=team_name).first()
        if team is None:
            continue
        pool = pool_save(
            actor=admin,
            pool=None,
            data={
                "name_en": en,
                "name_zh": zh,
                "teams": [team.pk],
                "no_activity_days": 30,
                "no_opportunity_days": 90,
                "exempt_open_opportunity": True,
                "warn_days": 3,
                "max_per_rep": cap,
                "cooldown_days": 15,
            },
        )
        held = Party.objects.filter(
            team=team,
            is_customer=True,
            kind="organization",
            archived_at__isnull=True,
            opportunities__isnull=True,
        ).order_by("-id")[:4]
        for party in held:
            customer_release(actor=admin, party=party, pool=pool)
            put += 1
    return put


@transaction.atomic
def load_demo_quotes() -> int:
    """Quotes of 王伟 in every state, one accepted into a sales order (which makes its customer active)."""
    from guanxi.catalog.models import Product
    from guanxi.crm.models import Quote
    from guanxi.crm.services.orders import quote_accept
    from guanxi.crm.services.quotes import quote_create, quote_send, quote_submit

    load_demo_price_lists()  # first: the demo quotes take their prices
    if Quote.objects.exists():
        return 0
    wang = User.objects.filter(username="wang.wei").first()
    products = {
        p.code: p.pk
        for p in Product.objects.filter(code__in=["GW-5000", "SV-INSTALL", "SV-TRAIN", "CU-WIRE"])
    }
    if wang is None or len(products) < 4:
        return 0
    opportunities = list(
        Opportunity.objects.filter(owner=wang, state="open", currency_id="CNY").order_by("id")[:3]
    )
    made = 0
    for i, o in enumerate(opportunities):
        lines = [
            {
                "product": products["GW-5000"],
                "quantity": str(10 * (i + 1)),
                "discount_percent": ["0", "5", "12"][i],
            },
            {"product": products["SV-INSTALL"], "quantity": "16"},
            {"product": products["SV-TRAIN"], "quantity": "2"},
        ]
        q = quote_create(
            actor=wang,
            data={
                "customer": o.customer_id,
                "opportunity": o.pk,
                "language": "zh-hans",
                "notes": "含税价，货到付款 30 天。",
                "lines": lines,
            },
        )
        made += 1
        if i == 0:
            continue  # a draft
        q = quote_submit(actor=wang, quote=q, version=q.version)
        q = quote_send(actor=wang, quote=q, version=q.version)
        if i == 2:
            order = quote_accept(actor=wang, quote=q, version=q.version)
            _demo_receivables(wang, order)
    return made


def _demo_receivables(user, order) -> None:
    """A collection plan with an overdue first instalment, part of it collected, a fapiao issued."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from guanxi.crm.services.receivables import (
        collection_record,
        fapiao_issue,
        fapiao_request_create,
        plan_set,
    )

    today = timezone.localdate()
    first = (order.gross_total * Decimal("0.3")).quantize(Decimal("0.01"))
    plan_set(
        actor=user,
        order=order,
        instalments=[
            {"due_date": today - dt.timedelta(days=10), "amount": first},
            {"due_date": today + dt.timedelta(days=30), "amount": order.gross_total - first},
        ],
    )
    collection_record(
        actor=user,
        order=order,
        data={"amount": (first / 2).quantize(Decimal("0.01")), "bank_reference": "CMB 2026-11-20 0001"},
    )
    request = fapiao_request_create(
        actor=user, order=order, data={"kind": "special", "amount": first, "tax_number": "91440300MA5F8K2L1H"}
    )
    fapiao_issue(
        actor=user,
        request=request,
        data={"fapiao_number": "44031234567890", "tracking_number": "SF1234567890"},
    )


@transaction.atomic
def load_demo_price_lists() -> int:
    """The default list in CNY with quantity breaks (阶梯价) and a dealer list in US dollars (once)."""
    from guanxi.catalog.models import Product
    from guanxi.crm.models import PriceList
    from guanxi.crm.services.pricelists import pricelist_create

    admin = User.objects.filter(username="admin").first()
    p = dict(Product.objects.filter(code__in=["GW-5000", "SV-INSTALL", "CU-WIRE"]).values_list("code", "pk"))
    if PriceList.objects.exists() or admin is None or len(p) < 3:
        return 0
    for en, zh, currency, default, rows in (
        ("List prices", "标准价目表", "CNY", True, [("GW-5000", 0, "2980"), ("GW-5000", 10, "2830"),
                                              ("GW-5000", 50, "2680"), ("CU-WIRE", 1000, "3.2"),
                                              ("SV-INSTALL", 0, "380")]),
        ("Dealer prices (USD)", "经销商价目表（美元）", "USD", False, [("GW-5000", 0, "400"), ("GW-5000", 20, "380")]),
    ):  # fmt: skip
        items = [{"product": p[code], "min_quantity": q, "unit_price": price} for code, q, price in rows]
        pricelist_create(
            actor=admin,
            data={"name_en": en, "name_zh": zh, "currency": currency, "is_default": default, "items": items},
        )
    return 2
