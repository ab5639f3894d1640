"""What an RFQ and a quote refuse, with the field the message belongs to: late and uninvited quotes, blocked
and unapproved suppliers, criteria that do not add up to 100 % or leave out price, quantities and prices out
of range, publishing an RFQ with nothing to quote on or nobody to ask."""

import pytest
from django.core.exceptions import ValidationError

from guanxi.procurement.choices import CriterionKind, QuoteState, RfqState
from guanxi.procurement.models import Rfq, RfqInvitation, RfqLine, SupplierQuote
from guanxi.procurement.services import quotes, rfqs
from guanxi.procurement.tests.conftest import supplier
from guanxi.procurement.tests.sourcing.support import draft, later, past_deadline, published, quote

pytestmark = pytest.mark.django_db


def _errors(exc) -> dict:
    return exc.value.message_dict


def _invite(shop, rfq, party, reason=""):
    rfq = Rfq.objects.get(pk=rfq.pk)
    return rfqs.rfq_invite(actor=shop.buyer, rfq=rfq, version=rfq.version, supplier=party.pk, reason=reason)


def test_a_late_quote_is_refused(shop):
    rfq = past_deadline(published(shop))
    with pytest.raises(ValidationError) as exc:
        quote(shop, rfq, shop.huaqiang, ["0.01", "3"])
    assert "late quotes" in _errors(exc)["state"][0]
    assert not SupplierQuote.objects.filter(rfq=rfq).exists()


def test_quotes_are_taken_only_while_open(shop):
    rfq = draft(shop)
    with pytest.raises(ValidationError) as exc:
        quote(shop, rfq, shop.huaqiang, ["0.01", "3"])
    assert "state" in _errors(exc)


def test_a_quote_of_a_supplier_not_invited_is_refused(shop):
    rfq = published(shop, suppliers=[shop.huaqiang])
    with pytest.raises(ValidationError) as exc:
        quote(shop, rfq, shop.preferred, ["0.01", "3"])
    assert "not invited" in _errors(exc)["supplier"][0]


def test_a_blocked_supplier_is_never_invited(shop):
    rfq = draft(shop)
    for reason in ("", "the only maker of this part"):
        with pytest.raises(ValidationError) as exc:
            _invite(shop, rfq, shop.blocked, reason)
        assert "blocked" in " ".join(_errors(exc).get("supplier", [])).lower()
    assert not RfqInvitation.objects.filter(rfq=rfq).exists()


def test_a_candidate_supplier_is_invited_only_with_a_reason_which_is_kept(shop):
    rfq = draft(shop)
    with pytest.raises(ValidationError) as exc:
        _invite(shop, rfq, shop.candidate)
    assert "give a reason" in _errors(exc)["supplier"][0]
    inv = _invite(shop, rfq, shop.candidate, "sample approved by QA")
    assert inv.override_reason == "sample approved by QA"
    # An approved supplier needs no reason, and a reason given anyway is not kept as an override.
    assert _invite(shop, rfq, shop.huaqiang, "habit").override_reason == ""
    with pytest.raises(ValidationError) as exc:
        _invite(shop, rfq, shop.huaqiang)
    assert "invited already" in _errors(exc)["supplier"][0]


@pytest.mark.parametrize(
    ("criteria", "key", "words"),
    [
        ([{"kind": "price", "weight": 60}, {"kind": "lead_time", "weight": 30}], "criteria", "90%"),
        ([{"kind": "price", "weight": 70}, {"kind": "quality", "weight": 40}], "criteria", "110%"),
        ([{"kind": "lead_time", "weight": 50}, {"kind": "quality", "weight": 50}], "criteria", "Price"),
        ([{"kind": "price", "weight": 0}, {"kind": "quality", "weight": 100}], "criteria[0].weight", ""),
        ([{"kind": "price", "weight": 50}, {"kind": "price", "weight": 50}], "criteria[1].kind", "twice"),
        ([{"kind": "price", "weight": 50}, {"kind": "custom", "weight": 50}], "criteria[1].name", ""),
        ([{"kind": "cost", "weight": 100}], "criteria[0].kind", ""),
    ],
)
def test_criteria_add_up_to_100_and_include_price(shop, criteria, key, words):
    with pytest.raises(ValidationError) as exc:
        draft(shop, criteria=criteria)
    assert key in _errors(exc) and words in _errors(exc)[key][0]
    assert not Rfq.objects.exists()


def test_good_criteria_are_stored_and_the_default_is_price_lead_time_payment(shop):
    rfq = draft(
        shop,
        criteria=[
            {"kind": "price", "weight": 50},
            {"kind": "quality", "weight": 30},
            {"kind": "custom", "name": "ESG", "weight": 20},
        ],
    )
    assert [(c.kind, c.name, c.weight) for c in rfq.criteria.all()] == [
        ("price", "", 50),
        ("quality", "", 30),
        ("custom", "ESG", 20),
    ]
    default = draft(shop)
    assert [(c.kind, c.weight) for c in default.criteria.all()] == [
        (CriterionKind.PRICE, 70),
        (CriterionKind.LEAD_TIME, 15),
        (CriterionKind.PAYMENT_TERMS, 15),
    ]


@pytest.mark.parametrize("quantity", ["0", "-5", "0.0001", "abc"])
def test_a_line_quantity_must_be_above_zero(shop, quantity):
    with pytest.raises(ValidationError) as exc:
        draft(
            shop,
            lines=[
                {"description": "M3 screws", "quantity": "100"},
                {"description": "x", "quantity": quantity},
            ],
        )
    assert list(_errors(exc)) == ["lines[1].quantity"]


def test_an_rfq_without_lines_or_title_or_future_deadline_is_refused_whole(shop):
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_create(actor=shop.buyer, data={"title": "", "deadline": "2001-01-01T10:00", "lines": []})
    assert {"title", "deadline", "lines"} <= set(_errors(exc))


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ({"unit_price": "-0.01"}, "lines[0].unit_price"),
        ({"unit_price": "abc"}, "lines[0].unit_price"),
        ({"unit_price": "0.1234567"}, "lines[0].unit_price"),
        ({"unit_price": "1", "lead_days": "-1"}, "lines[0].lead_days"),
        ({"unit_price": "1", "rfq_line": 0}, "lines[0].rfq_line"),
    ],
)
def test_bad_quote_lines_are_refused_with_their_field(shop, line, key):
    rfq = published(shop, suppliers=[shop.huaqiang])
    first = rfq.lines.order_by("position").first()
    data = {"currency": "CNY", "lines": [{"rfq_line": first.pk, "lead_days": 3, **line}]}
    with pytest.raises(ValidationError) as exc:
        quotes.quote_submit(actor=shop.buyer, rfq=rfq, supplier=shop.huaqiang.pk, data=data)
    assert key in _errors(exc)
    assert not SupplierQuote.objects.filter(rfq=rfq).exists()


def test_a_quote_with_no_price_or_bad_terms_is_refused(shop):
    rfq = published(shop, suppliers=[shop.huaqiang])
    first = rfq.lines.order_by("position").first()
    data = {
        "currency": "XYZ",
        "payment_days": "400",
        "valid_until": "2001-01-01",
        "lines": [{"rfq_line": first.pk, "unit_price": ""}],
    }
    with pytest.raises(ValidationError) as exc:
        quotes.quote_submit(actor=shop.buyer, rfq=rfq, supplier=shop.huaqiang.pk, data=data)
    assert {"currency", "payment_days", "valid_until"} <= set(_errors(exc))
    with pytest.raises(ValidationError) as exc:
        quotes.quote_submit(actor=shop.buyer, rfq=rfq, supplier=shop.huaqiang.pk, data={"lines": []})
    assert "lines" in _errors(exc)


def test_publishing_needs_suppliers_and_lines(shop):
    rfq = draft(shop)
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert "supplier" in _errors(exc)
    _invite(shop, rfq, shop.huaqiang)
    RfqLine.objects.filter(rfq=rfq).delete()
    rfq = Rfq.objects.get(pk=rfq.pk)
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert list(_errors(exc)) == ["lines"]
    assert Rfq.objects.get(pk=rfq.pk).state == RfqState.DRAFT


def test_a_draft_cannot_drop_all_its_lines(shop):
    rfq = draft(shop)
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_update(actor=shop.buyer, rfq=rfq, version=rfq.version, data={"lines": []})
    assert "lines" in _errors(exc)
    assert rfq.lines.count() == 2


def test_publishing_after_the_deadline_is_refused(shop):
    rfq = draft(shop)
    _invite(shop, rfq, shop.huaqiang)
    rfq = past_deadline(rfq)
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_publish(actor=shop.buyer, rfq=rfq, version=rfq.version)
    assert "deadline" in _errors(exc)


def test_the_deadline_only_moves_later(shop):
    rfq = published(shop, suppliers=[shop.huaqiang])
    with pytest.raises(ValidationError) as exc:
        rfqs.rfq_extend(actor=shop.buyer, rfq=rfq, version=rfq.version, deadline=later(1))
    assert "deadline" in _errors(exc)
    rfq = rfqs.rfq_extend(actor=shop.buyer, rfq=rfq, version=rfq.version, deadline=later(96))
    assert rfq.state == RfqState.OPEN


def test_a_decline_is_an_answer_and_a_quote_after_it_clears_it(shop):
    third = supplier(shop.admin, "上海第四电子有限公司", "approved")
    rfq = published(shop, suppliers=[shop.huaqiang, third])
    inv = quotes.quote_decline(actor=shop.buyer, rfq=rfq, supplier=third.pk, reason="capacity full")
    assert inv.declined_at is not None and inv.decline_reason == "capacity full"
    quote(shop, rfq, third, ["0.01", "3"])
    inv.refresh_from_db()
    assert inv.declined_at is None and inv.decline_reason == "" and inv.answered_at is not None
    with pytest.raises(ValidationError) as exc:
        quotes.quote_decline(actor=shop.buyer, rfq=rfq, supplier=third.pk)
    assert "has quoted" in _errors(exc)["supplier"][0]
    assert SupplierQuote.objects.get(rfq=rfq, supplier=third).state == QuoteState.SEALED


def test_a_line_quoted_twice_or_from_another_rfq_is_refused(shop):
    rfq = published(shop, suppliers=[shop.huaqiang])
    other = draft(shop)
    first = rfq.lines.order_by("position").first()
    foreign = other.lines.order_by("position").first()
    for lines, key in (
        (
            [{"rfq_line": first.pk, "unit_price": "1"}, {"rfq_line": first.pk, "unit_price": "2"}],
            "lines[1].rfq_line",
        ),
        ([{"rfq_line": foreign.pk, "unit_price": "1"}], "lines[0].rfq_line"),
    ):
        with pytest.raises(ValidationError) as exc:
            quotes.quote_submit(actor=shop.buyer, rfq=rfq, supplier=shop.huaqiang.pk, data={"lines": lines})
        assert list(_errors(exc)) == [key]
    assert not SupplierQuote.objects.filter(rfq=rfq).exists()


def test_a_supplier_may_be_invited_while_open_but_not_after_the_deadline(shop):
    rfq = published(shop, suppliers=[shop.huaqiang])
    assert _invite(shop, rfq, shop.preferred).supplier == shop.preferred
    quote(shop, Rfq.objects.get(pk=rfq.pk), shop.preferred, ["0.01", "3"])
    past_deadline(rfq)
    with pytest.raises(ValidationError) as exc:
        _invite(shop, rfq, shop.candidate, "late addition")
    assert "deadline" in _errors(exc)["supplier"][0]
