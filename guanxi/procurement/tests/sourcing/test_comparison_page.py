"""The comparison page writes its 4,000 cells in Python (not the template language): what users typed is
escaped there, and the words are translated. The table of an opened round is kept per process for a minute
and per RFQ version: a score saved or an award shows at once, and a table is never taken for another RFQ's."""

import pytest

from guanxi.procurement.models import RfqLine
from guanxi.procurement.selectors import comparison as cmp
from guanxi.procurement.services import awards, quotes
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import opened, published, quote

pytestmark = pytest.mark.django_db

EVIL = '<img src=x onerror="alert(1)">'


HAND = [{"kind": "price", "weight": 80}, {"kind": "quality", "weight": 20}]


def _opened(shop):
    rfq = published(shop, criteria=HAND)
    quote(shop, rfq, shop.huaqiang, ["0.0123", "3.21"], lead=(7, 1))
    quote(shop, rfq, shop.preferred, ["0.0110", None])  # the cartons not quoted
    return opened(shop, rfq)


def test_what_users_typed_is_escaped_in_every_cell(client, shop):
    rfq = published(shop, suppliers=[shop.huaqiang, supplier(shop.admin, f"{EVIL}有限公司", "approved")])
    RfqLine.objects.filter(rfq=rfq).update(description=EVIL)
    for party in rfq.invitations.values_list("supplier", flat=True):
        quotes.quote_submit(
            actor=shop.buyer,
            rfq=rfq,
            supplier=party,
            data={
                "currency": "CNY",
                "lines": [{"rfq_line": ln.pk, "unit_price": "1"} for ln in rfq.lines.all()],
            },
        )
    rfq = opened(shop, rfq)
    client.force_login(shop.buyer)
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/compare/").content.decode()
    assert EVIL not in page
    # two line descriptions, the supplier in the head, and in the label of each of its two cells
    assert page.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") == 2 + 1 + 2
    assert 'name="award-' in page


def test_the_words_of_the_cells_in_chinese(client, shop):
    rfq = _opened(shop)
    client.force_login(shop.buyer)
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/compare/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="badge best">最低</span>' in page and "未报价" in page and "7 天" in page
    assert "第 1 行授予 深圳华强电子有限公司" in page
    whole = rfq.quotes.get(supplier=shop.huaqiang).pk
    rfq = awards.rfq_award(
        actor=shop.buyer, rfq=rfq, version=rfq.version, award={"whole": whole}, reason="交期更短"
    )
    page = client.get(f"/purchasing/rfqs/{rfq.pk}/compare/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'id="awarded-' in page and "定标时间" not in page


def test_a_score_saved_shows_at_once(client, shop):
    rfq = _opened(shop)
    client.force_login(shop.buyer)
    url = f"/purchasing/rfqs/{rfq.pk}/compare/"
    assert "not scored" in client.get(url).content.decode()
    hand = rfq.criteria.get(kind="quality")
    scores = {q.pk: {hand.pk: 87} for q in rfq.quotes.all()}
    rfq = quotes.quote_scores_set(actor=shop.buyer, rfq=rfq, version=rfq.version, scores=scores)
    page = client.get(url).content.decode()
    assert "not scored" not in page and 'value="87"' in page


def test_the_table_is_kept_per_version_and_for_a_minute(shop, monkeypatch):
    rfq = _opened(shop)
    first, extras = cmp.comparison_kept(rfq)
    assert cmp.comparison_kept(rfq)[0] is first
    extras["x"] = 1
    assert cmp.comparison_kept(rfq)[1] == {"x": 1}
    now = cmp.time.monotonic()
    monkeypatch.setattr(cmp.time, "monotonic", lambda: now + 61)
    again, extras = cmp.comparison_kept(rfq)
    assert again is not first and extras == {}
    hand = rfq.criteria.get(kind="quality")
    rfq = quotes.quote_scores_set(
        actor=shop.buyer, rfq=rfq, version=rfq.version, scores={rfq.quotes.first().pk: {hand.pk: 50}}
    )
    changed, _extras = cmp.comparison_kept(rfq)
    assert changed is not again
    assert 50 in [v for c in changed.columns for v in c.scores.values()]
