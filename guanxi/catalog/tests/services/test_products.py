from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from guanxi.catalog.models import Product
from guanxi.catalog.services import products as svc
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import AuditEntry, Currency
from guanxi.core.tests.factories import make_company

pytestmark = pytest.mark.django_db


def _errors(exc) -> dict:
    return {k: v[0] for k, v in exc.value.message_dict.items()}


def test_a_product_is_created_with_its_prices_search_text_and_audit_entry(staff):
    cat = make_category(staff.admin, "Fasteners", "紧固件")
    p = make_product(
        staff.manager,
        "GX-1001",
        "不锈钢螺丝 M3",
        "Stainless screw M3",
        category=cat.pk,
        tax_rate="vat13",
        prices=[{"currency": "CNY", "amount": "0.0350"}, {"currency": "USD", "amount": "0.01"}],
    )
    assert p.code_key == "gx-1001"
    assert {x.currency_id: x.amount for x in p.prices.all()} == {
        "CNY": Decimal("0.035"),
        "USD": Decimal("0.01"),
    }
    assert "bxgls" in p.search_doc and "buxiugangluosi" in p.search_doc and "gx1001" in p.search_doc
    assert p.unit.code == "pcs"  # the default unit
    entry = AuditEntry.objects.get(subject_type="catalog.product", subject_id=p.pk)
    assert entry.action == "create" and entry.changes["prices"] == [None, {"CNY": "0.035", "USD": "0.01"}]


def test_a_blank_code_takes_the_next_number_once_a_company_exists(staff):
    with pytest.raises(ValidationError) as exc:
        make_product(staff.manager, "", name_en="Bolt")
    assert "company" in _errors(exc)["code"]
    make_company(staff.admin)
    assert [make_product(staff.manager, "", name_en=f"Bolt {i}").code for i in range(2)] == [
        "P00001",
        "P00002",
    ]


@pytest.mark.parametrize("typed", ["gx-1001", "ＧＸ－１００１", " GX-1001 "])
def test_a_code_is_unique_whatever_its_case_and_width(staff, typed):
    make_product(staff.manager, "GX-1001", name_en="Screw")
    with pytest.raises(ValidationError) as exc:
        make_product(staff.manager, typed, name_en="Other")
    assert "code" in _errors(exc)


def test_two_writers_racing_for_one_code_get_a_message_not_a_crash(staff):
    make_product(staff.manager, "GX-1", name_en="Screw")
    with mock.patch.object(svc, "_code_taken"), pytest.raises(ValidationError) as exc:
        make_product(staff.manager, "gx-1", name_en="Racer")  # the check saw nothing: the constraint refuses
    assert "code" in _errors(exc)
    assert Product.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"prices": [{"currency": "CNY", "amount": "-1"}]}, "prices"),
        ({"prices": [{"currency": "XXX", "amount": "1"}]}, "prices"),
        ({"prices": [{"currency": "CNY", "amount": "1"}, {"currency": "cny", "amount": "2"}]}, "prices"),
        ({"prices": [{"currency": "CNY", "amount": "1.1234567"}]}, "prices"),
        ({"name_en": "", "name_zh": ""}, "name_en"),
        ({"can_sell": False, "can_buy": False}, "can_sell"),
        ({"unit": "nope"}, "unit"),
        ({"unit": "kg", "purchase_unit": "pcs"}, "purchase_unit"),
        ({"tax_rate": "vat99"}, "tax_rate"),
        ({"kind": "gadget"}, "kind"),
        ({"category": 999999}, "category"),
        ({"name_en": "a\x00b"}, "name_en"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(staff, data, field):
    with pytest.raises(ValidationError) as exc:
        svc.product_create(actor=staff.manager, data={"code": "X-1", "name_en": "Thing", **data})
    assert field in _errors(exc)
    assert not Product.objects.exists()


def test_an_update_changes_only_what_it_names_and_keeps_the_rest(staff):
    p = make_product(
        staff.manager, "GX-1", "螺丝", "Screw", description="M3", prices=[{"currency": "CNY", "amount": "1"}]
    )
    p = svc.product_update(actor=staff.buyer, product=p, version=p.version, data={"name_en": "Screw M3"})
    assert (p.name_en, p.name_zh, p.description, p.version) == ("Screw M3", "螺丝", "M3", 2)
    assert [(x.currency_id, x.amount) for x in p.prices.all()] == [("CNY", Decimal("1"))]
    entry = AuditEntry.objects.filter(subject_id=p.pk, action="update").get()
    assert entry.changes == {"name_en": ["Screw", "Screw M3"]}


def test_prices_given_replace_the_whole_set(staff):
    p = make_product(
        staff.manager,
        "GX-1",
        name_en="Screw",
        prices=[{"currency": "CNY", "amount": "1"}, {"currency": "USD", "amount": "0.2"}],
    )
    p = svc.product_update(
        actor=staff.manager,
        product=p,
        version=p.version,
        data={"prices": [{"currency": "CNY", "amount": "1.5"}]},
    )
    assert [(x.currency_id, x.amount) for x in p.prices.all()] == [("CNY", Decimal("1.5"))]


def test_a_price_in_a_currency_turned_off_later_is_kept_by_an_edit_that_does_not_name_prices(staff):
    p = make_product(staff.manager, "GX-1", name_en="Screw", prices=[{"currency": "USD", "amount": "2"}])
    Currency.objects.filter(code="USD").update(active=False)
    p = svc.product_update(actor=staff.manager, product=p, version=p.version, data={"name_en": "Bolt"})
    assert [x.currency_id for x in p.prices.all()] == ["USD"]


def test_a_stale_version_is_a_conflict(staff):
    p = make_product(staff.manager, "GX-1", name_en="Screw")
    svc.product_update(actor=staff.manager, product=p, version=1, data={"name_en": "A"})
    with pytest.raises(ConflictError):
        svc.product_update(actor=staff.buyer, product=p, version=1, data={"name_en": "B"})


def test_a_product_keeps_its_code(staff):
    p = make_product(staff.manager, "GX-1", name_en="Screw")
    with pytest.raises(ValidationError) as exc:
        svc.product_update(actor=staff.manager, product=p, version=p.version, data={"code": " "})
    assert "code" in _errors(exc)


def test_archive_and_restore_are_audited_and_idempotent(staff):
    p = make_product(staff.manager, "GX-1", name_en="Screw")
    p = svc.product_archive(actor=staff.buyer, product=p, version=p.version)
    assert p.archived_at is not None
    again = svc.product_archive(actor=staff.buyer, product=p)
    assert again.version == p.version  # nothing changed, nothing recorded
    p = svc.product_restore(actor=staff.buyer, product=p)
    assert p.archived_at is None
    actions = list(AuditEntry.objects.filter(subject_id=p.pk).order_by("id").values_list("action", flat=True))
    assert actions == ["create", "archive", "restore"]


@pytest.mark.parametrize("who", ["rep", "nobody"])
def test_only_roles_that_keep_the_catalogue_change_it(staff, who):
    p = make_product(staff.manager, "GX-1", name_en="Screw")
    actor = getattr(staff, who)
    with pytest.raises(PermissionDeniedError):
        svc.product_create(actor=actor, data={"code": "X", "name_en": "X"})
    with pytest.raises(PermissionDeniedError):
        svc.product_update(actor=actor, product=p, version=p.version, data={"name_en": "X"})
    with pytest.raises(PermissionDeniedError):
        svc.product_archive(actor=actor, product=p)


def test_unit_and_tax_codes_are_read_whatever_their_case_and_width(staff):
    p = make_product(staff.manager, "R-1", name_en="Rice", unit="ＫＧ", purchase_unit=" T ", tax_rate="VAT9")
    assert (p.unit.code, p.purchase_unit.code, p.tax_rate.code) == ("kg", "t", "vat9")
