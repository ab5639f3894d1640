"""What a supplier supplies (its categories of the catalogue) and what procurement asks of the suppliers of a
category (documents, questionnaire). Which categories a supplier supplies is qualification data: entered by
procurement users who may enter its documents, and so it counts for the segregation of duties. Being
preferred in a category is a lifecycle step (guanxi.suppliers.services.lifecycle), never set here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from guanxi.catalog.models import Category
from guanxi.core.cleaning import small_int
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.audit import audit_record
from guanxi.parties.models import Party
from guanxi.suppliers.models import CategoryRequirement, Questionnaire, SupplierCategory
from guanxi.suppliers.models.documents import DocumentKind
from guanxi.suppliers.permissions import Action
from guanxi.suppliers.services.documents import may_enter_documents

MAX_CATEGORIES = 50


def _categories(errors: dict, key: str, raw: Any) -> list[Category]:
    ids: list[int] = []
    for value in raw or []:
        pk = small_int(value)
        if pk is None:
            errors[key] = _("Choose categories of the catalogue.")
            return []
        if pk not in ids:
            ids.append(pk)
    if len(ids) > MAX_CATEGORIES:
        errors[key] = _("At most %(n)d categories.") % {"n": MAX_CATEGORIES}
        return []
    found = {c.pk: c for c in Category.objects.filter(pk__in=ids)}
    if len(found) != len(ids):
        errors[key] = _("Choose categories of the catalogue.")
        return []
    return [found[i] for i in ids]


@transaction.atomic
def supplier_categories_set(*, actor, party: Party, categories: Any) -> list[SupplierCategory]:
    """The categories the supplier supplies, as a whole list. A category it is preferred in stays until the
    lifecycle step "End preferred" for it (removing it here would skip that step's record)."""
    if not may_enter_documents(actor, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier enter what it supplies.")
        )
    errors: dict = {}
    wanted = _categories(errors, "categories", categories)
    if errors:
        raise ValidationError(errors)
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one change of the list at a time
    current = {
        s.category_id: s for s in SupplierCategory.objects.filter(party=party).select_related("category")
    }
    wanted_ids = {c.pk for c in wanted}
    kept_preferred = [s for pk, s in current.items() if pk not in wanted_ids and s.preferred]
    if kept_preferred:
        raise ValidationError(
            {
                "categories": _("%(name)s is preferred in %(category)s: end that first (a lifecycle step).")
                % {"name": party.name, "category": kept_preferred[0].category}
            }
        )
    removed = [s for pk, s in current.items() if pk not in wanted_ids]
    added = [c for c in wanted if c.pk not in current]
    if not removed and not added:
        return list(current.values())
    SupplierCategory.objects.filter(pk__in=[s.pk for s in removed]).delete()
    SupplierCategory.objects.bulk_create(
        [SupplierCategory(party=party, category=c, created_by=actor) for c in added]
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=party,
        changes={
            "supplied_categories": [
                sorted(str(s.category) for s in current.values()),
                sorted(str(c) for c in wanted),
            ]
        },
    )
    return list(SupplierCategory.objects.filter(party=party).select_related("category"))


def may_set_up(actor) -> bool:
    return grants_for(actor).can(Action.SETUP)


@transaction.atomic
def category_requirement_set(
    *, actor, category: Category, documents: Any, questionnaire: Any, version: Any = None
) -> CategoryRequirement:
    """What the suppliers of a category must give: document kinds and a questionnaire (or none)."""
    if not may_set_up(actor):
        raise PermissionDeniedError()
    errors: dict = {}
    kinds = [str(k) for k in (documents or [])]
    if any(k not in DocumentKind.values for k in kinds):
        errors["documents"] = _("Choose kinds of qualification documents.")
    kinds = [k for k in DocumentKind.values if k in kinds]
    chosen = None
    if questionnaire not in (None, ""):
        pk = small_int(questionnaire)
        chosen = Questionnaire.objects.filter(pk=pk, active=True).first() if pk is not None else None
        if chosen is None:
            errors["questionnaire"] = _("Choose an active questionnaire.")
    if errors:
        raise ValidationError(errors)
    req, created = CategoryRequirement.objects.select_for_update().get_or_create(
        category=category, defaults={"updated_by": actor}
    )
    if not created and version not in (None, "") and str(req.version) != str(version):
        raise ConflictError()
    before = [req.documents, str(req.questionnaire) if req.questionnaire_id else None]
    after = [kinds, str(chosen) if chosen else None]
    if created or before != after:
        req.documents, req.questionnaire, req.updated_by = kinds, chosen, actor
        req.version += 0 if created else 1
        req.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            target=category,
            changes={"required_documents": [before[0], kinds], "questionnaire": [before[1], after[1]]},
        )
    return req
