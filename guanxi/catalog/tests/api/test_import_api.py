"""POST /api/v1/products/import: a CSV in the body; `apply: false` only checks; any bad row and nothing is
imported, with every problem given by line and column."""

import pytest

from guanxi.catalog.models import Product
from guanxi.catalog.tests.factories import make_category, make_product
from guanxi.core.models import AuditEntry
from guanxi.core.tests.api.helpers import ok, problem

pytestmark = pytest.mark.django_db

GOOD = (
    "Code,Name (English),Name (Chinese),Category,Unit,Tax rate,Can be sold,Can be bought,Price CNY\n"
    "GX-1001,Screw M4,不锈钢螺丝,Fasteners,pcs,vat13,yes,yes,0.35\n"
    "GX-1002,Nut M4,螺母,Fasteners,box12,vat13,yes,no,1.20\n"
)


@pytest.fixture
def fasteners(staff):
    return make_category(staff.manager, "Fasteners", "紧固件")


def _import(api, csv, apply):
    return ok(api.post("/products/import", {"csv": csv, "apply": apply}))


def test_a_check_changes_nothing(api_as, staff, fasteners):
    result = _import(api_as(staff.manager), GOOD, False)
    assert result == {"applied": False, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert not Product.objects.exists()
    assert not AuditEntry.objects.filter(target_type="catalog.product").exists()


def test_import_creates_products(api_as, staff, fasteners):
    api = api_as(staff.manager)
    result = _import(api, GOOD, True)
    assert result == {"applied": True, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    nut = Product.objects.get(code="GX-1002")
    assert nut.name_zh == "螺母" and nut.unit.code == "box12" and nut.category == fasteners
    assert nut.can_sell and not nut.can_buy and nut.tax_rate.code == "vat13"
    assert {p.currency_id: str(p.amount.normalize()) for p in nut.prices.all()} == {"CNY": "1.2"}
    # The same file again changes nothing.
    assert _import(api, GOOD, True) == {
        "applied": True,
        "created": 0,
        "updated": 0,
        "unchanged": 2,
        "errors": [],
    }


def test_chinese_headers_and_keys_are_read_too(api_as, staff, fasteners):
    csv = "code,name_zh,unit,category\nGX-9,垫片,pcs,紧固件\n"
    assert _import(api_as(staff.manager), csv, True)["created"] == 1
    assert Product.objects.get(code="GX-9").category == fasteners


def test_only_the_columns_in_the_file_change(api_as, staff, fasteners):
    make_product(
        staff.manager,
        "GX-1001",
        name_zh="不锈钢螺丝",
        name_en="Screw",
        description="A2-70",
        category=fasteners,
        tax_rate="vat13",
        prices=[{"currency": "CNY", "amount": "0.35"}, {"currency": "USD", "amount": "0.05"}],
    )
    result = _import(api_as(staff.manager), "Code,Price CNY\nGX-1001,0.40\n", True)
    assert result["updated"] == 1 and result["errors"] == []
    p = Product.objects.get(code="GX-1001")
    assert p.name_en == "Screw" and p.description == "A2-70" and p.category == fasteners
    assert p.tax_rate.code == "vat13"
    assert {x.currency_id: str(x.amount.normalize()) for x in p.prices.all()} == {"CNY": "0.4", "USD": "0.05"}


def test_a_bad_row_imports_nothing_and_says_where(api_as, staff, fasteners):
    csv = GOOD + (
        "GX-1003,Washer,,Fasteners,furlong,vat13,yes,no,0.10\n"  # line 4: unknown unit
        "GX-1004,Bolt,,Nowhere,pcs,vat13,yes,no,-1\n"  # line 5: unknown category, negative price
        "gx-1001,Screw again,,,pcs,,yes,no,\n"  # line 6: the code of line 2 again
    )
    api = api_as(staff.manager)
    for apply in (True, False):
        result = _import(api, csv, apply)
        assert result["applied"] is False
        where = {(e["line"], e["column"]) for e in result["errors"]}
        assert (4, "Unit") in where
        assert (5, "Category") in where
        assert (6, "Code") in where
        assert all(e["line"] not in (2, 3) for e in result["errors"])
        assert all(e["message"] for e in result["errors"])
    assert not Product.objects.exists()


def test_a_price_problem_names_the_price_column(api_as, staff, fasteners):
    result = _import(api_as(staff.manager), "Code,Name (English),Price CNY\nGX-1,Screw,abc\n", True)
    assert result["applied"] is False and [e["line"] for e in result["errors"]] == [2]
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    "csv",
    ["Colour,Size\nred,L\n", "Code,Name (English)\n", " , \n"],
)
def test_files_that_cannot_be_read_are_422(api_as, staff, csv):
    problem(api_as(staff.manager).post("/products/import", {"csv": csv, "apply": True}), 422)
    assert not Product.objects.exists()


def test_only_those_who_change_products_import(api_as, staff, fasteners):
    problem(api_as(staff.rep).post("/products/import", {"csv": GOOD, "apply": False}), 403)
    assert _import(api_as(staff.buyer), GOOD, True)["created"] == 2


def test_a_price_column_keeps_a_price_in_a_currency_no_longer_used(api_as, staff, fasteners):
    """Only the columns in the file change: a file that sets the CNY price must neither fail on nor drop the
    product's EUR price when EUR has been turned off since."""
    from guanxi.core.models import Currency
    from guanxi.core.services.money import currency_update

    make_product(
        staff.manager,
        "GX-1001",
        name_en="Screw",
        prices=[{"currency": "CNY", "amount": "0.35"}, {"currency": "EUR", "amount": "0.05"}],
    )
    eur = Currency.objects.get(code="EUR")
    currency_update(actor=staff.admin, currency=eur, version=eur.version, active=False)
    result = _import(api_as(staff.manager), "Code,Price CNY\nGX-1001,0.40\n", True)
    assert result["errors"] == [] and result["updated"] == 1
    p = Product.objects.get(code="GX-1001")
    assert {x.currency_id: str(x.amount.normalize()) for x in p.prices.all()} == {"CNY": "0.4", "EUR": "0.05"}
