"""A supplier's bank accounts change only by an approved proposal (the supplier-payment fraud path).

1. Someone with `supplier.bank_propose` who may change the supplier (a Buyer: the suppliers they hold; a
   Procurement Manager: all) proposes a new account, new details of one, or closing one, with a reason
   (`bank_change_propose`). Nothing changes yet; the proposal is audited on the supplier and submitted to the
   approvals block ("suppliers.bankaccountchange").
2. Someone else approves it: the approvals block never lets the proposer (or whoever changed it last) approve,
   and this module refuses a rule that would pass it without an approver. On approval the change is applied
   (`bank_change_apply`), audited on the supplier with the values before and after, and the supplier's owner is told.
3. A rejection or a withdrawal leaves the accounts as they were; the proposal stays, with its state.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import bic, iban

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import GuanxiError, PermissionDeniedError
from guanxi.core.models import Currency
from guanxi.core.models.audit import AuditAction
from guanxi.core.services.approvals import approval_submit
from guanxi.core.services.audit import audit_record
from guanxi.parties.models import Party
from guanxi.suppliers.models import BankAccount, BankAccountChange
from guanxi.suppliers.models.bank import ChangeKind
from guanxi.suppliers.models.changes import ChangeState
from guanxi.suppliers.selectors.bank_accounts import may_propose_bank
from guanxi.suppliers.services.changes import decided_hook, locked_pending, rule_ensure, withdraw

DOCUMENT = "suppliers.bankaccountchange"
DETAILS = ("bank_name", "account_name", "account_number", "swift", "currency")
_NUMBER = re.compile(r"^[0-9A-Z]{6,34}$")


def normalize_account_number(value: Any) -> str:
    """Full-width digits and letters folded (NFKC), spaces and hyphens dropped, upper case: how a number is
    stored and compared (６２２２ ０２００-１２３４ is 622202001234)."""
    text = unicodedata.normalize("NFKC", str(value or "")).upper()
    return re.sub(r"[\s\-]", "", text)


def account_text(values: dict) -> str:
    """One line for the history: bank, holder, number, currency."""
    if not values:
        return ""
    parts = [values.get("bank_name", ""), values.get("account_name", ""), values.get("account_number", "")]
    if values.get("swift"):
        parts.append(values["swift"])
    parts.append(values.get("currency", ""))
    return " · ".join(p for p in parts if p)


def details_of(account: BankAccount) -> dict:
    return {
        "bank_name": account.bank_name,
        "account_name": account.account_name,
        "account_number": account.account_number,
        "swift": account.swift,
        "currency": account.currency_id,
        "is_primary": account.is_primary,
    }


def _clean_details(errors: dict, data: dict) -> dict[str, Any]:
    out: dict[str, Any] = {
        "bank_name": clean_text(errors, "bank_name", data.get("bank_name"), max_length=200, required=True),
        "account_name": clean_text(
            errors, "account_name", data.get("account_name"), max_length=200, required=True
        ),
    }
    number = normalize_account_number(data.get("account_number"))
    if not number:
        errors["account_number"] = _("This field is required.")
    elif not _NUMBER.match(number):
        errors["account_number"] = _("An account number has 6 to 34 digits or letters.")
    elif re.match(r"^[A-Z]{2}[0-9]{2}", number) and len(number) >= 15 and not iban.is_valid(number):
        errors["account_number"] = _("This IBAN is not valid: check its digits.")
    out["account_number"] = number
    swift = normalize_account_number(data.get("swift"))
    if swift and not bic.is_valid(swift):
        errors["swift"] = _("A SWIFT / BIC code has 8 or 11 letters and digits, e.g. BKCHCNBJ.")
    out["swift"] = swift
    code = normalize_account_number(data.get("currency"))
    currency = Currency.objects.filter(pk=code, active=True).first() if code else None
    if currency is None:
        errors["currency"] = _("Choose an active currency.")
    out["currency"] = currency
    return out


def _open_account(party: Party, pk: Any) -> BankAccount:
    try:
        account = BankAccount.objects.filter(party=party, closed_at=None, pk=int(pk)).first()
    except (TypeError, ValueError):
        account = None
    if account is None:
        raise ValidationError({"account": _("Choose one of the supplier's open bank accounts.")})
    return account


def _submit(actor, change: BankAccountChange) -> None:
    request = approval_submit(actor=actor, obj=change)
    if request.status == "approved":  # a rule said "no approval needed": not for bank details
        raise GuanxiError(
            _(
                "A change of bank details needs someone else's approval, but the approval rule that applies "
                "needs none: ask an administrator to give that rule an approver."
            )
        )


@transaction.atomic
def bank_change_propose(*, actor, party: Party, data: dict) -> BankAccountChange:
    """Propose a new account (kind "add"), new details of an account ("change", with "account") or its
    closing ("close"), with a reason. Submitted for approval at once; nothing changes until it is approved."""
    if not party.is_supplier:
        raise ValidationError({"party": _("Bank accounts are kept for suppliers only.")})
    if not may_propose_bank(actor, party):
        raise PermissionDeniedError(
            _("Only procurement users who may change this supplier propose changes of its bank accounts.")
        )
    errors: dict = {}
    kind = str(data.get("kind") or "")
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": _("Choose what to change: a new account, new details or a closing.")})
    reason = clean_text(errors, "reason", data.get("reason"), max_length=500, required=True)
    account = None
    before: dict = {}
    details: dict = {}
    if kind != ChangeKind.ADD:
        try:
            account = _open_account(party, data.get("account"))
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            account = BankAccount.objects.select_for_update().get(pk=account.pk)
            before = details_of(account)
    if kind != ChangeKind.CLOSE:
        details = _clean_details(errors, data)
        number = details.get("account_number")
        others = BankAccount.objects.filter(party=party, closed_at=None, account_number=number)
        if account is not None:
            others = others.exclude(pk=account.pk)
        waiting = BankAccountChange.objects.filter(
            party=party, state=ChangeState.PENDING, kind=ChangeKind.ADD, account_number=number
        )
        if number and "account_number" not in errors and (others.exists() or waiting.exists()):
            errors["account_number"] = _(
                "The supplier has this account number already, or it waits for approval."
            )
        if account is not None and not errors and _same(before, details, data):
            errors["account_number"] = _("These are the account's details already: nothing would change.")
    if errors:
        raise ValidationError(errors)
    change = BankAccountChange(
        party=party,
        account=account,
        kind=kind,
        reason=reason,
        before=before,
        team=party.team,
        proposed_by=actor,
        make_primary=bool(data.get("make_primary")) and kind != ChangeKind.CLOSE,
        **{k: v for k, v in details.items() if k in DETAILS},
    )
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as exc:  # the same account's other proposal got in first
        raise ValidationError(
            {
                "account": _(
                    "A change of this account already waits for approval: decide or withdraw it first."
                )
            }
        ) from exc
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=change,
        changes={"bank_account": [account_text(before), account_text(change.after()) if details else ""]},
        also=[party],
    )
    _submit(actor, change)
    return change


def _same(before: dict, details: dict, data: dict) -> bool:
    now = {**details, "currency": details["currency"].pk if details.get("currency") else ""}
    same = all(before.get(k) == now.get(k) for k in DETAILS)
    return same and (before.get("is_primary") or not data.get("make_primary"))


def bank_change_withdraw(*, actor, change: BankAccountChange) -> BankAccountChange:
    """The proposer (or an administrator) takes a waiting proposal back."""
    return withdraw(actor=actor, change=change)


def bank_change_apply(change: BankAccountChange, actor) -> None:
    """The approvals block's on_approved: make the change, inside the approval's transaction."""
    change = locked_pending(BankAccountChange, change)
    if actor is not None and actor.pk == change.proposed_by_id:
        raise GuanxiError(_("A change of bank details needs someone else's approval, not the proposer's."))
    party = change.party
    now = timezone.now()
    if change.kind == ChangeKind.ADD:
        primary = change.make_primary or not BankAccount.objects.filter(party=party, closed_at=None).exists()
        if primary:
            BankAccount.objects.filter(party=party, closed_at=None, is_primary=True).update(is_primary=False)
        try:
            with transaction.atomic():
                account = BankAccount.objects.create(
                    party=party, is_primary=primary, **{k: getattr(change, k) for k in DETAILS}
                )
        except IntegrityError as exc:
            raise GuanxiError(_("The supplier has this account number already: reject this change.")) from exc
        change.account = account
    else:
        assert change.account_id is not None  # a change or a closing names its account
        account = BankAccount.objects.select_for_update().get(pk=change.account_id)
        if account.closed_at is not None:
            raise GuanxiError(_("This account was closed meanwhile: reject this change."))
        if change.kind == ChangeKind.CLOSE:
            account.closed_at, account.is_primary = now, False
        else:
            if change.make_primary and not account.is_primary:
                BankAccount.objects.filter(party=party, closed_at=None, is_primary=True).update(
                    is_primary=False
                )
                account.is_primary = True
            for k in DETAILS:
                setattr(account, k, getattr(change, k))
        account.version += 1
        account.save()
    change.state, change.decided_at = ChangeState.APPLIED, now
    change.save(update_fields=["state", "decided_at", "account"])
    after = "" if change.kind == ChangeKind.CLOSE else account_text(details_of(account))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=party,
        changes={"bank_account": [account_text(change.before), after]},
        also=[change],
    )
    if party.owner_id and party.owner_id not in (actor.pk if actor else None, change.proposed_by_id):
        transaction.on_commit(lambda: _tell_owner(change))


def _tell_owner(change: BankAccountChange) -> None:
    from guanxi.core.services.notifications import notify

    name = change.party.name
    notify(
        event="supplier.bank_changed",
        recipients=[change.party.owner],
        title=lambda: _("The bank details of %(name)s changed (approved).") % {"name": name},
        # The party's page, not the change's: a sales rep who holds a customer that is also a supplier may
        # not see supplier bank details, but must learn that they changed.
        url=change.party.get_absolute_url(),
    )


bank_change_rejected = decided_hook(
    BankAccountChange, ChangeState.REJECTED
)  # the approvals block's on_rejected
bank_change_withdrawn = decided_hook(BankAccountChange, ChangeState.WITHDRAWN)  # its on_withdrawn


def bank_rule_ensure() -> None:
    rule_ensure(DOCUMENT, "供应商银行账户变更 / Bank account changes")
