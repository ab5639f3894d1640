"""The reconciliation statement pages: every page renders for a buyer and an administrator in English and
Chinese; the list (empty, filtered by state and supplier); drawing one up (last month unless changed; a period
with nothing in it or backwards refused beside its field, nothing written); a statement's page with its lines,
totals and difference; sending it; the supplier's answers per line (a dispute without a note refused beside
the line, the input kept; "confirm all") until it is locked; 403 for a sales rep and who may only read, 404
for who may not see; a list whose queries do not grow with its rows."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from guanxi.catalog.tests.views.forms_support import form_data
from guanxi.procurement.models import ReconciliationStatement
from guanxi.procurement.services.statements import statement_create, statement_period_default, statement_send
from guanxi.procurement.tests.views.support import page
from guanxi.procurement.tests.views.test_invoice_pages import enter, received  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def period():
    today = timezone.localdate()
    return today.replace(day=1).isoformat(), today.isoformat()


@pytest.fixture
def statement(shop, received, period):  # noqa: F811
    """This month's: 800 resistors and 200 cartons received (¥1,808.00 + ¥678.00), 100 resistors invoiced
    (¥226.00)."""
    _o, resistor, _carton = received
    enter(shop, resistor, "100")
    return statement_create(
        actor=shop.buyer,
        data={"supplier": shop.huaqiang.pk, "period_start": period[0], "period_end": period[1]},
    )


def numbers(html: str) -> list[str]:
    return re.findall(r'<a href="/purchasing/statements/\d+/">([^<]+)</a>', html)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("who", ["buyer", "admin"])
def test_every_page_renders(client, shop, statement, who, lang):
    sent = statement_send(actor=shop.buyer, statement=statement, version=statement.version)
    client.force_login(getattr(shop, who))
    client.cookies["django_language"] = lang
    with translation.override(lang):
        title = translation.gettext("Reconciliation statements")
    for url in (reverse("procurement:statements"), reverse("procurement:statement_create"),
                sent.get_absolute_url() + "?tab=history", sent.get_absolute_url() + "?tab=attachments"):  # fmt: skip
        page(client, url)
    assert title in page(client, reverse("procurement:statements"))
    html = page(client, sent.get_absolute_url())
    assert 'id="answer-form"' in html and f'lang="{lang}"' in html


def test_the_list_empty_then_filtered(client, shop, received, period):  # noqa: F811
    client.force_login(shop.buyer)
    url = reverse("procurement:statements")
    assert "No reconciliation statements yet." in page(client, url)
    data = {"supplier": shop.huaqiang.pk, "period_start": period[0], "period_end": period[1]}
    draft = statement_create(actor=shop.buyer, data=data)
    sent = statement_create(actor=shop.buyer, data=data)
    sent = statement_send(actor=shop.buyer, statement=sent, version=sent.version)
    assert numbers(page(client, url)) == [sent.number, draft.number]
    assert numbers(page(client, url + "?state=sent")) == [sent.number]
    assert numbers(page(client, url + f"?supplier={shop.huaqiang.pk}")) == [sent.number, draft.number]
    assert "No statement matches." in page(client, url + "?state=confirmed")
    html = page(client, url + "?state=nonsense")
    assert 'role="alert"' in html and numbers(html) == []
    partial = client.get(url + "?state=sent", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="statement-results")
    assert "<html" not in partial.content.decode() and numbers(partial.content.decode()) == [sent.number]


def test_drawn_up_for_last_month_unless_changed(client, shop, received, period):  # noqa: F811
    client.force_login(shop.buyer)
    url = reverse("procurement:statement_create")
    form = form_data(page(client, url + f"?supplier={shop.huaqiang.pk}"), "statement-form")
    start, end = statement_period_default()
    assert (form["period_start"], form["period_end"], form["currency"]) == (
        start.isoformat(),
        end.isoformat(),
        "CNY",
    )
    assert form["supplier"] == str(shop.huaqiang.pk)
    resp = client.post(url, form)  # nothing happened last month
    html = resp.content.decode()
    assert resp.status_code == 200 and not ReconciliationStatement.objects.exists()
    error = re.search(r'id="period-error">([^<]*)<', html).group(1)
    assert error == "Nothing was received, returned or invoiced in this period."
    again = form_data(html, "statement-form")
    assert (again["supplier"], again["period_start"]) == (str(shop.huaqiang.pk), start.isoformat())
    again.update({"period_start": period[1], "period_end": period[0]})
    if period[0] != period[1]:  # backwards
        html = client.post(url, again).content.decode()
        assert "The period ends on or after it starts, within a year." in html
    again.update({"period_start": period[0], "period_end": period[1]})
    resp = client.post(url, again, follow=True)
    s = ReconciliationStatement.objects.get()
    html = resp.content.decode()
    assert resp.redirect_chain[-1][0] == s.get_absolute_url()
    assert f"Statement {s.number} is drawn up: check it, then send it to the supplier." in html
    assert (s.received_total, s.invoiced_total, s.difference) == (Decimal("2486"), 0, Decimal("2486"))
    for text in ("GR", "SMD resistor", "¥1,808.00", "¥678.00", "¥2,486.00", 'id="statement-send"', "Draft"):
        assert text in html, text


def test_sent_answered_line_by_line_and_locked(client, shop, statement):
    s = statement
    client.force_login(shop.buyer)
    assert (
        client.post(
            reverse("procurement:statement_action", args=[s.pk, "send"]), {"version": s.version}
        ).status_code
        == 302
    )
    s.refresh_from_db()
    html = page(client, s.get_absolute_url())
    assert s.state == "sent" and "Sent to the supplier" in html and 'id="statement-send"' not in html
    lines = list(s.lines.all())
    url = reverse("procurement:statement_action", args=[s.pk, "answer"])
    form = form_data(html, "answer-form")
    form.update(
        {
            f"answer-{lines[0].pk}": "confirmed",
            f"answer-{lines[1].pk}": "disputed",
            f"note-{lines[2].pk}": "ok",
        }
    )
    resp = client.post(url, form)
    html = resp.content.decode()
    assert resp.status_code == 200 and "Some answers need correcting: see below." in html
    row = re.search(rf'<tr id="sline-{lines[1].pk}" class="has-error">(.*?)</tr>', html, re.S).group(1)
    assert "Say what the supplier disputes." in row
    again = form_data(html, "answer-form")
    assert (again[f"answer-{lines[0].pk}"], again[f"answer-{lines[1].pk}"], again[f"note-{lines[2].pk}"]) == (
        "confirmed", "disputed", "ok")  # fmt: skip
    assert ReconciliationStatement.objects.get(pk=s.pk).version == s.version  # nothing written
    assert (
        "Confirm or dispute at least one line." in client.post(url, {"version": s.version}).content.decode()
    )
    again[f"note-{lines[1].pk}"] = "退货单未签收"
    assert client.post(url, again).status_code == 302
    s.refresh_from_db()
    html = page(client, s.get_absolute_url())
    assert s.state == "disputed" and "退货单未签收" in form_data(html, "answer-form")[f"note-{lines[1].pk}"]
    assert 'id="statement-disputed"' in html
    resp = client.post(url, {"version": s.version, "all": "confirmed"}, follow=True)
    html = resp.content.decode()
    s.refresh_from_db()
    assert (
        s.state == "confirmed"
        and s.is_locked
        and f"The supplier confirmed statement {s.number}: it is locked." in html
    )
    assert 'id="statement-locked"' in html and 'id="answer-form"' not in html
    stale = client.post(url, {"version": s.version, "all": "confirmed"}).content.decode()
    assert "A confirmed statement is locked." in stale
    assert ReconciliationStatement.objects.get(pk=s.pk).state == "confirmed"


def test_403_for_a_sales_rep_and_who_may_only_read_404_for_who_may_not_see(client, shop, statement):
    s = statement
    send = reverse("procurement:statement_action", args=[s.pk, "send"])
    client.force_login(shop.rep)
    for url in (
        reverse("procurement:statements"),
        s.get_absolute_url(),
        reverse("procurement:statement_create"),
    ):
        page(client, url, 403)
    assert client.post(send, {"version": s.version}).status_code == 403
    client.force_login(shop.executive)
    assert 'id="statement-new"' not in page(client, reverse("procurement:statements"))
    assert 'id="statement-send"' not in page(client, s.get_absolute_url())
    page(client, reverse("procurement:statement_create"), 403)
    assert client.post(send, {"version": s.version}).status_code == 403
    client.force_login(shop.buyer_west)
    page(client, s.get_absolute_url(), 404)
    assert client.post(send, {"version": s.version}).status_code == 404
    assert ReconciliationStatement.objects.get(pk=s.pk).state == "draft"


def test_list_queries_do_not_grow_with_rows(client, shop, statement, period):
    client.force_login(shop.buyer)
    counts = []
    for n in (1, 20):
        while ReconciliationStatement.objects.count() < n:
            statement_create(actor=shop.buyer, data={"supplier": shop.huaqiang.pk, "period_start": period[0],
                                                     "period_end": period[1]})  # fmt: skip
        page(client, reverse("procurement:statements"))
        with CaptureQueriesContext(connection) as ctx:
            assert len(numbers(page(client, reverse("procurement:statements")))) == n
        counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 15, counts
