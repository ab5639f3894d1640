"""What a supplier supplies and what that asks of it: the categories it supplies (preferred where it is), and
the documents and questionnaires its categories require — inherited down the catalogue's tree — on top of
the documents every supplier gives (BASE_KINDS)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from guanxi.catalog.models import Category
from guanxi.parties.models import Party
from guanxi.suppliers.models import CategoryRequirement, Questionnaire, SupplierCategory
from guanxi.suppliers.models.documents import BASE_KINDS, DocumentKind


def ancestor_ids(category: Category) -> list[int]:
    """The category and those above it, from its path ("/3/17/")."""
    return [int(x) for x in category.path.strip("/").split("/") if x]


def supplied_categories(party: Party) -> list[SupplierCategory]:
    return list(
        SupplierCategory.objects.filter(party=party).select_related("category").order_by("category__path")
    )


@dataclass
class Requirements:
    documents: list[DocumentKind] = field(default_factory=list)
    questionnaires: list[Questionnaire] = field(default_factory=list)


def requirements_for(party: Party, supplied: list[SupplierCategory] | None = None) -> Requirements:
    """The document kinds (BASE_KINDS first, then the categories', in the kinds' order) and the questionnaires
    that the supplier's categories and their ancestors require."""
    supplied = supplied_categories(party) if supplied is None else supplied
    ids = {i for s in supplied for i in ancestor_ids(s.category)}
    kinds: set[str] = set(BASE_KINDS)
    questionnaires: dict[int, Questionnaire] = {}
    if ids:
        for req in CategoryRequirement.objects.filter(category_id__in=ids).select_related("questionnaire"):
            kinds.update(k for k in req.documents if k in DocumentKind.values)
            if req.questionnaire is not None and req.questionnaire.active:
                questionnaires[req.questionnaire.pk] = req.questionnaire
    return Requirements(
        documents=[DocumentKind(k) for k in DocumentKind.values if k in kinds],
        questionnaires=sorted(questionnaires.values(), key=lambda q: (q.name, q.pk)),
    )


def requirement_rows() -> dict[int, CategoryRequirement]:
    """Every category's own requirement, by category id (the setup page)."""
    return {r.category_id: r for r in CategoryRequirement.objects.select_related("questionnaire")}


def suppliers_of(category_ids: set[int]) -> dict[int, bool]:
    """Supplier id → preferred in one of these categories (or in a category above or below one of them),
    for every supplier that supplies one of them: whom an RFQ for those categories should invite."""
    if not category_ids:
        return {}
    paths = list(Category.objects.filter(pk__in=category_ids).values_list("path", flat=True))
    related = set(category_ids)
    for path in paths:
        related.update(int(x) for x in path.strip("/").split("/") if x)
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    related.update(Category.objects.filter(below).values_list("pk", flat=True))
    out: dict[int, bool] = {}
    for party_id, preferred in SupplierCategory.objects.filter(category_id__in=related).values_list(
        "party_id", "preferred"
    ):
        out[party_id] = out.get(party_id, False) or preferred
    return out
