"""The comparison's scores (selectors.comparison): every score within 0–100, the weighted score the sum of
weight × score ÷ 100, the quote lowest on every line scoring 100 on price, a quote in another currency ranked
as its converted prices would be; hand scores only on quality and custom criteria. Each hypothesis example
enters and opens its quotes inside a savepoint rolled back at the end, on one RFQ built once per test."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guanxi.core.selectors.exchange_rates import NoRateError
from guanxi.core.services.exchange_rates import exchange_rate_create
from guanxi.procurement.choices import CriterionKind
from guanxi.procurement.models import Rfq
from guanxi.procurement.selectors.comparison import comparison
from guanxi.procurement.services import awards, quotes, rfqs
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import draft, opened, published, quote

pytestmark = pytest.mark.django_db

CRITERIA = [
    {"kind": "price", "weight": 50},
    {"kind": "lead_time", "weight": 20},
    {"kind": "payment_terms", "weight": 10},
    {"kind": "quality", "weight": 20},
]
HYPO = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

price = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
offer = st.tuples(
    st.tuples(st.one_of(st.none(), price), st.one_of(st.none(), price)).filter(lambda p: p != (None, None)),
    st.tuples(st.integers(0, 60), st.integers(0, 60)),
    st.integers(0, 120),
)


def _publish(shop, criteria, parties) -> Rfq:
    rfq = draft(shop, criteria=criteria)
    for party in parties:
        rfqs.rfq_invite(
            actor=shop.buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version, supplier=party.pk
        )
    return rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=Rfq.objects.get(pk=rfq.pk).version)


def _rfq(shop) -> Rfq:
    """One published RFQ (10 000 resistors, 500 cartons; three suppliers; the criteria above) per test: the
    fixture object is the same for every example of a test."""
    if not hasattr(shop, "scoring_rfq"):
        shop.scoring_parties = [
            shop.huaqiang,
            shop.preferred,
            supplier(shop.admin, "上海评分电子有限公司", "approved"),
        ]
        shop.scoring_rfq = _publish(shop, CRITERIA, shop.scoring_parties)
    return shop.scoring_rfq


def _lowest_everywhere(table, i) -> bool:
    return all(
        row.cells[i] is not None and row.cells[i].amount == min(c.amount for c in row.cells if c is not None)
        for row in table.rows
    )


def _opened_table(shop, offers, currencies=None, rate=None):
    """Enter the offers (supplier i: prices, lead days, payment days), open, and return the comparison as
    plain values by supplier index; nothing is kept."""
    rfq = _rfq(shop)
    with transaction.atomic():
        if rate is not None:
            exchange_rate_create(
                actor=shop.admin, date=timezone.localdate(), base="USD", quote="CNY", rate=rate
            )
        for i, (party, (prices, lead, days)) in enumerate(zip(shop.scoring_parties, offers, strict=True)):
            currency = (currencies or {}).get(i, "CNY")
            prices = [None if p is None else str(p) for p in prices]
            quote(shop, rfq, party, prices, lead=lead, days=days, currency=currency)
        table = comparison(opened(shop, rfq))
        kinds = {c.pk: c.kind for c in table.criteria}
        weights = {c.pk: c.weight for c in table.criteria}
        out = {
            shop.scoring_parties.index(col.supplier): {
                "total": col.total,
                "weighted": col.weighted,
                "rank": col.rank,
                "scores": {kinds[k]: v for k, v in col.scores.items()},
                "check": sum(
                    (Decimal(weights[k]) * (v or 0) / 100 for k, v in col.scores.items()), Decimal(0)
                ),
                "lowest_everywhere": _lowest_everywhere(table, i),
            }
            for i, col in enumerate(table.columns)
        }
        transaction.set_rollback(True)
    return out


@HYPO
@given(offers=st.tuples(offer, offer, offer))
def test_scores_stay_within_0_and_100_and_the_weighted_score_adds_up(shop, offers):
    table = _opened_table(shop, offers)
    assert sorted(table) == [0, 1, 2]
    assert sorted(c["rank"] for c in table.values()) == [1, 2, 3]
    for col in table.values():
        for kind, score in col["scores"].items():
            if kind == CriterionKind.QUALITY:
                assert score is None  # not scored by hand yet: counts 0
            else:
                assert Decimal(0) <= score <= Decimal(100)
        assert Decimal(0) <= col["weighted"] <= Decimal(100)
        # Each score and the sum are rounded to 0.1: they may differ by that much, not more.
        assert abs(col["weighted"] - col["check"]) <= Decimal("0.1")
        if col["lowest_everywhere"]:
            assert col["scores"][CriterionKind.PRICE] == 100
    ranked = sorted(table.values(), key=lambda c: c["rank"])
    assert all(a["weighted"] >= b["weighted"] for a, b in zip(ranked, ranked[1:]))


@HYPO
@given(
    low=st.tuples(price, price),
    extra=st.lists(
        st.tuples(st.decimals(0, 100, places=2), st.decimals(0, 100, places=2)), min_size=2, max_size=2
    ),
    partial=st.booleans(),
)
def test_the_cheapest_complete_quote_scores_100_on_price(shop, low, extra, partial):
    """Supplier 0 is at or below the others on every line: its price score is 100, nobody's is higher."""
    offers = [(low, (5, 5), 30)]
    for i, (a, b) in enumerate(extra):
        prices = (low[0] + a, None if partial and i == 1 else low[1] + b)
        offers.append((prices, (5, 5), 30))
    table = _opened_table(shop, offers)
    assert table[0]["scores"][CriterionKind.PRICE] == 100
    assert all(c["scores"][CriterionKind.PRICE] <= 100 for c in table.values())
    assert table[0]["total"] <= min(c["total"] for i, c in table.items() if not (partial and i == 2))
    assert table[0]["weighted"] == max(c["weighted"] for c in table.values())


@HYPO
@given(
    rate=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("10"), places=4),
    usd=st.tuples(
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=2),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50"), places=2),
    ),
    others=st.tuples(offer, offer),
)
def test_a_quote_in_usd_ranks_as_its_prices_converted_to_cny(shop, rate, usd, others):
    in_usd = _opened_table(shop, [(usd, (3, 3), 30), *others], currencies={0: "USD"}, rate=rate)
    in_cny = _opened_table(shop, [((usd[0] * rate, usd[1] * rate), (3, 3), 30), *others], rate=rate)
    assert in_usd == in_cny


def test_the_price_score_follows_the_documented_formula(shop):
    """The lowest amounts of the lines quoted ÷ the supplier's amounts of them × their share of all lowest
    amounts (the lowest complete total scores highest)."""
    table = _opened_table(
        shop,
        [
            (("0.0100", "3.20"), (7, 5), 30),  # 100 + 1 600
            (("0.0090", "3.50"), (14, 14), 60),  # 90 + 1 750
            (("0.0120", None), (10, 10), 0),  # 120
        ],
    )
    scores = [table[i]["scores"] for i in range(3)]
    # lowest amounts 90 and 1 600: 1 690 / 1 700; 1 690 / 1 840; 90 / 120 × 90 / 1 690
    assert [s[CriterionKind.PRICE] for s in scores] == [Decimal("99.4"), Decimal("91.8"), Decimal("4.0")]
    # lead: ((7+1)/(7+1) + (5+1)/(5+1)) / 2; ((8/15) + (6/15)) / 2; (8/11 + 0) / 2
    assert [s[CriterionKind.LEAD_TIME] for s in scores] == [
        Decimal("100.0"),
        Decimal("46.7"),
        Decimal("36.4"),
    ]
    assert [s[CriterionKind.PAYMENT_TERMS] for s in scores] == [
        Decimal("50.0"),
        Decimal("100.0"),
        Decimal("0.0"),
    ]


def test_a_missing_rate_raises_no_rate_error(shop):
    rfq = published(shop, suppliers=[shop.huaqiang, shop.preferred])
    quote(shop, rfq, shop.huaqiang, ["0.0014", "0.45"], currency="USD")
    quote(shop, rfq, shop.preferred, ["0.0090", "3.50"])
    rfq = opened(shop, rfq)
    with pytest.raises(NoRateError) as exc:
        comparison(rfq)
    assert (exc.value.from_currency, exc.value.to_currency) == ("USD", "CNY")
    with pytest.raises(NoRateError):
        awards.rfq_award(actor=shop.buyer, rfq=rfq, version=rfq.version, award={"lines": {}}, reason="x")


def _scored(shop):
    criteria = [*CRITERIA[:3], {"kind": "custom", "name": "ESG", "weight": 20}]
    rfq = _publish(shop, criteria, [shop.huaqiang, shop.preferred])
    a = quote(shop, rfq, shop.huaqiang, ["0.0100", "3.20"])
    b = quote(shop, rfq, shop.preferred, ["0.0100", "3.20"])
    return rfq, a, b, {c.kind: c for c in rfq.criteria.all()}


def test_hand_scores_only_on_quality_and_custom_criteria(shop):
    rfq, a, b, crit = _scored(shop)
    with pytest.raises(ValidationError) as exc:  # not opened yet
        quotes.quote_scores_set(
            actor=shop.buyer, rfq=rfq, version=rfq.version, scores={a.pk: {crit["custom"].pk: 90}}
        )
    assert "state" in exc.value.message_dict
    rfq = opened(shop, rfq)
    for kind in ("price", "lead_time", "payment_terms"):
        with pytest.raises(ValidationError) as exc:
            quotes.quote_scores_set(
                actor=shop.buyer, rfq=rfq, version=rfq.version, scores={a.pk: {crit[kind].pk: 90}}
            )
        assert list(exc.value.message_dict) == [f"scores.{a.pk}.{crit[kind].pk}"]
    for bad in (101, -1, "7.5", "x"):
        with pytest.raises(ValidationError):
            quotes.quote_scores_set(
                actor=shop.buyer, rfq=rfq, version=rfq.version, scores={a.pk: {crit["custom"].pk: bad}}
            )
    rfq = quotes.quote_scores_set(
        actor=shop.buyer,
        rfq=rfq,
        version=rfq.version,
        scores={str(a.pk): {str(crit["custom"].pk): "90"}, b.pk: {crit["custom"].pk: 40}},
    )
    by = {c.quote.pk: c for c in comparison(rfq).columns}
    assert by[a.pk].scores[crit["custom"].pk] == 90 and by[b.pk].scores[crit["custom"].pk] == 40
    # Same prices, lead times and terms: the hand score decides (20 % × 50 points).
    assert by[a.pk].weighted - by[b.pk].weighted == Decimal("10.0") and by[a.pk].rank == 1
    rfq = quotes.quote_scores_set(
        actor=shop.buyer, rfq=rfq, version=rfq.version, scores={a.pk: {crit["custom"].pk: ""}}
    )
    by = {c.quote.pk: c for c in comparison(rfq).columns}
    assert by[a.pk].scores[crit["custom"].pk] is None and by[b.pk].scores[crit["custom"].pk] == 40


def test_a_dearer_quote_never_scores_100_on_price_beside_a_free_one(shop):
    table = _opened_table(
        shop, [(("0", "0"), (5, 5), 30), (("0.01", "1"), (5, 5), 30), (("0", "0"), (5, 5), 30)]
    )
    assert table[0]["scores"][CriterionKind.PRICE] == 100
    assert table[1]["scores"][CriterionKind.PRICE] < 100
