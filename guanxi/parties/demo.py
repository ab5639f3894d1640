"""Bilingual demo data: teams, one user per shipped role, tags, and realistic parties."""

from __future__ import annotations

import secrets

from django.db import transaction

from guanxi.core import roles
from guanxi.core.models import Team, TeamMembership, User
from guanxi.core.services.roles import roles_sync_shipped
from guanxi.parties.demo_attachments import attach_demo_files
from guanxi.parties.generate import generate, teams_and_tags
from guanxi.parties.models import Party
from guanxi.parties.services.holders import party_set_supplier_status
from guanxi.parties.services.notes import note_add
from guanxi.parties.services.parties import PartyExtras, party_create

SIZES = {"small": 300, "large": 20_000}
TEAMS = ["华东销售 East China Sales", "North America Sales", "采购部 Procurement"]
TAGS = [
    ("重点客户 Key account", "#b91c1c"),
    ("战略供应商 Strategic supplier", "#15803d"),
    ("展会线索 Trade-fair lead", "#1d4ed8"),
    ("VIP", "#a16207"),
    ("出口 Export", "#7c3aed"),
]
# username, first name, last name, role, team index, team manager
USERS = [
    ("li.na", "娜", "李", roles.SALES_MANAGER, 0, True),
    ("wang.wei", "伟", "王", roles.SALES_REP, 0, False),
    ("john.smith", "John", "Smith", roles.SALES_REP, 1, False),
    ("zhang.min", "敏", "张", roles.MARKETING, None, False),
    ("chen.jie", "杰", "陈", roles.SERVICE_AGENT, None, False),
    ("liu.yang", "洋", "刘", roles.PROCUREMENT_MANAGER, 2, True),
    ("emily.chen", "Emily", "Chen", roles.BUYER, 2, False),
    ("zhao.lei", "磊", "赵", roles.EXECUTIVE, None, False),
]


def _user(username: str, password: str, **fields) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults=fields)
    for k, v in fields.items():
        setattr(user, k, v)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def _people(password: str) -> tuple[User, list[User]]:
    roles_sync_shipped()
    teams, _tags = teams_and_tags(TEAMS, TAGS)
    admin = _user(
        "admin", password, is_superuser=True, is_staff=True, first_name="Admin", email="admin@example.com"
    )
    from django.contrib.auth.models import Group

    users = []
    for username, first, last, role, team_idx, manager in USERS:
        u = _user(
            username,
            password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.com",
            language="zh-hans" if not first.isascii() else "en",
        )
        u.groups.set(Group.objects.filter(name=role))
        if team_idx is not None:
            TeamMembership.objects.update_or_create(
                team=teams[team_idx], user=u, defaults={"is_manager": manager}
            )
        users.append(u)
    return admin, users


def _showcase(admin: User, users: list[User]) -> None:
    """A few records made through the services, so they carry history and show every feature."""
    wang = next(u for u in users if u.username == "wang.wei")
    if Party.objects.filter(name="华为技术有限公司").exists():
        return
    hw = party_create(
        actor=admin,
        data={
            "kind": "organization",
            "name": "华为技术有限公司",
            "short_name": "华为",
            "legal_name": "华为技术有限公司",
            "is_customer": True,
            "customer_status": "active",
            "is_supplier": True,
            "industry": "electronics",
            "size": "enterprise",
            "website": "https://www.huawei.com",
            "owner": wang,
            "invoice_title": "华为技术有限公司",
            "invoice_tax_number": "914403001922038216",
            "invoice_bank_name": "招商银行深圳分行",
            "invoice_bank_account": "755900012310001",
            "invoice_address": "深圳市龙岗区坂田华为基地",
            "invoice_phone": "0755-28780808",
        },
        extras=PartyExtras(
            identifiers=[{"scheme": "cn_uscc", "country": "CN", "value": "914403001922038216"}],
            phones=["0755 2878 0808"],
            emails=["contact@huawei.example.cn"],
        ),
        address={
            "kind": "registered",
            "country": "CN",
            "province": "广东省",
            "city": "深圳市",
            "district": "龙岗区",
            "street": "坂田华为基地",
            "postal_code": "518129",
        },
        allow_duplicates=True,
    )
    # The supplier lifecycle's doing in real life (qualified, approved, then preferred): set here directly.
    party_set_supplier_status(
        actor=admin,
        party=hw,
        status="preferred",
        reason="演示数据：长期优选供应商 / Demo: long-standing preferred supplier",
    )
    party_create(
        actor=admin,
        data={
            "kind": "person",
            "name": "张伟",
            "is_customer": True,
            "preferred_language": "zh-hans",
            "wechat_id": "zhangwei_hw",
        },
        extras=PartyExtras(phones=["13912345678"], emails=["zhang.wei@huawei.example.cn"]),
        organization=hw,
        job_title="采购总监",
        allow_duplicates=True,
    )
    # Notes that mention colleagues: their bell shows a notification (and an e-mail goes to the worker's log).
    li_na = next(u for u in users if u.username == "li.na")
    note_add(actor=li_na, party=hw, body="@wang.wei 华为下周二来访，请准备新一季的报价。")
    note_add(actor=wang, party=hw, body="@admin Please check the invoicing details before the visit.")
    attach_demo_files(wang, hw)
    party_create(
        actor=admin,
        data={
            "kind": "organization",
            "name": "Acme Trading Co., Ltd.",
            "short_name": "Acme",
            "is_customer": True,
            "customer_status": "prospect",
            "industry": "wholesale",
            "owner": next(u for u in users if u.username == "john.smith"),
        },
        extras=PartyExtras(
            phones=["+1 415 555 0100"],
            emails=["sales@acme-trading.example.com"],
            identifiers=[{"scheme": "vat", "country": "DE", "value": "DE136695976"}],
        ),
        address={
            "kind": "billing",
            "country": "US",
            "province": "CA",
            "city": "San Francisco",
            "street": "500 Howard Street",
            "postal_code": "94105",
        },
        allow_duplicates=True,
    )


def load_demo(*, size: str = "small", password: str | None = None, stdout=None) -> dict:
    password = password or secrets.token_urlsafe(9)
    admin, users = _people(password)
    created = 0
    if not Party.objects.exists():
        owners = [
            u
            for u in users
            if u.groups.filter(
                name__in=[roles.SALES_REP, roles.SALES_MANAGER, roles.BUYER, roles.PROCUREMENT_MANAGER]
            ).exists()
        ]
        counts = generate(
            organizations=SIZES[size],
            seed=42,
            owners=owners,
            progress=(lambda n: stdout.write(f"  … {n} organizations\n"))
            if stdout and size == "large"
            else None,
        )
        created = counts.organizations + counts.people
        _showcase(admin, users)
    return {
        "password": password,
        "admin": admin,
        "users": users,
        "created": created,
        "teams": list(Team.objects.all()),
    }
