"""One party: the 360° page with its tabs, create, edit, archive; addresses, notes and contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.roles import grants_for
from guanxi.parties.choices import PartyKind
from guanxi.parties.forms import AddressForm, NoteForm, PartyForm
from guanxi.parties.models import Address, Employment
from guanxi.parties.permissions import Action
from guanxi.parties.selectors import access
from guanxi.parties.selectors import merges as merge_sel
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import addresses as addr_svc
from guanxi.parties.services import employment as employment_svc
from guanxi.parties.services import notes as note_svc
from guanxi.parties.services import parties as svc
from guanxi.parties.services.merge import may_merge
from guanxi.parties.tabs import get_party_tab, party_tabs


def _tab_html(request, party, tab) -> str:
    ctx = {
        "object": party,  # what every registered tab is given (guanxi.core.registry.RecordTab)
        "party": party,
        "can_edit": sel.party_can_edit(actor=request.user, party=party),
        "can_add_note": grants_for(request.user).can(Action.NOTE_ADD),
    }
    if tab.context:
        ctx.update(tab.context(party, request.user))
    return render_to_string(tab.template, ctx, request=request)


@login_required
def party_detail(request, pk):
    party = sel.party_detail(actor=request.user, pk=pk)
    tabs = party_tabs(party, request.user)
    key = request.GET.get("tab") or "overview"
    tab = get_party_tab(key)
    if tab is None or tab not in tabs:
        raise Http404
    html = _tab_html(request, party, tab)
    if request.htmx and request.htmx.target == "tabpanel":
        return HttpResponse(html)
    return render(
        request,
        "parties/detail.html",
        {
            "party": party,
            "tabs": tabs,
            "active": tab,
            "tab_html": html,
            "can_edit": sel.party_can_edit(actor=request.user, party=party),
            "nav": "organizations" if party.is_organization else "people",
            "note_form": NoteForm(),
            "merges": merge_sel.merges_of(actor=request.user, party=party) if may_merge(request.user) else [],
        },
    )


def _to_record_or_list(request, pk):
    """After a save: the record, or the list when it was handed to someone the user cannot see for."""
    if sel.party_visible(actor=request.user).filter(pk=pk).exists():
        return redirect("parties:detail", pk=pk)
    messages.info(request, _("It now belongs to another owner or team, so it is no longer in your list."))
    return redirect("parties:list")


def _duplicates_context(exc):
    return [{"party": h.party, "reason": h.reason, "visible": h.visible, "owner": h.owner} for h in exc.hits]


def _form_kwargs(request, *, kind: str, creating: bool, party=None, with_organization=False) -> dict:
    """What the form offers this user: only fields they may change (the rest round-trip untouched)."""
    allowed = access.party_form_access(actor=request.user, party=party)
    return {
        "kind": kind,
        "creating": creating,
        "with_organization": with_organization,
        "hidden": allowed.hidden,
        "disabled": allowed.disabled,
        "owner_choices": allowed.owner_choices,
    }


@login_required
def party_create(request, kind: str):
    if kind not in PartyKind.values:
        raise Http404
    access.require_can_create(actor=request.user)  # a form that could never be saved is refused on opening
    organization = None
    org_pk = request.GET.get("organization") or request.POST.get("organization")
    if org_pk and kind == PartyKind.PERSON:
        organization = sel.party_get(actor=request.user, pk=org_pk, mode="edit")
        if not organization.is_organization:
            raise Http404
    form_kwargs = _form_kwargs(request, kind=kind, creating=True, with_organization=organization is not None)
    duplicates = None
    if request.method == "POST":
        form = PartyForm(request.POST, **form_kwargs)
        addr_form = AddressForm(request.POST, prefix="addr") if kind == PartyKind.ORGANIZATION else None
        address_given = any(
            request.POST.get(f"addr-{f}", "").strip()
            for f in ("street", "city", "province", "district", "province_code", "city_code", "district_code")
        )
        given = addr_form if address_given else None  # the address to save, when one was typed
        if addr_form is not None and given is None:
            addr_form = AddressForm(prefix="addr", initial=_posted_address(request))  # optional: no errors
        if form.is_valid() and (given is None or given.is_valid()):
            data, extras = form.service_input()
            if data.get("owner") is None:
                data.pop("owner", None)  # no owner chosen: the service makes the creator the owner
            try:
                party = svc.party_create(
                    actor=request.user,
                    data={"kind": kind, **data},
                    extras=extras,
                    address=given.data_for_service() if given is not None else None,
                    organization=organization,
                    job_title=form.cleaned_data.get("job_title", ""),
                    allow_duplicates=form.cleaned_data.get("allow_duplicates", False),
                )
                messages.success(request, _("“%(name)s” created.") % {"name": party.name})
                return _to_record_or_list(request, (organization or party).pk)
            except svc.DuplicatesFound as exc:
                duplicates = _duplicates_context(exc)
            except PermissionDeniedError as exc:
                form.add_error(None, exc.message)  # said beside the input, which is kept
            except ValidationError as exc:
                if (
                    given is not None
                    and hasattr(exc, "error_dict")
                    and set(exc.error_dict) <= set(given.fields)
                ):
                    given.add_service_errors(exc)  # the first address was refused
                else:
                    form.add_service_errors(exc)
    else:
        initial = access.party_form_initial_roles(actor=request.user, role=request.GET.get("role", ""))
        if organization is not None:
            initial = {"is_customer": organization.is_customer}
        form = PartyForm(initial=initial, **form_kwargs)
        addr_form = AddressForm(prefix="addr") if kind == PartyKind.ORGANIZATION else None
    return render(
        request,
        "parties/form.html",
        {
            "form": form,
            "addr_form": addr_form,
            "kind": kind,
            "organization": organization,
            "duplicates": duplicates,
            "creating": True,
            "nav": "organizations" if kind == PartyKind.ORGANIZATION else "people",
        },
    )


def _posted_address(request) -> dict:
    return {f: request.POST.get(f"addr-{f}", "") for f in AddressForm.base_fields if f != "version"}


def _saved_values(form, party) -> list[tuple[str, object]]:
    """The record as saved now, as (label, value) a person can read, for the conflict message."""
    rows = []
    for name, value in PartyForm.initial_for(party).items():
        if name in ("version", "tags") or name not in form.fields:
            continue
        field = form.fields[name]
        if name == "owner":
            value = party.owner
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        elif value and getattr(field, "choices", None):
            value = dict(field.choices).get(value, value)
        rows.append((field.label, value))
    idents = ", ".join(i.value for i in party.identifiers.all())
    if form.identifiers is not None:
        rows.append((_("Identifiers"), idents))
    return rows


@login_required
def party_edit(request, pk):
    party = sel.party_get(actor=request.user, pk=pk, mode="edit")
    party = sel.party_detail(actor=request.user, pk=party.pk)
    form_kwargs = _form_kwargs(request, kind=party.kind, creating=False, party=party)
    conflict, duplicates = False, None
    if request.method == "POST":
        form = PartyForm(request.POST, **form_kwargs)
        if form.is_valid():
            data, extras = form.service_input()
            version = form.cleaned_data.get("version")
            try:
                if version is None:
                    raise ConflictError()  # no version: never a blind overwrite; show what is saved
                svc.party_update(
                    actor=request.user,
                    party=party,
                    version=version,
                    data=data,
                    extras=extras,
                    allow_duplicates=form.cleaned_data.get("allow_duplicates", False),
                )
                messages.success(request, _("Changes to “%(name)s” saved.") % {"name": data.get("name")})
                return _to_record_or_list(request, party.pk)
            except ConflictError as exc:
                conflict = True
                form.add_error(None, exc.message)
                party = sel.party_detail(actor=request.user, pk=party.pk)
            except svc.DuplicatesFound as exc:
                duplicates = _duplicates_context(exc)
            except PermissionDeniedError as exc:
                form.add_error(None, exc.message)
            except ValidationError as exc:
                form.add_service_errors(exc)
    else:
        form = PartyForm(
            initial=PartyForm.initial_for(party),
            identifiers_initial=PartyForm.identifiers_initial_for(party),
            **form_kwargs,
        )
    return render(
        request,
        "parties/form.html",
        {
            "form": form,
            "party": party,
            "kind": party.kind,
            "creating": False,
            "conflict": conflict,
            "duplicates": duplicates,
            "current": _saved_values(form, party) if conflict else None,
            "current_version": party.version,
            "nav": "organizations" if party.is_organization else "people",
        },
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def party_archive(request, pk):
    party = sel.party_get(actor=request.user, pk=pk)
    if request.POST.get("restore"):
        try:
            svc.party_restore(actor=request.user, party=party)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("“%(name)s” restored.") % {"name": party.name})
    else:
        svc.party_archive(actor=request.user, party=party)
        messages.success(
            request, _("“%(name)s” archived. You can restore it from this page.") % {"name": party.name}
        )
    return redirect("parties:detail", pk=party.pk)


@login_required
def address_edit(request, pk, address_pk=None):
    party = sel.party_get(actor=request.user, pk=pk, mode="edit")
    address = get_object_or_404(Address, pk=address_pk, party=party) if address_pk else None
    conflict = False
    if request.method == "POST":
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                if address is None:
                    addr_svc.address_create(actor=request.user, party=party, data=form.data_for_service())
                else:
                    addr_svc.address_update(
                        actor=request.user,
                        address=address,
                        version=form.cleaned_data.get("version"),
                        data=form.data_for_service(),
                    )
                messages.success(request, _("Address saved."))
                return redirect(f"{party.get_absolute_url()}?tab=addresses")
            except ConflictError as exc:
                conflict = True
                form.add_error(None, exc.message)
                if address is not None:  # only an update conflicts
                    data = request.POST.copy()  # saving again applies the user's input to the current version
                    data["version"] = str(Address.objects.get(pk=address.pk).version)
                    form.data = data
            except ValidationError as exc:
                form.add_service_errors(exc)
    elif address is not None:
        form = AddressForm(initial={f: getattr(address, f) for f in AddressForm.base_fields})
    else:
        form = AddressForm()
    return render(
        request,
        "parties/address_form.html",
        {"form": form, "party": party, "address": address},
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def address_delete(request, pk, address_pk):
    party = sel.party_get(actor=request.user, pk=pk, mode="edit")
    address = get_object_or_404(Address, pk=address_pk, party=party)
    addr_svc.address_delete(actor=request.user, address=address)
    messages.success(request, _("Address deleted."))
    return redirect(f"{party.get_absolute_url()}?tab=addresses")


@login_required
@require_POST
def note_add(request, pk):
    party = sel.party_get(actor=request.user, pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_svc.note_add(actor=request.user, party=party, body=form.cleaned_data["body"])
            messages.success(request, _("Note added."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Write a note first."))
    return redirect(f"{party.get_absolute_url()}?tab=timeline")


@login_required
@require_POST
def employment_remove(request, pk, employment_pk):
    party = sel.party_get(actor=request.user, pk=pk, mode="edit")
    employment = get_object_or_404(Employment, pk=employment_pk, organization=party)
    employment_svc.employment_remove(actor=request.user, employment=employment)
    messages.success(
        request,
        _("%(person)s is no longer a contact of %(org)s.")
        % {"person": employment.person.name, "org": party.name},
    )
    return redirect(f"{party.get_absolute_url()}?tab=contacts")
