"""The benchmark scenarios of bench/run.py: what each one requests, and the ids, cursors, phone numbers and
credentials they need, read from the generated database (`prepare`). Request bodies for the create
scenarios are made fresh for every request."""

from __future__ import annotations

import json
import uuid
from urllib.parse import quote

from bench.scenarios_crm import crm_scenarios


def prepare(args):
    """Ids, cursors, phone numbers and credentials the scenarios need, read from the database."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection

    from guanxi.core.models import User
    from guanxi.core.pagination import _encode
    from guanxi.core.services.tokens import token_create
    from guanxi.parties.models import ContactPoint, Party

    def session_of(user) -> str:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    admin = User.objects.get(username="admin")
    _token, secret = token_create(actor=admin, name=f"bench {uuid.uuid4().hex[:8]}", scope="write")

    n = Party.objects.count()
    with connection.cursor() as cur:
        # A deep page: the keyset cursor of the row halfway through the name order.
        cur.execute(
            "SELECT sort_key, id FROM parties_party WHERE archived_at IS NULL ORDER BY sort_key, id "
            "LIMIT 1 OFFSET %s",
            [n // 2],
        )
        name, pid = cur.fetchone()
        # An exact full name that many longer names contain (华泰通安科技有限公司 in 深圳华泰通安科技有限公司 …):
        # the case where the bound used to hide the exact match.
        cur.execute(
            "SELECT name FROM parties_party WHERE kind = 'organization' AND name LIKE %s "
            "AND length(name) <= 10 ORDER BY id LIMIT 40",
            ["%有限公司"],
        )
        short_names = [row[0] for row in cur.fetchall()]
        best, best_n = None, -1
        for candidate in short_names:
            cur.execute(
                "SELECT count(*) FROM (SELECT 1 FROM parties_party WHERE name LIKE %s LIMIT 2000) t",
                ["%" + candidate + "%"],
            )
            k = cur.fetchone()[0]
            if k > best_n:
                best, best_n = candidate, k
        exact_name = best or "华为技术有限公司"
        max_id = Party.objects.order_by("-id").values_list("id", flat=True).first()
    deep = _encode([name, pid], "n")
    import random

    rng = random.Random(7)
    org_ids = list(
        Party.objects.filter(
            kind="organization", pk__in=[rng.randint(1, max_id) for _ in range(400)]
        ).values_list("id", flat=True)[:100]
    )
    phone = (
        ContactPoint.objects.filter(kind="phone", normalized__startswith="+86", party_id__in=org_ids)
        .values_list("value", flat=True)
        .first()
    )
    owner = User.objects.get(username="wang.wei")
    from guanxi.catalog.models import Product

    products = Product.objects.count()
    middle = Product.objects.order_by("id").values_list("code", flat=True)[products // 2] if products else ""
    work = _work_context(session_of)
    return {
        **work,
        "products": products,
        "product_code": middle,
        "rep_session": session_of(owner),
        "exact_name": exact_name,
        "exact_name_contained_in": best_n,
        "vendor": connection.vendor,
        "db": settings.DATABASES["default"]["NAME"],
        "parties": n,
        "organizations": Party.objects.filter(kind="organization").count(),
        "session": session_of(admin),
        "token": secret,
        "deep": deep,
        "org_ids": org_ids,
        "phone": phone,
        "owner": owner.pk,
    }


# Users whose pages the activities and approvals scenarios open (bench/generate_work.py makes the rep.*,
# mgr.* and exec.* users): 王伟, the busy rep (4× a typical share of activities); rep.050, a typical one; 李娜,
# his manager (her team: 22 people); 赵磊, approver of every pending request; exec.01, an approver who also
# decides for exec.02 (delegated); admin, the second level of "Large accounts".
WORK_USERS = ["wang.wei", "rep.050", "li.na", "zhao.lei", "exec.01", "bench.manager", "bench.rep3"]


def _work_context(session_of) -> dict:
    """Sessions of the activities/approvals users, how many activities and pending approvals there are, and a
    deep-page cursor into 赵磊's inbox (10,000 rows down)."""
    from django.db import connection

    from guanxi.core.models import User
    from guanxi.core.pagination import _encode

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM activities_activity")
        activities = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM core_approvalrequest WHERE status = 'pending'")
        pending = cur.fetchone()[0]
        cur.execute(
            "SELECT s.pending_since, s.id FROM core_approvalstep s JOIN core_user u ON u.id = s.approver_id "
            "WHERE u.username = 'zhao.lei' AND s.status = 'pending' ORDER BY s.pending_since DESC, s.id DESC "
            "LIMIT 1 OFFSET 10000"
        )
        row = cur.fetchone()
    users = {u.username: u for u in User.objects.filter(username__in=WORK_USERS)}
    return {
        "activities": activities,
        "pending_approvals": pending,
        "inbox_deep": _encode([row[0].isoformat(), row[1]], "n") if row else None,
        "sessions": {name: session_of(u) for name, u in users.items()},
    }


def work_scenarios(ctx) -> list[dict]:
    """My activities (issue 6: 5M activities) and the approvals inbox (100k pending), when the data is there."""
    have = ctx.get("sessions", {})
    out = []
    if ctx.get("activities"):
        for name, path, user in [
            ("activities: 王伟 today (default view)", "/activities/", "wang.wei"),
            ("activities: 王伟 overdue", "/activities/?when=overdue", "wang.wei"),
            ("activities: 王伟 upcoming", "/activities/?when=upcoming", "wang.wei"),
            ("activities: 王伟 done (newest first)", "/activities/?when=done", "wang.wei"),
            ("activities: 王伟 done, calls only", "/activities/?when=done&kind=call", "wang.wei"),
            ("activities: rep.050 today (typical rep)", "/activities/", "rep.050"),
            ("activities: 李娜 team, today (assignee=any)", "/activities/?assignee=any", "li.na"),
            ("activities: 李娜 team, overdue", "/activities/?assignee=any&when=overdue", "li.na"),
            ("activities: 李娜 team, done", "/activities/?assignee=any&when=done", "li.na"),
        ]:
            if user in have:
                out.append({"name": name, "method": "GET", "path": path, "auth": f"user:{user}"})
        for name, path in [
            ("activities: admin everyone, today (all scope)", "/activities/?assignee=any"),
            ("activities: admin everyone, done", "/activities/?assignee=any&when=done"),
        ]:
            out.append({"name": name, "method": "GET", "path": path, "auth": "session"})
    if ctx.get("pending_approvals"):
        for name, path, user in [
            ("approvals: inbox 赵磊 (waiting for me)", "/approvals/", "zhao.lei"),
            ("approvals: inbox exec.01 (own + delegated)", "/approvals/", "exec.01"),
            ("approvals: menu badge count 赵磊", "/nav/badge/approvals/", "zhao.lei"),
            ("approvals: submitted by me 王伟", "/approvals/?show=submitted", "wang.wei"),
        ]:
            if user in have:
                out.append({"name": name, "method": "GET", "path": path, "auth": f"user:{user}"})
        if ctx.get("inbox_deep") and "zhao.lei" in have:
            out.append(
                {
                    "name": "approvals: inbox 赵磊, page 400 (cursor)",
                    "method": "GET",
                    "path": f"/approvals/?cursor={ctx['inbox_deep']}",
                    "auth": "user:zhao.lei",
                }
            )
    return out


def scenarios(ctx) -> list[dict]:
    ids = ctx["org_ids"]
    q = lambda term: f"/parties/?q={quote(term)}"  # noqa: E731
    web = [
        ("list: first page", "/parties/"),
        ("list: deep page (keyset cursor)", f"/parties/?cursor={ctx['deep']}"),
        (
            "list: role+status+owner",
            f"/parties/?role=customer&customer_status=active&owner={ctx['owner']}",
        ),
        ("list: sorted by name Z→A", "/parties/?sort=-name"),
        ("search: English 'ander'", q("ander")),
        ("search: 1 CJK char '华'", q("华")),
        ("search: 2 CJK chars '华为'", q("华为")),
        ("search: 2 CJK chars '华泰' (common)", q("华泰")),
        ("search: 2 CJK chars '科技' (very common)", q("科技")),
        ("search: pinyin 'huawei'", q("huawei")),
        ("search: pinyin 'huatai'", q("huatai")),
        ("search: initials 'hwjs'", q("hwjs")),
        ("search: initials 'htta'", q("htta")),
        ("search: phone", q(ctx["phone"] or "13800138000")),
        ("search: phone typed 0086 …", q("0086 " + (ctx["phone"] or "13800138000"))),
        ("search: pinyin with a space 'hua wei'", q("hua wei")),
        ("search: '有限公司' (most Chinese names)", q("有限公司")),
        (f"search: exact name in {ctx['exact_name_contained_in']}+ names", q(ctx["exact_name"])),
    ]
    out = [{"name": n, "method": "GET", "path": p, "auth": "session"} for n, p in web]
    out.append(
        {"name": "rep: search '科技' (record rules)", "method": "GET", "path": q("科技"), "auth": "rep"}
    )
    out.append(
        {"name": "rep: first page (record rules)", "method": "GET", "path": "/parties/", "auth": "rep"}
    )
    out.append(
        {
            "name": "web create organization (form)",
            "method": "FORM",
            "path": "/parties/new/organization/",
            "auth": "session",
        }
    )
    out.append(
        {
            "name": "360° page /parties/<id>/",
            "method": "GET",
            "path": "/parties/{id}/",
            "ids": ids,
            "auth": "session",
        }
    )
    out.append(
        {
            "name": "API list (customers, 50)",
            "method": "GET",
            "path": "/api/v1/organizations?role=customer&limit=50",
            "auth": "token",
        }
    )
    out.append(
        {
            "name": "API list search '华泰'",
            "method": "GET",
            "path": f"/api/v1/organizations?q={quote('华泰')}&limit=50",
            "auth": "token",
        }
    )
    out.append(
        {
            "name": "API detail",
            "method": "GET",
            "path": "/api/v1/organizations/{id}",
            "ids": ids,
            "auth": "token",
        }
    )
    out.append(
        {
            "name": "API create",
            "method": "POST",
            "path": "/api/v1/organizations",
            "auth": "token",
            "body": True,
        }
    )
    if ctx.get("products"):
        out += catalog_scenarios(ctx)
    return out + work_scenarios(ctx) + crm_scenarios(ctx)


def catalog_scenarios(ctx) -> list[dict]:
    """The catalogue list and its search (bench/catalog.py fills the products)."""
    code = ctx["product_code"]
    c = lambda term: f"/catalogue/?q={quote(term)}"  # noqa: E731
    web = [
        ("catalogue: first page", "/catalogue/"),
        ("catalogue: exact code", c(code)),
        ("catalogue: code typed lower-case, full-width", c(code.lower().replace("-", "－"))),
        ("catalogue: code prefix", c(code[:6])),
        ("catalogue: 2 CJK chars '螺丝' (common)", c("螺丝")),
        ("catalogue: 4 CJK chars '不锈钢螺'", c("不锈钢螺")),
        ("catalogue: pinyin 'luosi'", c("luosi")),
        ("catalogue: initials 'bxg'", c("bxg")),
        ("catalogue: English 'stainless screw'", c("stainless screw")),
        ("catalogue: size '0603'", c("0603")),
        ("catalogue: no match 'qqzz'", c("qqzz")),
        ("catalogue: category filter", "/catalogue/?sort=code&kind=product&sold=yes"),
    ]
    out = [{"name": n, "method": "GET", "path": p, "auth": "session"} for n, p in web]
    out.append(
        {
            "name": "catalogue: API search '螺丝'",
            "method": "GET",
            "path": f"/api/v1/products?q={quote('螺丝')}&limit=50",
            "auth": "token",
        }
    )
    return out


def _phone(tag: str) -> str:
    """+86 198 …: a prefix the generator never uses, so the duplicate check runs in full and finds nothing."""
    return f"+86 198 {1000 + int(tag[:4], 16) % 8999} {1000 + int(tag[4:8], 16) % 8999}"


def create_body() -> str:
    """An API create with the duplicate check on (it finds nothing: a new name, phone and e-mail domain)."""
    tag = uuid.uuid4().hex[:10]
    return json.dumps(
        {
            "name": f"基准测试 Bench {tag} 有限公司",
            "is_customer": True,
            "customer_status": "prospect",
            "phones": [_phone(tag)],
            "emails": [f"bench-{tag}@bench-{tag[:6]}.example.cn"],
        }
    )


def form_body(csrf: str | None) -> dict:
    """What the new-organization form posts (identifier rows, no address), as a browser sends it; the
    duplicate check runs and finds nothing."""
    tag = uuid.uuid4().hex[:10]
    return {
        "csrfmiddlewaretoken": csrf or "",
        "name": f"基准表单 Bench {tag} 有限公司",
        "is_customer": "on",
        "customer_status": "prospect",
        "phones": _phone(tag),
        "emails": f"form-{tag}@bench-{tag[:6]}.example.cn",
        "ident-TOTAL_FORMS": "1",
        "ident-INITIAL_FORMS": "0",
        "ident-0-scheme": "",
        "ident-0-country": "",
        "ident-0-value": "",
    }
