"""The party list: search-as-you-type, filters, sort, keyset pages, bulk actions, CSV/XLSX export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.models import User
from guanxi.core.pagination import capped_count, keyset_page
from guanxi.core.selectors.users import assignable_users
from guanxi.parties.choices import CustomerStatus, Industry, SupplierStatus
from guanxi.parties.models import Tag
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import bulk as bulk_svc

PAGE_SIZE = 25


def _int(value):
    try:
        n = int(value)
        return n if 0 < n < 2**53 else None
    except (TypeError, ValueError):
        return None


def filters_from(params) -> sel.PartyFilters:
    return sel.PartyFilters(
        q=params.get("q", "").strip(),
        kind=params.get("kind", ""),
        role=params.get("role", ""),
        customer_status=[s for s in params.getlist("customer_status") if s],
        supplier_status=[s for s in params.getlist("supplier_status") if s],
        owner=_int(params.get("owner")),
        tags=[t for t in (_int(x) for x in params.getlist("tag")) if t],
        industry=params.get("industry", ""),
        country=params.get("country", "").strip()[:2],
        province=params.get("province", "").strip()[:60],
        city=params.get("city", "").strip()[:60],
        state=params.get("state", "") or "active",
        sort=params.get("sort", "") or "name",
    )


def _nav(f: sel.PartyFilters) -> str:
    if f.role == "customer":
        return "customers"
    if f.role == "supplier":
        return "suppliers"
    return {"organization": "organizations", "person": "people"}.get(f.kind, "")


@login_required
def party_list(request):
    filters = filters_from(request.GET)
    error, truncated = None, False
    try:
        results = sel.party_results(actor=request.user, filters=filters)
        qs, truncated = results.qs, results.truncated
        page = keyset_page(
            sel.party_list_rows(qs),
            ordering=sel.SORTS[filters.sort],
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
        count, more = capped_count(qs)
    except ValidationError as exc:
        error = " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
        page, count, more = None, 0, False
    params = request.GET.copy()
    params.pop("cursor", None)
    ctx = {
        "filters": filters,
        "page": page,
        "truncated": truncated,
        "limit": sel.SEARCH_RESULT_LIMIT,
        "count": count,
        "more": more,
        "error": error,
        "query": params.urlencode(),
        "nav": _nav(filters),
        "owners": assignable_users(),
        "tags": Tag.objects.all(),
        "customer_statuses": CustomerStatus.choices,
        "supplier_statuses": SupplierStatus.choices,
        "industries": Industry.choices,
        "sorts": [
            ("name", _("Name A→Z")),
            ("-name", _("Name Z→A")),
            ("-created", _("Newest")),
            ("created", _("Oldest")),
            ("-updated", _("Recently changed")),
        ],
    }
    status = 400 if error else 200
    if request.htmx and request.htmx.target == "results":
        return render(request, "parties/partials/results.html", ctx, status=status)
    return render(request, "parties/list.html", ctx, status=status)


@login_required
@require_POST
def party_bulk(request):
    ids = [i for i in (_int(x) for x in request.POST.getlist("ids")) if i]
    action = request.POST.get("action", "")
    back = request.POST.get("next") or "/parties/"
    if not back.startswith("/") or back.startswith("//") or "\\" in back:  # no redirect to another site
        back = "/parties/"
    if not ids:
        messages.warning(request, _("Select at least one row first."))
        return redirect(back)
    if action == "tag":
        tag = Tag.objects.filter(pk=_int(request.POST.get("tag"))).first()
        if tag is None:
            messages.error(request, _("Choose a tag."))
            return redirect(back)
        n = bulk_svc.parties_bulk_tag(actor=request.user, ids=ids, tag=tag)
        messages.success(request, _("Tag “%(tag)s” added to %(n)d records.") % {"tag": tag.name, "n": n})
    elif action == "assign":
        owner = User.objects.filter(pk=_int(request.POST.get("owner")), is_active=True).first()
        if owner is None:
            messages.error(request, _("Choose an owner."))
            return redirect(back)
        n = bulk_svc.parties_bulk_assign(actor=request.user, ids=ids, owner=owner)
        messages.success(request, _("%(n)d records assigned to %(owner)s.") % {"n": n, "owner": owner})
    elif action == "archive":
        n = bulk_svc.parties_bulk_archive(actor=request.user, ids=ids)
        messages.success(request, _("%(n)d records archived.") % {"n": n})
    else:
        messages.error(request, _("Choose an action."))
        return redirect(back)
    skipped = len(ids) - n
    if skipped > 0:
        messages.info(
            request,
            _("%(n)d selected records were left as they were (already done, or not yours to change).")
            % {"n": skipped},
        )
    return redirect(back)
