"""Helpers for tests that need a supplier fit to be approved (its base documents entered) or a category with
requirements."""

from __future__ import annotations

from guanxi.catalog.models import Category
from guanxi.catalog.services.setup import category_create
from guanxi.suppliers.services.categories import category_requirement_set, supplier_categories_set
from guanxi.suppliers.services.documents import document_add

LICENCE = {"kind": "business_licence", "number": "91320505MA1MXK3P2Q", "issued_on": "2019-03-01"}
TAX = {"kind": "tax_registration", "number": "91320505MA1MXK3P2Q", "issued_on": "2019-03-01"}


def base_documents(actor, party) -> None:
    """The documents every supplier gives (business licence, tax registration), valid without end."""
    for data in (LICENCE, TAX):
        document_add(actor=actor, party=party, data=data)


def category(admin, name_en: str, parent: Category | None = None, name_zh: str = "") -> Category:
    data = {"name_en": name_en, "name_zh": name_zh, "parent": parent.pk if parent else ""}
    return category_create(actor=admin, data=data)


def supplies(actor, party, *categories: Category) -> None:
    supplier_categories_set(actor=actor, party=party, categories=[c.pk for c in categories])


def requires(admin, cat: Category, *kinds: str, questionnaire=None) -> None:
    category_requirement_set(actor=admin, category=cat, documents=list(kinds), questionnaire=questionnaire)
