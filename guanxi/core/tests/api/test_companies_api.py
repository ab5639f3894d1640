"""/api/v1/companies and /api/v1/numbering: the same rules as the UI, problem+json errors."""

import base64
import io

import pytest
from django.db import transaction

from guanxi.core.roles import SALES_REP
from guanxi.core.services.numbering import number_next
from guanxi.core.tests.api.helpers import ApiClient, fields, ok, problem
from guanxi.core.tests.factories import make_company
from guanxi.core.tests.numbering.doc_types import WIDGET

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def rep(make_user):
    return make_user("rep", roles=[SALES_REP])


def _png() -> str:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (60, 20), (10, 120, 200)).save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode()


def test_admin_creates_and_changes_a_company(api):
    made = ok(api.post("/companies", {"name_zh": "关系示范科技有限公司", "default_currency": "cny"}), 201)
    assert made["is_default"] and made["default_currency"] == "CNY" and made["version"] == 1
    assert made["name"] == "关系示范科技有限公司"
    changed = ok(api.patch(f"/companies/{made['id']}", {"version": 1, "name_en": "Guanxi Demo Ltd."}))
    assert changed["version"] == 2 and changed["name"] == "Guanxi Demo Ltd."  # English request
    stale = problem(api.patch(f"/companies/{made['id']}", {"version": 1, "name_en": "X"}), 409)
    assert "changed this record" in stale["title"]


def test_bad_input_is_a_422_naming_the_field(api):
    body = problem(api.post("/companies", {"name_zh": "甲", "uscc": "91350200MA2XYZ1234"}), 422)
    assert fields(body) == {"uscc"}
    body = problem(api.post("/companies", {"name_zh": "", "name_en": ""}), 422)
    assert fields(body) == {"name_zh"}
    body = problem(api.post("/companies", {"name_zh": "甲", "colour": "red"}), 422)
    assert "colour" in fields(body)
    body = problem(api.post("/companies", {"name_zh": "甲", "fiscal_year_start_month": 13}), 422)
    assert fields(body) == {"fiscal_year_start_month"}


def test_everyone_with_a_role_reads_only_admins_write(api, rep, make_user):
    made = ok(api.post("/companies", {"name_en": "A Ltd."}), 201)
    reader = ApiClient(rep)
    page = ok(reader.get("/companies"))
    assert [c["id"] for c in page["items"]] == [made["id"]]
    assert ok(reader.get(f"/companies/{made['id']}"))["name"] == "A Ltd."
    problem(reader.post("/companies", {"name_en": "B Ltd."}), 403)
    problem(reader.patch(f"/companies/{made['id']}", {"version": 1, "name_en": "B"}), 403)
    problem(ApiClient(make_user("norole")).get("/companies"), 403)
    problem(reader.get("/companies/999999"), 404)


def test_logo_round_trip(api):
    made = ok(api.post("/companies", {"name_en": "A Ltd."}), 201)
    problem(api.get(f"/companies/{made['id']}/logo"), 404)
    with_logo = ok(api.put(f"/companies/{made['id']}/logo", {"version": 1, "content_base64": _png()}))
    assert with_logo["has_logo"] and with_logo["version"] == 2
    logo = ok(api.get(f"/companies/{made['id']}/logo"))
    assert logo["content_type"] == "image/png" and base64.b64decode(logo["content_base64"]).startswith(
        b"\x89PNG"
    )
    bad = problem(
        api.put(f"/companies/{made['id']}/logo", {"version": 2, "content_base64": "bm90IGFuIGltYWdl"}), 422
    )
    assert fields(bad) == {"logo"}
    problem(api.put(f"/companies/{made['id']}/logo", {"version": 2, "content_base64": "***"}), 422)
    removed = ok(api.delete(f"/companies/{made['id']}/logo?version=2"))
    assert not removed["has_logo"]


def test_list_pages_with_a_cursor(api, django_assert_max_num_queries):
    for i in range(5):
        ok(api.post("/companies", {"name_en": f"Co {i}"}), 201)
    first = ok(api.get("/companies", {"limit": 3}))
    assert len(first["items"]) == 3 and first["items"][0]["is_default"]
    second = ok(api.get("/companies", {"limit": 3, "cursor": first["next_cursor"]}))
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    problem(api.get("/companies", {"cursor": "garbage"}), 422)


def test_company_list_costs_the_same_for_3_and_30(api):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            ok(api.get("/companies", {"limit": 50}))
        return len(ctx.captured_queries)

    for i in range(3):
        ok(api.post("/companies", {"name_en": f"Co {i}"}), 201)
    api.get("/companies")
    few = count()
    for i in range(3, 30):
        ok(api.post("/companies", {"name_en": f"Co {i}"}), 201)
    many = count()
    assert few == many <= 6


def test_numbering_list_update_and_preview(api, admin_user, rep):
    company = make_company(admin_user, name_en="A Ltd.")
    with transaction.atomic():
        number_next(doc_type=WIDGET, company=company)
    page = ok(api.get("/numbering", {"doc_type": WIDGET}))
    item = next(i for i in page["items"] if i["company_id"] == company.pk)
    assert item["pattern"] == "WG-{YYYY}-{seq:05}" and item["last_number"].endswith("-00001")
    assert item["next_number"].endswith("-00002") and item["version"] == 0 and item["reset"] == "yearly"
    url = f"/numbering/{WIDGET}/{company.pk}"
    changed = ok(api.patch(url, {"version": 0, "pattern": "W{YYYY}{MM}-{seq:03}", "reset": "monthly"}))
    assert changed["version"] == 1 and changed["next_number"].endswith("-002")
    problem(api.patch(url, {"version": 0, "pattern": "X{YYYY}{MM}{seq}"}), 409)
    bad = problem(api.patch(url, {"version": 1, "pattern": "X{seq}", "reset": "yearly"}), 422)
    assert fields(bad) == {"pattern"}
    preview = ok(
        api.get(f"{url}/preview", {"pattern": "Q-{YYYY}-{seq:04}", "reset": "yearly", "on": "2030-05-01"})
    )
    assert preview == {"next_number": "Q-2030-0001"}
    problem(api.get(f"{url}/preview", {"pattern": "Q-{seq", "reset": "yearly"}), 422)
    problem(api.get(f"/numbering/tests.nothing/{company.pk}"), 404)
    problem(api.get(f"/numbering/{WIDGET}/999999"), 404)
    problem(ApiClient(rep).get("/numbering"), 403)
    problem(ApiClient(rep).patch(url, {"version": 1, "pattern": "X{seq}", "reset": "never"}), 403)


def test_numbering_list_pages(api, admin_user):
    for i in range(4):
        make_company(admin_user, name_en=f"Co {i}")
    seen = []
    cursor = None
    while True:
        page = ok(api.get("/numbering", {"limit": 2, **({"cursor": cursor} if cursor else {})}))
        seen += [(i["doc_type"], i["company_id"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) and (WIDGET, seen[0][1]) in seen
    problem(api.get("/numbering", {"cursor": "%%%"}), 422)
