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
                    "next_step": ""
                    if i % 3
                    else ("安排技术交流" if name == zh else "Book a technical workshop"),
                },
            )
            created += 1
            step = i % 7
            if step < len(open_stages) and step:
                o = opportunity_move(actor=user, opportunity=o, stage=open_stages[step], version=o.version)
            elif step == 5:
                opportunity_move(actor=user, opportunity=o, stage=won, version=o.version)
            elif step == 6 and reasons:
                opportunity_lose(
                    actor=user, opportunity=o, version=o.version, lost_reason=reasons[i % len(reasons)]
                )
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
