"""/api/v1/products, /product-categories, /units: parse, call a selector or service, return. The same rules
as the web pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from guanxi.catalog.api.schemas import (
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    Id,
    ProductImportIn,
    ProductImportOut,
    ProductIn,
    ProductOut,
    ProductPage,
    ProductPatch,
    ProductQuery,
    ProductVersionIn,
    UnitConversionOut,
    UnitConvertQuery,
    UnitIn,
    UnitOut,
    UnitPatch,
)
from guanxi.catalog.models import Category, Product, Unit
from guanxi.catalog.selectors import catalog as sel
from guanxi.catalog.services import imports, setup
from guanxi.catalog.services import products as svc
from guanxi.core.api.errors import STD, responses
from guanxi.core.exceptions import NotFoundError
from guanxi.core.pagination import keyset_page
from guanxi.core.tables import read_table
from guanxi.core.text import fold

router = Router(tags=["catalogue"])


def _ref(obj, code: str | None = None) -> dict | None:
    if obj is None:
        return None
    return {"id": obj.pk, "code": code if code is not None else obj.code, "name": obj.name}


def product_json(p: Product, paths: dict[int, str]) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "kind": p.kind,
        "name": p.name,
        "name_en": p.name_en,
        "name_zh": p.name_zh,
        "description": p.description,
        "category": _ref(p.category, paths.get(p.category_id, "")) if p.category_id else None,
        "unit": _ref(p.unit),
        "purchase_unit": _ref(p.purchase_unit),
        "tax_rate": _ref(p.tax_rate),
        "can_sell": p.can_sell,
        "can_buy": p.can_buy,
        "prices": [
            {"currency": x.currency_id, "amount": f"{x.amount.normalize():f}"} for x in p.prices.all()
        ],
        "archived": p.archived_at is not None,
        "approval_status": p.approval_status,
        "version": p.version,
        "url": p.get_absolute_url(),
    }


def _one(actor, product: Product) -> dict:
    return product_json(sel.product_get(actor=actor, pk=product.pk), sel.category_paths())


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@router.get("/products", response={200: ProductPage, **responses(*STD)})
def products_list(request, query: Query[ProductQuery]):
    """Products by name (or by relevance when searching `q`: exact code first, then codes and names that
    start with it, then the rest); filters as in the list."""
    filters = sel.ProductFilters(
        q=query.q.strip(),
        category=query.category,
        kind=query.kind or "",
        sold=_yes_no(query.sold),
        bought=_yes_no(query.bought),
        state=query.state,
        sort=query.sort or "",
    )
    results = sel.product_results(actor=request.user, filters=filters)
    qs = sel.product_rows(results.qs, full=True)
    page = keyset_page(qs, ordering=results.ordering, cursor=query.cursor, limit=query.limit)
    paths = sel.category_paths()
    return {
        "items": [product_json(p, paths) for p in page.items],
        "truncated": results.truncated,
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


def _product_data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    if "category_id" in data:
        data["category"] = data.pop("category_id")
    data.pop("version", None)
    for key in ("kind", "name_en", "name_zh", "description", "can_sell", "can_buy", "prices", "code", "unit"):
        if key in data and data[key] is None:
            data.pop(key)  # null: not given, where the field cannot be empty
    return data


@router.post("/products", response={201: ProductOut, **responses(*STD, 409)})
def products_create(request, payload: ProductIn):
    product = svc.product_create(actor=request.user, data=_product_data(payload, exclude_unset=False))
    return Status(201, _one(request.user, product))


@router.post("/products/import", response={200: ProductImportOut, **responses(*STD)})
def products_import(request, payload: ProductImportIn):
    """Import a CSV (the columns of the list's export, in English or Chinese): a row with an existing code
    changes that product, others add one. All rows or none; `apply: false` only checks."""
    rows = read_table(payload.csv.encode("utf-8"), "products.csv")
    result = imports.product_import(actor=request.user, rows=rows, dry_run=not payload.apply)
    return {
        "applied": result.kept,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in result.errors],
    }


@router.get("/products/{id}", response={200: ProductOut, **responses(*STD)})
def products_get(request, id: Id):
    return _one(request.user, sel.product_get(actor=request.user, pk=id))


@router.patch("/products/{id}", response={200: ProductOut, **responses(*STD, 409)})
def products_update(request, id: Id, payload: ProductPatch):
    product = sel.product_get(actor=request.user, pk=id)
    data = _product_data(payload, exclude_unset=True)
    product = svc.product_update(actor=request.user, product=product, version=payload.version, data=data)
    return _one(request.user, product)


@router.post("/products/{id}/archive", response={200: ProductOut, **responses(*STD, 409)})
def products_archive(request, id: Id, payload: ProductVersionIn):
    product = sel.product_get(actor=request.user, pk=id)
    return _one(
        request.user, svc.product_archive(actor=request.user, product=product, version=payload.version)
    )


@router.post("/products/{id}/restore", response={200: ProductOut, **responses(*STD, 409)})
def products_restore(request, id: Id, payload: ProductVersionIn):
    product = sel.product_get(actor=request.user, pk=id)
    return _one(
        request.user, svc.product_restore(actor=request.user, product=product, version=payload.version)
    )


@router.post("/products/{id}/submit", response={200: ProductOut, **responses(*STD, 409)})
def products_submit(request, id: Id):
    """Submit a new (or rejected) product for approval; see its `approval_status` (pending, or approved when
    the matching rule needs no approval). No rule applies: 422, and the administrators are told."""
    product = sel.product_get(actor=request.user, pk=id)
    svc.product_submit(
        actor=request.user, product=product
    )  # a setup problem is recorded by the error handler
    return _one(request.user, product)


# Categories ------------------------------------------------------------------------------------------------


def category_json(c: Category, paths: dict[int, str]) -> dict:
    return {
        "id": c.pk,
        "name": c.name,
        "name_en": c.name_en,
        "name_zh": c.name_zh,
        "parent_id": c.parent_id,
        "path": paths.get(c.pk, c.name),
        "depth": c.depth,
        "active": c.active,
        "version": c.version,
    }


@router.get("/product-categories", response={200: list[CategoryOut], **responses(*STD)})
def product_categories_list(request):
    """The whole tree, depth first, siblings by name."""
    paths = sel.category_paths()
    return [category_json(c, paths) for c in sel.category_tree(actor=request.user)]


def _category_data(payload, *, exclude_unset: bool) -> dict:
    data = payload.dict(exclude_unset=exclude_unset)
    data.pop("version", None)
    if "parent_id" in data:
        data["parent"] = data.pop("parent_id")
    for key in ("name_en", "name_zh", "active"):
        if key in data and data[key] is None:
            data.pop(key)
    return data


@router.post("/product-categories", response={201: CategoryOut, **responses(*STD)})
def product_categories_create(request, payload: CategoryIn):
    category = setup.category_create(actor=request.user, data=_category_data(payload, exclude_unset=False))
    return Status(201, category_json(category, sel.category_paths()))


@router.patch("/product-categories/{id}", response={200: CategoryOut, **responses(*STD, 409)})
def product_categories_update(request, id: Id, payload: CategoryPatch):
    category = sel.category_get(actor=request.user, pk=id)
    category = setup.category_update(
        actor=request.user,
        category=category,
        version=payload.version,
        data=_category_data(payload, exclude_unset=True),
    )
    return category_json(category, sel.category_paths())


# Units ------------------------------------------------------------------------------------------------------


def unit_json(u: Unit) -> dict:
    return {
        "id": u.pk,
        "code": u.code,
        "name": u.name,
        "name_en": u.name_en,
        "name_zh": u.name_zh,
        "category": u.category.code,
        "factor": f"{u.factor.normalize():f}",
        "decimal_places": u.decimal_places,
        "active": u.active,
        "version": u.version,
    }


@router.get("/units", response={200: list[UnitOut], **responses(*STD)})
def units_list(request):
    """Every unit, by category, the reference unit (factor 1) first."""
    return [unit_json(u) for u in sel.unit_list(actor=request.user)]


@router.get("/units/convert", response={200: UnitConversionOut, **responses(*STD)})
def units_convert(request, query: Query[UnitConvertQuery]):
    """`quantity` in `from` expressed in `to` (2 box12 → 24 pcs). Units that measure different things: 422."""
    source = _unit_by_code(request.user, query.from_, "from")
    target = _unit_by_code(request.user, query.to, "to")
    exact = sel.convert(query.quantity, source, target, rounded=False)
    rounded = sel.convert(query.quantity, source, target)
    return {
        "quantity": query.quantity,
        "from_unit": source.code,
        "to_unit": target.code,
        "result": f"{rounded:f}",
        "exact": f"{exact.normalize():f}",
    }


def _unit_by_code(actor, code: str, field: str) -> Unit:
    try:
        return sel.unit_get(actor=actor, code=fold(code))
    except NotFoundError:
        raise ValidationError({field: _("Unknown unit: %(code)s") % {"code": code}}) from None


@router.post("/units", response={201: UnitOut, **responses(*STD)})
def units_create(request, payload: UnitIn):
    return Status(201, unit_json(setup.unit_create(actor=request.user, data=payload.dict())))


@router.patch("/units/{id}", response={200: UnitOut, **responses(*STD, 409)})
def units_update(request, id: Id, payload: UnitPatch):
    unit = sel.unit_get(actor=request.user, pk=id)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None and k != "version"}
    return unit_json(setup.unit_update(actor=request.user, unit=unit, version=payload.version, data=data))
