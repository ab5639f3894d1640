"""Bank accounts of a supplier: propose a change (a new account, new details, a closing), see a change and
its approval path, withdraw one's own. Thin: the rules live in guanxi.suppliers.services.bank_accounts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, GuanxiError, PermissionDeniedError
from guanxi.suppliers.forms import BankChangeForm
from guanxi.suppliers.models.bank import ChangeKind
from guanxi.suppliers.selectors import bank_accounts as sel
from guanxi.suppliers.services import bank_accounts as svc

TAB = "?tab=bank_accounts"


def shown_error(exc: GuanxiError) -> str:
    """A refusal's message for the form; an approval setup problem is also recorded for the administrators
    (the service's transaction has rolled back by now: guanxi.core.services.approval_common)."""
    after = getattr(exc, "after_rollback", None)
    if after:
        after()
    return str(exc.message)


@login_required
def bank_change_new(request, party_pk):
    party = sel.supplier_get(actor=request.user, pk=party_pk, mode="edit")
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind") if source.get("kind") in ChangeKind.values else ChangeKind.ADD
    account = None
    if kind != ChangeKind.ADD:
        account = sel.bank_accounts(party=party).filter(pk=source.get("account") or 0).first()
        if account is None:
            return redirect(party.get_absolute_url() + TAB)
    if request.method == "POST":
        form = BankChangeForm(request.POST, closing=kind == ChangeKind.CLOSE)
        if form.is_valid():
            try:
                change = svc.bank_change_propose(actor=request.user, party=party, data=form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            except (GuanxiError, ConflictError) as exc:
                form.add_error(None, shown_error(exc))
            else:
                messages.success(
                    request,
                    _(
                        "Your change waits for approval: the bank details change once someone else approves it."
                    ),
                )
                return redirect(change.get_absolute_url())
    else:
        initial = {"kind": kind, "account": getattr(account, "pk", None), "currency": "CNY"}
        if account is not None:
            initial.update(
                bank_name=account.bank_name,
                account_name=account.account_name,
                account_number=account.account_number,
                swift=account.swift,
                currency=account.currency_id,
                make_primary=account.is_primary,
            )
        form = BankChangeForm(initial=initial, closing=kind == ChangeKind.CLOSE)
    return render(
        request,
        "suppliers/bank_change_form.html",
        {"form": form, "party": party, "account": account, "kind": kind, "nav": "parties"},
    )


@login_required
def bank_change_detail(request, pk):
    change = sel.bank_change_get(actor=request.user, pk=pk)
    return render(
        request,
        "suppliers/bank_change.html",
        {
            "change": change,
            "before": change.before,
            "after": change.after(),
            "may_withdraw": change.state == "pending" and change.proposed_by_id == request.user.pk,
            "also_held_by": sel.also_held_by(change),
            "nav": "parties",
        },
    )


@login_required
@require_POST
def bank_change_withdraw(request, pk):
    change = sel.bank_change_get(actor=request.user, pk=pk)
    try:
        svc.bank_change_withdraw(actor=request.user, change=change)
    except (ConflictError, PermissionDeniedError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The change was withdrawn: the bank details stay as they are."))
    return redirect(change.get_absolute_url())
