"""Duplicates and merge: the list of suggested pairs, the side-by-side page that merges two parties, undo,
and "not duplicates". Thin: the rules live in guanxi.parties.services.merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.pagination import keyset_page
from guanxi.parties.models import PartyMerge
from guanxi.parties.selectors import merges as sel
from guanxi.parties.selectors.duplicate_pairs import (
    ORDERING,
    duplicate_pairs,
    last_finished_scan,
    latest_scan,
)
from guanxi.parties.selectors.parties import party_get
from guanxi.parties.services import duplicate_scan as scan_svc
from guanxi.parties.services import merge as svc

PAIRS_PER_PAGE = 25


def _require(request) -> None:
    if not svc.may_merge(request.user):
        raise PermissionDeniedError()


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for messages_ in exc.message_dict.values() for m in messages_]


@login_required
def duplicate_list(request):
    _require(request)
    try:
        page = keyset_page(
            duplicate_pairs(actor=request.user),
            ordering=ORDERING,
            cursor=request.GET.get("cursor") or None,
            limit=PAIRS_PER_PAGE,
        )
    except ValidationError as exc:  # a cursor from an older list: start again
        messages.error(request, _errors(exc)[0])
        return redirect("parties:duplicates")
    latest = latest_scan()
    return render(
        request,
        "parties/duplicates.html",
        {
            "page": page,
            "merges": sel.recent_merges(actor=request.user),
            "scan": last_finished_scan(),
            "scanning": latest is not None and latest.finished_at is None,
            "nav": "duplicates",
        },
    )


@login_required
@require_POST
def duplicate_scan(request):
    """Look again now: a worker runs the scan in the background."""
    scan_svc.duplicates_scan_request(actor=request.user)
    messages.success(
        request,
        _("Looking for duplicates in the background: reload this page in a minute to see what was found."),
    )
    return redirect("parties:duplicates")


@login_required
def merge_compare(request):
    """Two parties side by side; the user picks the one to keep and merges."""
    _require(request)
    if not request.GET.get("b"):
        return _pick(request)
    try:
        first, second = sel.pair_for_merge(actor=request.user, a=request.GET.get("a"), b=request.GET.get("b"))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if request.method == "POST":
        keep = request.POST.get("keep")
        kept, merged = (first, second) if keep == str(first.pk) else (second, first)
        versions = {
            str(first.pk): request.POST.get(f"version_{first.pk}"),
            str(second.pk): request.POST.get(f"version_{second.pk}"),
        }
        if keep not in versions:
            messages.error(request, _("Choose the record to keep."))
        else:
            try:
                record = svc.party_merge(
                    actor=request.user,
                    kept=kept,
                    merged=merged,
                    kept_version=versions[str(kept.pk)],
                    merged_version=versions[str(merged.pk)],
                )
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            except ConflictError:
                messages.error(request, _("One of them was changed meanwhile: look again before merging."))
            else:
                messages.success(
                    request,
                    _("“%(merged)s” was merged into “%(kept)s”. You can undo this within %(days)d days.")
                    % {"merged": merged.name, "kept": kept.name, "days": PartyMerge.UNDO_DAYS},
                )
                return redirect(f"{kept.get_absolute_url()}?merge={record.pk}")
        first, second = sel.pair_for_merge(actor=request.user, a=first.pk, b=second.pk)
    return render(
        request,
        "parties/merge.html",
        {"parties": [first, second], "rows": sel.compare_rows(first, second), "nav": "duplicates"},
    )


def _pick(request):
    """The first party is chosen (from its page): find the second one, among look-alikes or by search."""
    try:
        party = party_get(actor=request.user, pk=int(request.GET.get("a", "")), mode="edit")
    except ValueError as exc:
        raise Http404 from exc
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "parties/merge_pick.html",
        {
            "party": party,
            "q": q,
            "candidates": sel.merge_candidates(actor=request.user, party=party, q=q),
            "nav": "duplicates",
        },
    )


@login_required
@require_POST
def merge_undo(request, pk):
    _require(request)
    record = get_object_or_404(sel.merge_list(actor=request.user), pk=pk)
    try:
        svc.party_merge_undo(actor=request.user, record=record)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    except ConflictError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The merge was undone: “%(name)s” is back.") % {"name": record.merged.name}
        )
        return redirect(record.merged.get_absolute_url())
    return redirect("parties:duplicates")


@login_required
@require_POST
def duplicate_dismiss(request):
    _require(request)
    try:
        first, second = sel.pair_for_merge(
            actor=request.user, a=request.POST.get("a"), b=request.POST.get("b")
        )
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    svc.duplicate_dismiss(actor=request.user, first=first, second=second)
    messages.success(
        request,
        _("“%(a)s” and “%(b)s” will no longer be suggested as duplicates.")
        % {"a": first.name, "b": second.name},
    )
    return redirect("parties:duplicates")
