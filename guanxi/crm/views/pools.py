"""Pools (公海): the customers in the pools of one's teams, claimed (领取) or assigned (分配) from there; a
customer put back (放入公海); Settings → Pools; and 查重, the check before entering a customer or lead."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from guanxi.core.exceptions import ConflictError, NotFoundError
from guanxi.core.forms import ServiceErrorsMixin
from guanxi.core.models import Team, User
from guanxi.core.pagination import keyset_page
from guanxi.core.roles import grants_for
from guanxi.core.selectors.users import history_for
from guanxi.crm.choices import CustomerLevel
from guanxi.crm.forms import owners_for
from guanxi.crm.models import Pool
from guanxi.crm.permissions import Action
from guanxi.crm.selectors import pools as sel
from guanxi.crm.selectors.check import duplicate_check
from guanxi.crm.services import pools as svc
from guanxi.crm.services.accounts import customer_level_set
from guanxi.crm.views.common import error_text
from guanxi.parties.selectors.parties import party_get


@login_required
def pools(request, pk=None):
    mine = list(sel.pools_of(request.user).order_by("name_en", "id"))
    pool = sel.pool_get(actor=request.user, pk=pk) if pk else (mine[0] if mine else None)
    page = None
    q = request.GET.get("q", "").strip()[:100]
    if pool is not None:
        page = keyset_page(
            sel.entries_of(actor=request.user, pool=pool, q=q),
            ordering=["-entered_at", "-id"],
            cursor=request.GET.get("cursor") or None,
            limit=25,
        )
    g = grants_for(request.user)
    ctx = {
        "pools": mine,
        "pool": pool,
        "page": page,
        "q": q,
        "held": sel.held_count(request.user),
        "may_claim": g.can(Action.POOL_CLAIM),
        "may_assign": g.can(Action.POOL_ASSIGN),
        "reps": owners_for(request.user) if g.can(Action.POOL_ASSIGN) else [],
        "nav": "pools",
    }
    return render(request, "crm/pools/list.html", ctx)


def _back(request, entry_pool_id):
    return redirect(reverse("crm:pool", args=[entry_pool_id]))


@login_required
@require_POST
def claim(request, entry_pk):
    try:
        entry = sel.entry_get(actor=request.user, pk=entry_pk)
    except NotFoundError:
        messages.error(request, _("This customer is no longer in the pool: someone took it first."))
        return redirect("crm:pools")
    try:
        party = svc.pool_claim(actor=request.user, entry=entry)
        messages.success(request, _("%(name)s is yours now.") % {"name": party.name})
        return redirect(party.get_absolute_url())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(request, entry.pool_id)


@login_required
@require_POST
def assign(request, entry_pk):
    svc.require_assigner(request.user)
    try:
        entry = sel.entry_get(actor=request.user, pk=entry_pk)
    except NotFoundError:
        messages.error(request, _("This customer is no longer in the pool: someone took it first."))
        return redirect("crm:pools")
    owner = User.objects.filter(pk=_int(request.POST.get("owner")), is_active=True).first()
    try:
        if owner is None:
            raise ValidationError({"owner": _("Choose someone in your team.")})
        party = svc.pool_assign(actor=request.user, entry=entry, owner=owner)
        messages.success(request, _("%(name)s is %(owner)s's now.") % {"name": party.name, "owner": owner})
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return _back(request, entry.pool_id)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def release(request, party_pk):
    party = party_get(actor=request.user, pk=party_pk, mode="edit")
    pool = svc.pool_for(party)
    if request.method == "POST":
        try:
            svc.customer_release(actor=request.user, party=party)
            messages.success(
                request, _("%(name)s is in the pool %(pool)s now.") % {"name": party.name, "pool": pool}
            )
            return redirect("crm:pools")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return render(request, "crm/pools/release.html", {"party": party, "pool": pool, "nav": "pools"})


class PoolForm(ServiceErrorsMixin, forms.Form):
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=60, required=False)
    name_zh = forms.CharField(label=gettext_lazy("Name (Chinese)"), max_length=60, required=False)
    teams = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Teams"), queryset=Team.objects.order_by("name"), required=False,
        help_text=gettext_lazy("Whose customers return here and who may claim them; none: everyone else's."),
    )  # fmt: skip
    no_activity_days = forms.IntegerField(
        label=gettext_lazy("Back after days without a follow-up activity"), required=False, min_value=1
    )
    no_opportunity_days = forms.IntegerField(
        label=gettext_lazy("Back after days without an opportunity"), required=False, min_value=1
    )
    not_won_days = forms.IntegerField(
        label=gettext_lazy("Back after days without winning"), required=False, min_value=1
    )
    exempt_open_opportunity = forms.BooleanField(
        label=gettext_lazy("Keep customers with an open opportunity"), required=False
    )
    exempt_open_order = forms.BooleanField(
        label=gettext_lazy("Keep customers with a sales order in progress"), required=False
    )
    warn_days = forms.IntegerField(label=gettext_lazy("Warn the owner days before"), min_value=0, initial=3)
    max_per_rep = forms.IntegerField(
        label=gettext_lazy("Most customers a rep may hold"), required=False, min_value=1
    )
    cooldown_days = forms.IntegerField(
        label=gettext_lazy("Days before a former owner may claim again"), min_value=0, initial=30
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


DAY_TITLES = (
    gettext_lazy("Days without a follow-up"),
    gettext_lazy("Days without an opportunity"),
    gettext_lazy("Days without winning"),
)


class PoolLevelsForm(forms.Form):
    """The pool's rules per customer level, one row a level (rendered as a table by crm/pools/form.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        titles = dict(zip(svc.LEVEL_DAYS, DAY_TITLES, strict=True))
        for level, label in CustomerLevel.choices:
            self.fields[f"{level}_never"] = forms.BooleanField(
                required=False,
                widget=forms.CheckboxInput(attrs={"aria-label": "{}: {}".format(label, _("Never returned"))}),
            )
            for field in svc.LEVEL_DAYS:
                self.fields[f"{level}_{field}"] = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=3650,
                    widget=forms.NumberInput(attrs={"aria-label": f"{label}: {titles[field]}", "size": 5}),
                )

    def rows(self):
        return [
            (label, self[f"{level}_never"], [self[f"{level}_{f}"] for f in svc.LEVEL_DAYS])
            for level, label in CustomerLevel.choices
        ]

    def rules(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"level": level, "never": d[f"{level}_never"], **{f: d[f"{level}_{f}"] for f in svc.LEVEL_DAYS}}
            for level in CustomerLevel.values
        ]

    @staticmethod
    def initial_of(pool: Pool) -> dict:
        out: dict = {}
        for r in pool.level_rules.all():
            out[f"{r.level}_never"] = r.never
            for f in svc.LEVEL_DAYS:
                out[f"{r.level}_{f}"] = getattr(r, f)
        return out


@login_required
def pool_settings(request):
    svc.require_assigner(request.user)
    all_pools = Pool.objects.prefetch_related("teams").order_by("name_en", "id")
    return render(request, "crm/pools/settings.html", {"pools": all_pools, "nav": "pool_settings"})


@login_required
@require_http_methods(["GET", "POST"])
def pool_edit(request, pk=None):
    svc.require_assigner(request.user)
    pool = get_object_or_404(Pool, pk=pk) if pk else None
    if request.method == "POST":
        form = PoolForm(request.POST)
        levels = PoolLevelsForm(request.POST, prefix="level")
        if form.is_valid() and levels.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            data["level_rules"] = levels.rules()
            try:
                svc.pool_save(
                    actor=request.user, pool=pool, data=data, version=form.cleaned_data.get("version")
                )
                messages.success(request, _("Pool saved."))
                return redirect("crm:pool_settings")
            except ValidationError as exc:
                form.add_service_errors(exc)
            except ConflictError as exc:
                form.add_error(None, str(exc.message))
    elif pool is not None:
        initial = {f: getattr(pool, f) for f in svc.FIELDS}
        form = PoolForm(initial={**initial, "teams": list(pool.teams.all()), "version": pool.version})
        levels = PoolLevelsForm(initial=PoolLevelsForm.initial_of(pool), prefix="level")
    else:
        form = PoolForm(initial={"exempt_open_opportunity": True, "warn_days": 3, "cooldown_days": 30})
        levels = PoolLevelsForm(prefix="level")
    context: dict = {"form": form, "levels": levels, "pool": pool, "nav": "pool_settings"}
    if pool is not None:
        context["entries"] = history_for(subject_type="crm.pool", subject_id=pool.pk)[:50]
    return render(request, "crm/pools/form.html", context)


@login_required
@require_http_methods(["POST"])
def customer_level(request, party_pk):
    party = party_get(actor=request.user, pk=party_pk)
    try:
        account = customer_level_set(actor=request.user, party=party, level=request.POST.get("level", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        label = account.get_level_display() if account.level else _("none")
        messages.success(request, _("Customer level saved: %(level)s.") % {"level": label})
    return redirect(party.get_absolute_url())


@login_required
def check(request):
    q = request.GET.get("q", "").strip()[:200]
    hits = duplicate_check(actor=request.user, q=q) if q else []
    return render(request, "crm/pools/check.html", {"q": q, "hits": hits, "nav": "check"})
