"""API shapes for the catalogue. Input schemas bound every field and refuse unknown ones. Every name starts
with "Product", "Category" or "Unit": the OpenAPI document has one namespace for the shapes of all apps."""

from __future__ import annotations

from typing import Annotated, Literal

from ninja import Field, Schema

from guanxi.catalog.choices import ApprovalState, ProductKind
from guanxi.core.api.schemas import InputSchema

Id = Annotated[int, Field(ge=1, le=2**53)]
Amount = Annotated[str, Field(max_length=30, examples=["12.50"], description="A decimal number as text")]
Currency3 = Annotated[str, Field(min_length=3, max_length=3, examples=["CNY"])]


class ProductPriceIO(Schema):
    currency: Currency3
    amount: Amount


class ProductRef(Schema):
    id: int
    code: str
    name: str


class ProductOut(Schema):
    id: int
    code: str
    kind: ProductKind
    name: str = Field(description="In the caller's language, else the other one")
    name_en: str
    name_zh: str
    description: str
    category: ProductRef | None = Field(
        description="Its `code` is the path from the top: Electronics / Resistors"
    )
    unit: ProductRef
    purchase_unit: ProductRef | None
    tax_rate: ProductRef | None
    can_sell: bool
    can_buy: bool
    prices: list[ProductPriceIO]
    archived: bool
    approval_status: ApprovalState = Field(description="Documents may use approved products only")
    version: int
    url: str


class ProductPage(Schema):
    items: list[ProductOut]
    truncated: bool = Field(description="A search keeps its best 200 matches: more matched")
    next_cursor: str | None
    prev_cursor: str | None


class ProductQuery(Schema):
    q: Annotated[str, Field(max_length=100, description="Code, name, pinyin or initials")] = ""
    category: Id | None = Field(None, description="This category and those below it")
    kind: ProductKind | None = None
    sold: bool | None = None
    bought: bool | None = None
    state: Literal["active", "archived", "all"] = "active"
    sort: Literal["relevance", "name", "-name", "code", "-code", "-updated"] | None = None
    cursor: Annotated[str, Field(max_length=500)] | None = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


_UNIT = "A unit's id or code (pcs, kg)"
_TAX = "A tax rate's id or code (vat13)"


class ProductIn(InputSchema):
    """A product or service. Without `code` it takes the next number."""

    code: Annotated[str, Field(max_length=64)] = ""
    kind: ProductKind = ProductKind.PRODUCT
    name_en: Annotated[str, Field(max_length=200)] = ""
    name_zh: Annotated[str, Field(max_length=200)] = ""
    description: Annotated[str, Field(max_length=5000)] = ""
    category_id: Id | None = None
    unit: Annotated[str, Field(max_length=20, description=_UNIT)] | None = None
    purchase_unit: Annotated[str, Field(max_length=20, description=_UNIT)] | None = None
    tax_rate: Annotated[str, Field(max_length=20, description=_TAX)] | None = None
    can_sell: bool = True
    can_buy: bool = False
    prices: Annotated[list[ProductPriceIO], Field(max_length=50)] = []


class ProductPatch(InputSchema):
    """Change the fields given (the others stay); `prices`, when given, is the whole new set. Send the
    `version` you read."""

    version: Id
    code: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    kind: ProductKind | None = None
    name_en: Annotated[str, Field(max_length=200)] | None = None
    name_zh: Annotated[str, Field(max_length=200)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    category_id: Id | None = Field(None, description="null: no category")
    unit: Annotated[str, Field(max_length=20, description=_UNIT)] | None = None
    purchase_unit: Annotated[str, Field(max_length=20, description=_UNIT)] | None = Field(
        None, description="null: the same as the unit"
    )
    tax_rate: Annotated[str, Field(max_length=20, description=_TAX)] | None = Field(
        None, description="null: none"
    )
    can_sell: bool | None = None
    can_buy: bool | None = None
    prices: Annotated[list[ProductPriceIO], Field(max_length=50)] | None = None


class ProductVersionIn(InputSchema):
    version: Id


class ProductImportIn(InputSchema):
    csv: Annotated[str, Field(min_length=1, max_length=5_000_000, description="CSV text with a header row")]
    apply: bool = Field(False, description="false: check only; true: import, all rows or none")


class ProductImportError(Schema):
    line: int
    column: str
    message: str


class ProductImportOut(Schema):
    applied: bool
    created: int
    updated: int
    unchanged: int
    errors: list[ProductImportError]


class CategoryOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str
    parent_id: int | None
    path: str = Field(description="The names from the top: Electronics / Resistors")
    depth: int
    active: bool
    version: int


class CategoryIn(InputSchema):
    name_en: Annotated[str, Field(max_length=100)] = ""
    name_zh: Annotated[str, Field(max_length=100)] = ""
    parent_id: Id | None = None
    active: bool = True


class CategoryPatch(InputSchema):
    version: Id
    name_en: Annotated[str, Field(max_length=100)] | None = None
    name_zh: Annotated[str, Field(max_length=100)] | None = None
    parent_id: Id | None = Field(None, description="null: to the top level (when given)")
    active: bool | None = None


class UnitOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    name_zh: str
    category: str = Field(description="What it measures: count, weight, length, volume, time …")
    factor: str = Field(description="How many of the category's reference unit one of this is")
    decimal_places: int
    active: bool
    version: int


class UnitIn(InputSchema):
    code: Annotated[str, Field(min_length=1, max_length=20)]
    name_en: Annotated[str, Field(min_length=1, max_length=60)]
    name_zh: Annotated[str, Field(max_length=60)] = ""
    category: Annotated[str, Field(max_length=20, description="A unit category's code: count, weight …")]
    factor: Amount
    decimal_places: Annotated[int, Field(ge=0, le=6)] = 0
    active: bool = True


class UnitPatch(InputSchema):
    version: Id
    name_en: Annotated[str, Field(min_length=1, max_length=60)] | None = None
    name_zh: Annotated[str, Field(max_length=60)] | None = None
    category: Annotated[str, Field(max_length=20)] | None = None
    factor: Amount | None = None
    decimal_places: Annotated[int, Field(ge=0, le=6)] | None = None
    active: bool | None = None


class UnitConvertQuery(Schema):
    quantity: Amount
    from_: Annotated[str, Field(max_length=20, alias="from", description="A unit's code")]
    to: Annotated[str, Field(max_length=20, description="A unit's code")]


class UnitConversionOut(Schema):
    quantity: str
    from_unit: str
    to_unit: str
    result: str = Field(description="Rounded half up to the decimal places of `to`")
    exact: str = Field(description="Not rounded")
