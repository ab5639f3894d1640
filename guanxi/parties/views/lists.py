"""The party list: search-as-you-type, filters, sort, keyset pages, bulk actions (exports: views/exports.py)."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.pagination import capped_count, keyset_page
from guanxi.core.roles import grants_for
from guanxi.core.selectors.users import assignable_users
from guanxi.parties.choices import CustomerStatus, Industry, SupplierStatus
from guanxi.parties.models import Tag
from guanxi.parties.permissions import Action
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import bulk as bulk_svc

PAGE_SIZE = 25
BULK_CONFIRM_NAMES = 20  # names listed on the bulk-archive confirmation


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
        sort=params.get("sort", ""),
    )


def _nav(f: sel.PartyFilters) -> str:
    if f.role == "customer":
        return "customers"
    if f.role == "supplier":
        return "suppliers"
    return {"organization": "organizations", "person": "people"}.get(f.kind, "")


# What each menu item lists: the filters that "Clear filters" keeps.
_MENU_FILTERS: dict[str, dict[str, str]] = {
    "customers": {"role": "customer"},
    "suppliers": {"role": "supplier"},
    "organizations": {"kind": "organization"},
    "people": {"kind": "person"},
    "": {},
}


def _heading(nav: str) -> str:
    return {
        "customers": _("Customers"),
        "suppliers": _("Suppliers"),
        "organizations": _("Organizations"),
        "people": _("Contacts"),
    }.get(nav, _("Parties"))


def _empty_state(request, filters: sel.PartyFilters, nav: str) -> dict:
    """Why an empty list is empty: filters that match nothing, only archived records, or really nothing yet."""
    given = _MENU_FILTERS[nav]
    menu = sel.PartyFilters(role=given.get("role", ""), kind=given.get("kind", ""))
    if replace(filters, sort=menu.sort) != menu:
        return {"empty": "filtered"}
    anything = sel.party_results(actor=request.user, filters=replace(menu, state="all")).qs.exists()
    return {"empty": "archived" if anything else "nothing"}


@login_required
def party_list(request):
    filters = filters_from(request.GET)
    error, truncated = None, False
    nav = _nav(filters)
    state = {}
    try:
        results = sel.party_results(actor=request.user, filters=filters)
        qs, truncated = results.qs, results.truncated
        page = keyset_page(
            sel.party_list_rows(qs),
            ordering=results.ordering,
            cursor=request.GET.get("cursor") or None,
            limit=PAGE_SIZE,
        )
        count, more = capped_count(qs)
        if not page.items and not request.GET.get("cursor"):
            state = _empty_state(request, filters, nav)
    except ValidationError as exc:
        error = " ".join(str(m) for msgs in exc.message_dict.values() for m in msgs)
        page, count, more = None, 0, False
    params = request.GET.copy()
    params.pop("cursor", None)
    ctx = {
        **state,
        "filters": filters,
        "page": page,
        "truncated": truncated,
        "limit": sel.SEARCH_RESULT_LIMIT,
        "count": count,
        "more": more,
        "error": error,
        "query": params.urlencode(),
        "nav": nav,
        "heading": _heading(nav),
        "menu_query": urlencode(_MENU_FILTERS[nav]),
        "owners": assignable_users(),
        "tags": Tag.objects.all(),
        "customer_statuses": CustomerStatus.choices,
        "supplier_statuses": SupplierStatus.choices,
        "industries": Industry.choices,
        "sorts": [
            ("", _("Best match")),
            ("name", _("Name A→Z")),
            ("-name", _("Name Z→A")),
            ("-created", _("Newest")),
            ("created", _("Oldest")),
            ("-updated", _("Recently changed")),
        ],
    }
    status = 400 if error else 200
    if request.htmx and request.htmx.target == "results":
        # The results, and out of band what must agree with them: heading, title, menu, Role filter.
        response = render(request, "parties/partials/results.html", {**ctx, "oob": True}, status=status)
    else:
        response = render(request, "parties/list.html", ctx, status=status)
    # The same URL answers a partial to htmx and the page to a browser: caches must keep them apart.
    patch_vary_headers(response, ("HX-Request", "HX-Target"))
    return response


def _back_url(request) -> str:
    back = request.POST.get("next") or "/parties/"
    if not back.startswith("/") or back.startswith("//") or "\\" in back:  # no redirect to another site
        back = "/parties/"
    return back


def _bulk_archive_confirm(request, ids: list[int], back: str):
    """The confirmation step of a bulk archive: how many records, which ones; works without JavaScript."""
    if not grants_for(request.user).can(Action.PARTY_ARCHIVE):
        raise PermissionDeniedError()
    archivable = sel.party_visible(actor=request.user, mode="edit").filter(
        pk__in=ids, archived_at__isnull=True
    )
    n = archivable.count()
    if n == 0:
        messages.warning(
            request,
            _("None of the selected records can be archived (already archived, or not yours to change)."),
        )
        return redirect(back)
    names = list(archivable.order_by("name").values_list("name", flat=True)[:BULK_CONFIRM_NAMES])
    ctx = {"ids": ids, "n": n, "names": names, "more": n - len(names), "skipped": len(ids) - n, "back": back}
    return render(request, "parties/bulk_confirm.html", ctx)


@login_required
@require_POST
def party_bulk(request):
    ids = [i for i in (_int(x) for x in request.POST.getlist("ids")) if i]
    action = request.POST.get("action", "")
    back = _back_url(request)
    if not ids:
        messages.warning(request, _("Select at least one row first."))
        return redirect(back)
    if action == "tag":
        tag = Tag.objects.filter(pk=_int(request.POST.get("tag"))).first()
        if tag is None:
            messages.error(request, _("Choose a tag."))
            return redirect(back)
        n = bulk_svc.parties_bulk_tag(actor=request.user, ids=ids, tag=tag)
        messages.success(
            request,
            ngettext("Tag “%(tag)s” added to %(n)d record.", "Tag “%(tag)s” added to %(n)d records.", n)
            % {"tag": tag.name, "n": n},
        )
    elif action == "assign":
        owner = User.objects.filter(pk=_int(request.POST.get("owner")), is_active=True).first()
        if owner is None:
            messages.error(request, _("Choose an owner."))
            return redirect(back)
        n = bulk_svc.parties_bulk_assign(actor=request.user, ids=ids, owner=owner)
        messages.success(
            request,
            ngettext("%(n)d record assigned to %(owner)s.", "%(n)d records assigned to %(owner)s.", n)
            % {"n": n, "owner": owner},
        )
    elif action == "archive":
        if request.POST.get("confirmed") != "1":
            return _bulk_archive_confirm(request, ids, back)
        n = bulk_svc.parties_bulk_archive(actor=request.user, ids=ids)
        messages.success(request, ngettext("%(n)d record archived.", "%(n)d records archived.", n) % {"n": n})
    else:
        messages.error(request, _("Choose an action."))
        return redirect(back)
    skipped = len(ids) - n
    if skipped > 0 and action == "assign":
        messages.info(
            request,
            ngettext(
                "%(n)d selected record was left as it was (already theirs, not yours to change, or on a side "
                "%(owner)s may not hold).",
                "%(n)d selected records were left as they were (already theirs, not yours to change, or on a "
                "side %(owner)s may not hold).",
                skipped,
            )
            % {"n": skipped, "owner": owner},
        )
    elif skipped > 0:
        messages.info(
            request,
            ngettext(
                "%(n)d selected record was left as it was (already done, or not yours to change).",
                "%(n)d selected records were left as they were (already done, or not yours to change).",
                skipped,
            )
            % {"n": skipped},
        )
    return redirect(back)
