"""Settings → Roles (administrators): the permission matrix, custom roles made from a shipped one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guanxi.core.exceptions import ConflictError
from guanxi.core.forms import RoleCreateForm, RoleForm
from guanxi.core.models import Role
from guanxi.core.selectors.roles import role_get, role_matrix
from guanxi.core.services import roles as role_svc


def _role(request, pk) -> Role:
    try:
        return role_get(actor=request.user, pk=pk)
    except Role.DoesNotExist:
        raise Http404 from None


@login_required
def role_list(request):
    roles, groups = role_matrix(actor=request.user)
    form = RoleCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = role_svc.role_create(
                actor=request.user,
                based_on=form.cleaned_data["based_on"],
                name=form.cleaned_data["name"],
                name_zh=form.cleaned_data["name_zh"],
            )
        except (ValidationError, ConflictError) as exc:
            if isinstance(exc, ConflictError):
                form.add_error(None, str(exc))
            else:
                form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Role %(name)s created: choose what it may do.") % {"name": role.label}
            )
            return redirect("core:role_edit", pk=role.pk)
    return render(
        request,
        "core/settings/roles.html",
        {"roles": roles, "groups": groups, "form": form, "section": "roles"},
    )


@login_required
def role_edit(request, pk):
    role = _role(request, pk)
    if role.shipped:
        form = RoleForm(initial=RoleForm.initial_for(role))
        for field in form.fields.values():
            field.disabled = True
        return render(
            request, "core/settings/role_form.html", {"role": role, "form": form, "section": "roles"}
        )
    form = RoleForm(request.POST or None, initial=RoleForm.initial_for(role))
    if request.method == "POST" and form.is_valid():
        try:
            role_svc.role_update(actor=request.user, role=role, **form.service_values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except ConflictError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Role %(name)s saved.") % {"name": role.label})
            return redirect("core:roles")
    return render(request, "core/settings/role_form.html", {"role": role, "form": form, "section": "roles"})


@login_required
@require_POST
def role_delete(request, pk):
    role = _role(request, pk)
    try:
        role_svc.role_delete(actor=request.user, role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("core:role_edit", pk=role.pk)
    messages.success(request, _("Role %(name)s deleted.") % {"name": role.label})
    return redirect("core:roles")
