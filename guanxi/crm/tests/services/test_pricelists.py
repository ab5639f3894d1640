"""Price lists (价目表) through their services: create with items, per-row errors (a product that may not be
sold, negative or malformed numbers, a break given twice), update with the version seen (a stale one is a
conflict), one default per currency, archive and restore, customer assignment (who may, and a list for one
customer goes to that customer only), the audit entries, and who may manage lists at all."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from guanxi.core.models import AuditEntry
from guanxi.crm.models import CustomerPriceList, PriceList, PriceListItem
from guanxi.crm.selectors.pricelists import (
    PriceListFilters,
    customer_price_list,
    pricelist_get,
    pricelist_list,
)
from guanxi.crm.services import pricelists as svc
from guanxi.crm.tests.pricing_support import make_list

pytestmark = pytest.mark.django_db
D = Decimal


def refused(change, error=ValidationError) -> dict:
    with pytest.raises(error) as exc:
        change()
    return getattr(exc.value, "message_dict", {})


def items_of(pl) -> list:
    return [
        (x.product.code, x.min_quantity, x.unit_price)
        for x in pl.items.order_by("product__code", "min_quantity")
    ]


def test_a_manager_creates_a_list_with_quantity_breaks_and_it_is_audited(world, goods):
    pl = make_list(
        world.manager,
        (goods.switch, 0, "3800"),
        (goods.switch, 10, "3500.5"),
        (goods.cable, 0, "0.0035"),
        name_zh="经销价",
        valid_from="2026-01-01",
        valid_until="2026-12-31",
        note="含税",
    )
    assert (pl.name_en, pl.name_zh, pl.currency_id, pl.version) == ("Trade prices", "经销价", "CNY", 1)
    assert str(pl.valid_from) == "2026-01-01" and str(pl.valid_until) == "2026-12-31" and pl.note == "含税"
    assert items_of(pl) == [("CAB-5", 0, D("0.0035")), ("SW-48", 0, 3800), ("SW-48", 10, D("3500.5"))]
    entry = AuditEntry.objects.get(subject_type="crm.pricelist", subject_id=pl.pk)
    assert entry.action == "create" and "SW-48 ≥10: 3500.5" in entry.changes["items"][1]
    assert entry.changes["currency"][1] == "CNY"


def test_every_bad_row_is_named_at_once_and_nothing_is_stored(world, goods):
    rows = [
        {"product": goods.switch.pk, "min_quantity": "0", "unit_price": "-1"},
        {"product": goods.part.pk, "min_quantity": "0", "unit_price": "5"},  # only bought
        {"product": goods.switch.pk, "min_quantity": "1.23456", "unit_price": "abc"},
        {"product": goods.cable.pk, "min_quantity": "5", "unit_price": "1"},
        {"product": goods.cable.pk, "min_quantity": "5.000", "unit_price": "2"},  # the same break again
        {"product": "99999999999999999999", "min_quantity": "", "unit_price": ""},
        {"product": goods.cable.pk, "min_quantity": "-2", "unit_price": "1.1234567"},
    ]
    errors = refused(
        lambda: svc.pricelist_create(
            actor=world.manager, data={"name_en": "Bad", "currency": "CNY", "items": rows}
        )
    )
    assert set(errors) == {
        "items[0].unit_price",
        "items[1].product",
        "items[2].min_quantity",
        "items[2].unit_price",
        "items[4].min_quantity",
        "items[5].product",
        "items[5].unit_price",
        "items[6].min_quantity",
        "items[6].unit_price",
    }
    assert "Row 4" in errors["items[4].min_quantity"][0]
    assert not PriceList.objects.exists() and not PriceListItem.objects.exists()


def test_header_checks(world, goods):
    errors = refused(
        lambda: svc.pricelist_create(
            actor=world.manager,
            data={"currency": "XXX", "valid_from": "2026-05-01", "valid_until": "2026-04-30", "customer": 0},
        )
    )
    assert {"name_en", "currency", "valid_until"} <= set(errors)
    errors = refused(
        lambda: svc.pricelist_create(
            actor=world.manager,
            data={"name_en": "X", "currency": "CNY", "customer": world.huawei.pk, "is_default": True},
        )
    )
    assert set(errors) == {"is_default"}


def test_update_needs_the_version_seen_and_replaces_the_whole_set_of_items(world, goods):
    pl = make_list(world.manager, (goods.switch, 0, "3800"), (goods.switch, 10, "3500"))
    pl = svc.pricelist_update(
        actor=world.manager,
        price_list=pl,
        version=1,
        data={"name_zh": "经销价", "items": [{"product": goods.cable.pk, "unit_price": "18"}]},
    )
    assert pl.version == 2 and pl.name_zh == "经销价" and items_of(pl) == [("CAB-5", 0, 18)]
    refused(
        lambda: svc.pricelist_update(actor=world.manager, price_list=pl, version=1, data={}), ConflictError
    )
    same = svc.pricelist_update(actor=world.manager, price_list=pl, version=2, data={"name_zh": "经销价"})
    assert same.version == 2  # nothing changed, no new version
    updates = AuditEntry.objects.filter(subject_type="crm.pricelist", subject_id=pl.pk, action="update")
    assert updates.count() == 1 and set(updates.get().changes) == {"name_zh", "items"}


def test_one_default_per_currency_and_restore_checks_it_again(world, goods):
    cny = make_list(world.manager, name="List price", is_default=True)
    errors = refused(lambda: make_list(world.manager, name="Other", is_default=True))
    assert "List price" in errors["is_default"][0]
    assert make_list(world.manager, name="Dollar list", currency="USD", is_default=True).is_default
    svc.pricelist_archive(actor=world.manager, price_list=cny)
    second = make_list(
        world.manager, name="New list price", is_default=True
    )  # the archived one is out of use
    errors = refused(lambda: svc.pricelist_archive(actor=world.manager, price_list=cny, archived=False))
    assert "New list price" in errors["is_default"][0]
    svc.pricelist_archive(actor=world.manager, price_list=second)
    restored = svc.pricelist_archive(actor=world.manager, price_list=cny, archived=False)
    assert restored.archived_at is None and restored.version == 3
    actions = list(
        AuditEntry.objects.filter(subject_type="crm.pricelist", subject_id=cny.pk).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["archive", "create", "restore"]


def test_only_those_who_manage_price_lists_change_them(world, goods):
    pl = make_list(world.manager, (goods.switch, 0, "3800"))
    for user in (world.rep, world.marketing, world.buyer):
        refused(lambda u=user: make_list(u, name="Mine"), PermissionDeniedError)
        refused(lambda u=user: svc.pricelist_archive(actor=u, price_list=pl), PermissionDeniedError)
    assert make_list(world.admin, name="By the administrator").pk


def test_reps_see_general_lists_and_those_of_customers_they_reach(world, goods):
    general = make_list(world.manager, name="General")
    huawei = make_list(world.manager, name="Huawei", customer=world.huawei.pk)
    west = make_list(world.admin, name="West", customer=world.west_co.pk)

    def names(user):
        return {pl.name for pl in pricelist_list(actor=user, filters=PriceListFilters())}

    assert names(world.rep) == {"General", "Huawei"}
    assert names(world.rep_west) == {"General", "West"}
    assert names(world.manager) >= {"General", "Huawei"}
    assert pricelist_get(actor=world.rep, pk=huawei.pk) == huawei
    refused(lambda: pricelist_get(actor=world.rep, pk=west.pk), NotFoundError)
    refused(lambda: pricelist_list(actor=world.service, filters=PriceListFilters()), PermissionDeniedError)
    assert general.customer is None


def test_assigning_a_customer_its_list(world, goods):
    general = make_list(world.manager, name="General")
    own = make_list(world.manager, name="Huawei only", customer=world.huawei.pk)
    west = make_list(world.admin, name="West only", customer=world.west_co.pk)
    svc.customer_price_list_set(actor=world.rep, party=world.huawei, price_list=general.pk)
    assert customer_price_list(party=world.huawei) == general
    svc.customer_price_list_set(actor=world.rep, party=world.huawei, price_list=own)
    assert customer_price_list(party=world.huawei) == own
    # a list for another customer: hidden from this rep, and refused even to the manager who sees it
    assert "price_list" in refused(
        lambda: svc.customer_price_list_set(actor=world.rep, party=world.huawei, price_list=west.pk)
    )
    errors = refused(
        lambda: svc.customer_price_list_set(actor=world.admin, party=world.huawei, price_list=west.pk)
    )
    assert errors["price_list"] == ["This price list is for another customer only."]
    # who may not change the customer: West's rep cannot even see it; the executive only reads
    refused(
        lambda: svc.customer_price_list_set(actor=world.rep_west, party=world.huawei, price_list=general.pk),
        NotFoundError,
    )
    refused(
        lambda: svc.customer_price_list_set(actor=world.executive, party=world.huawei, price_list=None),
        PermissionDeniedError,
    )
    svc.pricelist_archive(actor=world.manager, price_list=general)
    assert refused(
        lambda: svc.customer_price_list_set(actor=world.rep, party=world.huawei, price_list=general.pk)
    ) == {"price_list": ["Choose a price list in use."]}
    svc.customer_price_list_set(actor=world.rep, party=world.huawei, price_list=None)
    assert customer_price_list(party=world.huawei) is None and not CustomerPriceList.objects.exists()
    changes = [
        e.changes["price_list"]
        for e in AuditEntry.objects.filter(subject_type="parties.party", subject_id=world.huawei.pk)
        .filter(changes__has_key="price_list")
        .order_by("id")
    ]
    assert changes == [[None, "General"], ["General", "Huawei only"], ["Huawei only", None]]


def test_a_customer_specific_list_keeps_to_its_customer(world, goods):
    pl = make_list(world.manager, name="Anyone")
    svc.customer_price_list_set(actor=world.admin, party=world.west_co, price_list=pl)
    errors = refused(
        lambda: svc.pricelist_update(
            actor=world.manager, price_list=pl, version=1, data={"customer": world.huawei.pk}
        )
    )
    assert set(errors) == {"customer"}
