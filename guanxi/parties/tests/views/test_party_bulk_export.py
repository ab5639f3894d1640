"""Bulk actions on the list, and CSV/XLSX export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from guanxi.core.roles import SALES_REP
from guanxi.parties.models import Party
from guanxi.parties.services.bulk import parties_bulk_tag
from guanxi.parties.services.tags import tag_create
from guanxi.parties.tests.factories import make_org

pytestmark = pytest.mark.django_db

BULK = reverse("parties:bulk")
BACK = "/parties/?kind=organization"


@pytest.fixture
def orgs(admin_user):
    return [make_org(admin_user, f"Bulk Co {i}") for i in range(3)]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_bulk_tag(admin_client, admin_user, orgs):
    tag = tag_create(actor=admin_user, name="Key account")
    ids = [orgs[0].pk, orgs[1].pk]
    response = admin_client.post(
        BULK, {"action": "tag", "tag": tag.pk, "ids": ids, "next": BACK}, follow=True
    )
    assert response.redirect_chain[0][0] == BACK
    assert "Tag “Key account” added to 2 records." in messages_of(response)
    assert set(tag.parties.values_list("pk", flat=True)) == set(ids)
    # Tagging again changes nothing and says so.
    response = admin_client.post(BULK, {"action": "tag", "tag": tag.pk, "ids": ids}, follow=True)
    assert "Tag “Key account” added to 0 records." in messages_of(response)
    assert any("left as they were" in m for m in messages_of(response))


def test_bulk_assign(admin_client, make_user, orgs):
    olga = make_user("olga", roles=[SALES_REP])
    response = admin_client.post(
        BULK, {"action": "assign", "owner": olga.pk, "ids": [o.pk for o in orgs]}, follow=True
    )
    assert "3 records assigned to olga." in messages_of(response)
    assert set(Party.objects.values_list("owner", flat=True)) == {olga.pk}


def test_bulk_archive(admin_client, orgs):
    response = admin_client.post(
        BULK, {"action": "archive", "ids": [orgs[2].pk], "confirmed": "1"}, follow=True
    )
    assert "1 record archived." in messages_of(response)
    assert list(Party.objects.filter(archived_at__isnull=False)) == [orgs[2]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "tag"}, "Select at least one row first."),
        ({"action": "tag", "tag": "999999"}, "Choose a tag."),
        ({"action": "assign", "owner": "nobody"}, "Choose an owner."),
        ({"action": "explode"}, "Choose an action."),
    ],
)
def test_bulk_refuses_incomplete_requests(admin_client, orgs, data, message):
    if data != {"action": "tag"}:
        data = {**data, "ids": [orgs[0].pk]}
    response = admin_client.post(BULK, data, follow=True)
    assert message in messages_of(response)
    assert Party.objects.filter(archived_at__isnull=True).count() == 3


@pytest.mark.parametrize(
    "nxt", ["https://evil.example", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_bulk_ignores_an_outside_next_url(admin_client, orgs, nxt):
    response = admin_client.post(
        BULK, {"action": "archive", "ids": [orgs[0].pk], "next": nxt, "confirmed": "1"}
    )
    assert response["Location"] == "/parties/"


def test_bulk_leaves_records_the_user_may_not_change(client, make_user, admin_user, other_team, orgs):
    rep = make_user("rep", roles=[SALES_REP])
    mine = make_org(admin_user, "Rep's Own", owner=rep)
    client.force_login(rep)
    ids = [mine.pk, *[o.pk for o in orgs]]
    response = client.post(BULK, {"action": "archive", "ids": ids, "confirmed": "1"}, follow=True)
    assert "1 record archived." in messages_of(response)
    assert any("3 selected records were left as they were" in m for m in messages_of(response))
    assert set(Party.objects.filter(archived_at__isnull=False)) == {mine}


def test_bulk_needs_post(admin_client):
    assert admin_client.get(BULK).status_code == 405


# --- export -------------------------------------------------------------------------------------


@pytest.fixture
def risky(admin_user, make_user):
    boss = make_user("boss", roles=[SALES_REP])
    boss.first_name = "=1+2"
    boss.save()
    tag = tag_create(actor=admin_user, name='=HYPERLINK("http://evil.example")')
    org = make_org(
        admin_user,
        '=HYPERLINK("http://evil.example","click")',
        short_name="+86 short",
        legal_name="@SUM(A1)",
        owner=boss,
        emails=["info@risky.example.cn"],
        address={"country": "US", "province": "-1+1", "city": "=cmd|' /C calc'!A0", "street": "x"},
    )
    parties_bulk_tag(actor=admin_user, ids=[org.pk], tag=tag)
    make_org(admin_user, "北京安全有限公司")
    return org


DANGEROUS = tuple("=+-@")


def test_csv_export(admin_client, risky):
    response = admin_client.get(reverse("parties:export", args=["csv"]), {"kind": "organization"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="guanxi-parties-')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0][:3] == ["ID", "Kind", "Name"]
    # Name order spells Chinese names in pinyin: 北京 (beijing) before =HYPERLINK (hyperlink).
    assert [r[2] for r in rows[1:]] == ["北京安全有限公司", '\'=HYPERLINK("http://evil.example","click")']
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(DANGEROUS), cell
    assert "info@risky.example.cn" in rows[2]


def test_csv_export_follows_the_filters(admin_client, risky):
    response = admin_client.get(reverse("parties:export", args=["csv"]), {"q": "北京"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:])))
    assert [r[2] for r in rows[1:]] == ["北京安全有限公司"]


def test_xlsx_export(admin_client, risky):
    response = admin_client.get(reverse("parties:export", args=["xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0][:3]] == ["ID", "Kind", "Name"]
    names = sorted(r[2].value for r in rows[1:])
    assert names == ['\'=HYPERLINK("http://evil.example","click")', "北京安全有限公司"]
    for row in rows[1:]:
        for cell in row:
            assert cell.data_type != "f", cell.value
            assert not str(cell.value or "").startswith(DANGEROUS), cell.value


def test_export_with_a_bad_filter_goes_back_with_a_message(admin_client, risky):
    response = admin_client.get(reverse("parties:export", args=["csv"]), {"role": "boss"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("parties:list")
    assert "Unknown role." in messages_of(response)


def test_export_needs_the_export_permission(client, make_user, team):
    rep = make_user("rep", roles=[SALES_REP], teams=[team])
    client.force_login(rep)
    response = client.get(reverse("parties:export", args=["csv"]))
    assert response.status_code == 403
    list_page = client.get(reverse("parties:list")).content.decode()
    assert reverse("parties:export", args=["csv"]) not in list_page
