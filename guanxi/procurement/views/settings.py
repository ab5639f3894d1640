"""The purchasing settings page (administrators: settings.manage): the over-delivery tolerance and how many days
back a receipt may be dated, and the invoice match's tolerances (price: percent and amount per line, the
stricter applies; quantity: percent). A refusal shows each message beside its field with the input kept; a
stale page (someone saved meanwhile, 409) keeps the input and shows what is saved now beside it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from guanxi.core.exceptions import ConflictError
from guanxi.core.selectors.users import history_for
from guanxi.procurement import forms_invoices as forms
from guanxi.procurement.forms import num
from guanxi.procurement.models import PurchasingSettings
from guanxi.procurement.services import settings as svc

SUBJECT = "procurement.purchasingsettings"
INTEGERS = ("backdate_days", "rfq_min_quotes")


def _values(rules: PurchasingSettings) -> dict:
    return {
        k: num(getattr(rules, k)) if k not in INTEGERS else str(getattr(rules, k))
        for k in forms.SETTINGS_FIELDS
    }


@login_required
@require_http_methods(["GET", "POST"])
def purchasing_settings_view(request):
    svc.require_admin(request.user)
    rules = PurchasingSettings.current()
    errors: dict = {}
    conflict = False
    if request.method == "GET":
        data = {**_values(rules), "version": str(rules.version)}
    else:
        data = {**forms.settings_from(request.POST), "version": request.POST.get("version", "").strip()[:12]}
        try:
            svc.purchasing_settings_save(actor=request.user, data=data)
        except ValidationError as exc:
            errors = exc.message_dict
        except ConflictError as exc:
            conflict = True
            errors = {"__all__": [str(exc.message)]}
            rules = PurchasingSettings.current()
            data["version"] = str(rules.version)  # saving again replaces what is saved now
        else:
            messages.success(request, _("The purchasing settings are saved."))
            return redirect("procurement:settings")
    ctx = {
        "data": data,
        "errors": errors,
        "summary": {k: v for k, v in errors.items() if k not in forms.SETTINGS_FIELDS},
        "current": _values(rules) if conflict else {},
        "entries": history_for(subject_type=SUBJECT, subject_id=rules.pk)[:20],
        "nav": "purchasing_settings",
    }
    return render(request, "procurement/settings/form.html", ctx, status=409 if conflict else 200)
