"""The supplier lifecycle: take an action with a reason (some wait for approval), see a step and its approval
path, withdraw one's own waiting step. Thin: the rules live in guanxi.suppliers.services.lifecycle."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, GuanxiError, PermissionDeniedError
from guanxi.core.forms import ServiceErrorsMixin
from guanxi.parties.choices import SupplierStatus
from guanxi.suppliers.models import ChangeState
from guanxi.suppliers.selectors.categories import supplied_categories
from guanxi.suppliers.selectors.lifecycle import status_change_get
from guanxi.suppliers.selectors.suppliers import supplier_in_scope
from guanxi.suppliers.services import lifecycle as svc
from guanxi.suppliers.views.bank_accounts import shown_error

TAB = "?tab=supplier_status"


class ReasonForm(ServiceErrorsMixin, forms.Form):
    category = forms.TypedChoiceField(label=gettext_lazy("Category"), coerce=int, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        if categories:  # "make preferred" / "end preferred" of a supplier of categories: in which one
            field = self.fields["category"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [(c.category_id, str(c.category)) for c in categories]
            self.fields["category"].required = True
        else:
            del self.fields["category"]


@login_required
def status_change_new(request, party_pk, action):
    party = supplier_in_scope(actor=request.user, pk=party_pk, mode="edit")
    spec = svc.ACTIONS.get(action)
    if (
        spec is None
        or spec not in svc.actions_for(party)
        or not svc.may_change_lifecycle(request.user, party)
    ):
        raise Http404
    categories = []
    if action in ("prefer", "unprefer"):
        categories = [c for c in supplied_categories(party) if c.preferred == (action == "unprefer")]
    form = ReasonForm(request.POST or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        try:
            change = svc.supplier_status_change(
                actor=request.user,
                party=party,
                action=action,
                reason=form.cleaned_data["reason"],
                category=form.cleaned_data.get("category"),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except (GuanxiError, ConflictError) as exc:
            form.add_error(None, shown_error(exc))
        else:
            if change.state == ChangeState.PENDING:
                messages.success(
                    request,
                    _("The step waits for approval: the status changes once someone else approves it."),
                )
                return redirect(change.get_absolute_url())
            messages.success(
                request,
                _("%(name)s is now %(status)s.")
                % {"name": party.name, "status": change.get_to_status_display()},
            )
            return redirect(party.get_absolute_url() + TAB)
    return render(
        request,
        "suppliers/status_change_form.html",
        {
            "form": form,
            "party": party,
            "spec": spec,
            "to_label": SupplierStatus(spec.to).label,
            "nav": "parties",
        },
    )


@login_required
def status_change_detail(request, pk):
    change = status_change_get(actor=request.user, pk=pk)
    return render(
        request,
        "suppliers/status_change.html",
        {
            "change": change,
            "may_withdraw": change.state == ChangeState.PENDING and change.proposed_by_id == request.user.pk,
            "nav": "parties",
        },
    )


@login_required
@require_POST
def status_change_withdraw(request, pk):
    change = status_change_get(actor=request.user, pk=pk)
    try:
        svc.supplier_status_change_withdraw(actor=request.user, change=change)
    except (ConflictError, PermissionDeniedError) as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The step was withdrawn: the status stays as it is."))
    return redirect(change.get_absolute_url())
