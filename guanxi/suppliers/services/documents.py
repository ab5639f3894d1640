"""A supplier's qualification documents (资质文件): entered by procurement users who may change the supplier
(supplier.documents), with the file attached to the supplier (the attachments block checks it); a renewal is a
new document that replaces the earlier one of the same kind. A daily job tells the supplier's owner 30 days
before a document expires, and when a required one (business licence, tax registration, and what its categories ask) has expired
puts an approved or preferred supplier on hold (暂停) — a lifecycle step with the reason, by the system, so no
RFQ or purchase order goes to it until someone renews the document and approves the supplier again.

Segregation of duties: whoever entered a supplier's qualification documents or proposed a change of its bank
accounts does not approve its lifecycle steps (guanxi.suppliers.services.lifecycle asks `entered_by`)."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_date, clean_text
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import grants_for
from guanxi.core.services.attachments import attachment_add
from guanxi.core.services.audit import audit_record
from guanxi.parties.choices import SupplierStatus as S
from guanxi.parties.models import Party
from guanxi.suppliers.models import BankAccountChange, ChangeState, SupplierStatusChange
from guanxi.suppliers.models.documents import BASE_KINDS, DocumentKind, SupplierDocument
from guanxi.suppliers.permissions import Action
from guanxi.suppliers.selectors.categories import requirements_for
from guanxi.suppliers.selectors.suppliers import supplier_scope

REMIND_DAYS = 30


def may_enter_documents(actor, party: Party) -> bool:
    return (
        grants_for(actor).can(Action.DOCUMENTS)
        and party.is_supplier
        and supplier_scope(actor=actor, mode="edit", action=Action.DOCUMENTS).filter(pk=party.pk).exists()
    )


def _describe(doc: SupplierDocument) -> str:
    until = doc.expires_on.isoformat() if doc.expires_on else "∞"
    return f"{doc.kind} {doc.number} → {until}".strip()


@transaction.atomic
def document_add(*, actor, party: Party, data: dict, file: IO[bytes] | None = None) -> SupplierDocument:
    """data: kind, title (an "other" certificate's name), number, issued_on, expires_on. The earlier current
    document of the same kind (and, for "other", the same title) is marked replaced."""
    if not may_enter_documents(actor, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier enter its documents.")
        )
    errors: dict = {}
    kind = str(data.get("kind") or "")
    if kind not in DocumentKind.values:
        errors["kind"] = _("Choose a kind of document.")
    title = clean_text(errors, "title", data.get("title"), max_length=200)
    if kind == DocumentKind.OTHER and not title and "title" not in errors:
        errors["title"] = _("Say what the certificate is.")
    number = clean_text(errors, "number", data.get("number"), max_length=100)
    issued = clean_date(errors, "issued_on", data.get("issued_on"))
    expires = clean_date(errors, "expires_on", data.get("expires_on"))
    if issued and issued > timezone.localdate():
        errors["issued_on"] = _("A certificate is not issued in the future.")
    if issued and expires and expires < issued:
        errors["expires_on"] = _("It cannot expire before it was issued.")
    if errors:
        raise ValidationError(errors)
    attachment = None
    if file is not None:
        label = title or DocumentKind(kind).label
        attachment = attachment_add(
            actor=actor, record=party, file=file, description=f"{label} {number}".strip()
        )
    now = timezone.now()
    earlier = SupplierDocument.objects.filter(party=party, kind=kind, replaced_at=None)
    if kind == DocumentKind.OTHER:
        earlier = earlier.filter(title=title)
    earlier.update(replaced_at=now)
    doc = SupplierDocument.objects.create(
        party=party,
        kind=kind,
        title=title,
        number=number,
        issued_on=issued,
        expires_on=expires,
        attachment=attachment,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=party,
        changes={"qualification_document": [None, _describe(doc)]},
    )
    return doc


def entered_by(party: Party, user) -> bool:
    """Whether `user` entered qualification data of the supplier (documents, what it supplies, answers of its
    reviews) or proposed a change of its bank accounts (then someone else approves its lifecycle steps and
    reviews it)."""
    from guanxi.suppliers.models import QualificationAnswer, SupplierCategory

    uid = getattr(user, "pk", None)
    if uid is None:
        return False
    return (
        SupplierDocument.objects.filter(party=party, created_by_id=uid).exists()
        or BankAccountChange.objects.filter(party=party, proposed_by_id=uid).exists()
        or SupplierCategory.objects.filter(party=party, created_by_id=uid).exists()
        or QualificationAnswer.objects.filter(qualification__party=party, answered_by_id=uid).exists()
    )


def _notify_owner(party: Party, doc: SupplierDocument, *, held: bool) -> None:
    from guanxi.core.services.notifications import notify

    if party.owner_id is None:
        return
    values = {
        "name": party.name,
        "doc": str(doc),
        "day": doc.expires_on.isoformat() if doc.expires_on else "",
    }
    if held:
        title: Any = lambda: _("%(name)s is on hold: its %(doc)s expired on %(day)s") % values  # noqa: E731
    else:
        title = lambda: _("The %(doc)s of %(name)s expires on %(day)s") % values  # noqa: E731
    notify(event="supplier.document_expiring", recipients=[party.owner], title=title, subject_obj=party)


def _hold(party: Party, doc: SupplierDocument) -> bool:
    """The system puts the supplier on hold: a lifecycle step without a proposer, applied at once."""
    from guanxi.parties.services.holders import party_set_supplier_status

    current = Party.objects.select_for_update().get(pk=party.pk)
    if current.supplier_status not in (S.APPROVED, S.PREFERRED):
        return False
    reason = _("%(doc)s expired on %(day)s") % {"doc": doc, "day": doc.expires_on}
    SupplierStatusChange.objects.create(
        party=current,
        action="hold",
        from_status=current.supplier_status,
        to_status=S.ON_HOLD,
        reason=reason[:500],
        team=current.team,
        proposed_by=None,
        state=ChangeState.APPLIED,
        decided_at=timezone.now(),
    )
    return party_set_supplier_status(actor=None, party=current, status=S.ON_HOLD, reason=reason[:500])


def _kinds_ever_required() -> set[str]:
    from guanxi.suppliers.models import CategoryRequirement

    kinds: set[str] = {str(k) for k in BASE_KINDS}
    for documents in CategoryRequirement.objects.values_list("documents", flat=True):
        kinds.update(documents)
    return kinds


def documents_expiry_check(today: dt.date | None = None) -> tuple[int, int]:
    """The daily job: (owners told of documents expiring within 30 days, suppliers put on hold)."""
    today = today or timezone.localdate()
    now = timezone.now()
    current = SupplierDocument.objects.filter(replaced_at=None).select_related("party")
    reminded = held = 0
    soon = current.filter(
        reminded_at=None, expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=REMIND_DAYS)
    )
    for doc in soon.filter(~Q(party__supplier_status__in=[S.BLOCKED, S.PHASED_OUT])):
        with transaction.atomic():
            if SupplierDocument.objects.filter(pk=doc.pk, reminded_at=None).update(reminded_at=now):
                _notify_owner(doc.party, doc, held=False)
                reminded += 1
    expired = current.filter(
        held_at=None,
        expires_on__lt=today,
        kind__in=_kinds_ever_required(),
        party__supplier_status__in=[S.APPROVED, S.PREFERRED],
    )
    for doc in expired:
        if doc.kind not in requirements_for(doc.party).documents:  # not required of this supplier
            continue
        with transaction.atomic():
            if SupplierDocument.objects.filter(pk=doc.pk, held_at=None).update(held_at=now) and _hold(
                doc.party, doc
            ):
                _notify_owner(doc.party, doc, held=True)
                held += 1
    return reminded, held
