"""A few activities in the demo data, in Chinese and English, made through the services so that they carry
their history: something overdue, something due today, a next step after a completed call, and upcoming
work. Loaded by `guanxi demo` after the parties (guanxi/cli.py); does nothing when activities exist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from guanxi.activities.models import Activity
from guanxi.activities.services.activities import activity_complete, activity_create
from guanxi.core.models import User
from guanxi.parties.models import Party


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def load_demo_activities() -> int:
    """Create the demo activities (once); returns how many were created."""
    if Activity.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["wang.wei", "li.na", "john.smith"])}
    huawei = Party.objects.filter(name="华为技术有限公司").first()
    acme = Party.objects.filter(name="Acme Trading Co., Ltd.").first()
    wang, li, john = users.get("wang.wei"), users.get("li.na"), users.get("john.smith")
    created = 0
    if huawei is not None and wang is not None:
        zhang = list(
            Party.objects.filter(name="张伟", employments__organization=huawei).values_list("pk", flat=True)
        )
        sampled = activity_create(
            actor=wang,
            record=huawei,
            data={
                "kind": "call",
                "subject": "电话沟通样品需求",
                "due_at": _at(-3, 10, 30),
                "duration_minutes": 20,
                "contacts": zhang,
            },
        )
        activity_complete(actor=wang, activity=sampled, outcome="对方需要 200 件样品，下周寄出。")
        for data, follow_up_of in (
            ({"kind": "task", "subject": "寄送样品", "all_day": True, "due_date": _at(2, 0).date()}, sampled),
            (
                {
                    "kind": "call",
                    "subject": "确认年度框架协议报价",
                    "due_at": _at(-1, 15),
                    "contacts": zhang,
                    "priority": "high",
                },
                None,
            ),
            (
                {
                    "kind": "meeting",
                    "subject": "拜访华为采购部",
                    "due_at": _at(0, 16),
                    "duration_minutes": 90,
                    "location": "深圳市龙岗区坂田华为基地",
                    "contacts": zhang,
                    "participants": [li.pk] if li else [],
                    "remind_before": 30,
                },
                None,
            ),
        ):
            activity_create(actor=wang, record=huawei, data=data, follow_up_of=follow_up_of)
        created += 4
    if acme is not None and john is not None:
        emailed = activity_create(
            actor=john,
            record=acme,
            data={"kind": "email", "subject": "Sent our product catalogue", "due_at": _at(-2, 9)},
        )
        activity_complete(actor=john, activity=emailed, outcome="They will review it by Friday.")
        activity_create(
            actor=john,
            record=acme,
            data={
                "kind": "call",
                "subject": "Intro call with Acme purchasing",
                "due_at": _at(1, 10),
                "duration_minutes": 30,
                "remind_before": 15,
            },
        )
        activity_create(
            actor=john,
            record=acme,
            data={
                "kind": "task",
                "subject": "Send the price list",
                "all_day": True,
                "due_date": _at(0, 0).date(),
            },
        )
        created += 3
    return created
