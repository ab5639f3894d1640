"""Roles as data: the shipped roles kept in step with what the apps declare, and custom roles that an
administrator makes from a shipped one (Settings → Roles)."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import Role
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import ADMINISTRATOR, SHIPPED_LABELS, Action, Scope, grants_for
from guanxi.core.services.audit import audit_record

ROLE_FIELDS = ["code", "name", "name_zh", "actions", "view_scopes", "edit_scopes"]


def roles_sync_shipped() -> None:
    """Create the shipped roles and give them exactly what the apps declare (`registry.grant_shipped_role`).

    Idempotent; run after every `migrate` (a post_migrate step, as Django does for its permissions), so an
    upgrade that adds an app or an action brings the shipped roles in step without editing core."""
    declared = registry.shipped_grants()
    for code in SHIPPED_LABELS:
        group, _created = Group.objects.get_or_create(name=code)
        actions, view, edit = declared.get(code, (set(), {}, {}))
        wanted = {
            "shipped": True,
            "all_access": code == ADMINISTRATOR,
            "actions": sorted(actions),
            "view_scopes": dict(sorted(view.items())),
            "edit_scopes": dict(sorted(edit.items())),
        }
        role = Role.objects.filter(code=code).first()
        if role is None:
            Role.objects.create(code=code, group=group, **wanted)
        elif any(getattr(role, k) != v for k, v in wanted.items()):
            Role.objects.filter(pk=role.pk).update(**wanted)


def _require_admin(actor) -> None:
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def _clean(*, name: str, name_zh: str, actions, view_scopes: dict, edit_scopes: dict) -> dict:
    errors: dict[str, list[str]] = {}
    name, name_zh = (name or "").strip(), (name_zh or "").strip()
    if not name and not name_zh:
        errors["name"] = [_("Give the role a name.")]
    known = registry.action_codes()
    unknown = sorted(set(actions) - known)
    if unknown:
        errors["actions"] = [_("Unknown action: %s") % ", ".join(unknown)]
    areas = {a.code for a in registry.areas()}
    scopes: dict[str, dict[str, int]] = {}
    for key, given in (("view_scopes", view_scopes), ("edit_scopes", edit_scopes)):
        scopes[key] = {}
        for area, scope in (given or {}).items():
            if area not in areas:
                errors.setdefault(key, []).append(_("Unknown area: %s") % area)
                continue
            try:
                value = Scope(int(scope))
            except (TypeError, ValueError):
                errors.setdefault(key, []).append(_("Unknown scope: %s") % scope)
                continue
            if value != Scope.NONE:
                scopes[key][area] = int(value)
    for area, scope in scopes["edit_scopes"].items():
        if scope > scopes["view_scopes"].get(area, 0):
            errors.setdefault("edit_scopes", []).append(
                _("A role cannot change more records than it sees (%s).") % area
            )
    if errors:
        raise ValidationError(errors)
    return {"name": name, "name_zh": name_zh, "actions": sorted(set(actions)), **scopes}


@transaction.atomic
def role_create(*, actor, based_on: Role, name: str, name_zh: str = "") -> Role:
    """A custom role that starts as a copy of `based_on` (its actions and scopes)."""
    _require_admin(actor)
    if based_on.all_access:
        raise ValidationError(
            {"based_on": _("The administrator role cannot be copied: it may do everything.")}
        )
    values = _clean(
        name=name,
        name_zh=name_zh,
        actions=based_on.actions,
        view_scopes=based_on.view_scopes,
        edit_scopes=based_on.edit_scopes,
    )
    base = slugify(values["name"]) or "role"
    code, n = base[:40], 1
    while Role.objects.filter(code=code).exists() or Group.objects.filter(name=code).exists():
        n += 1
        code = f"{base[:40]}-{n}"
    try:
        with transaction.atomic():
            group = Group.objects.create(name=code)
            role = Role.objects.create(code=code, group=group, based_on=based_on, **values)
    except IntegrityError:
        raise ConflictError(_("A role with this name was just created; try again.")) from None
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=role,
        changes={k: [None, getattr(role, k)] for k in ROLE_FIELDS if getattr(role, k)}
        | {"based_on": [None, based_on.code]},
    )
    return role


@transaction.atomic
def role_update(
    *, actor, role: Role, version: int | None, name: str, name_zh: str, actions, view_scopes, edit_scopes
) -> Role:
    _require_admin(actor)
    current = Role.objects.select_for_update().get(pk=role.pk)
    if current.shipped:
        raise PermissionDeniedError(_("Shipped roles change with the software; copy one to make your own."))
    if version is None or int(version) != current.version:
        raise ConflictError(
            _("Someone else changed this role meanwhile. Reload it and make your change again.")
        )
    values = _clean(
        name=name, name_zh=name_zh, actions=actions, view_scopes=view_scopes, edit_scopes=edit_scopes
    )
    # Actions of an app that is not installed now are kept: no form shows them, none may drop them.
    kept = [a for a in current.actions if a not in registry.action_codes()]
    values["actions"] = sorted(set(values["actions"]) | set(kept))
    before = {k: getattr(current, k) for k in values}
    for k, v in values.items():
        setattr(current, k, v)
    current.version += 1
    current.save()
    changes = {k: [before[k], v] for k, v in values.items() if before[k] != v}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    return current


@transaction.atomic
def role_delete(*, actor, role: Role) -> None:
    _require_admin(actor)
    current = Role.objects.select_for_update().get(pk=role.pk)
    if current.shipped:
        raise PermissionDeniedError(_("Shipped roles cannot be deleted."))
    holders = current.group.user_set.count()
    if holders:
        raise ValidationError(
            _("%(count)d users hold this role: give them another role first.") % {"count": holders}
        )
    audit_record(
        actor=actor, action=AuditAction.DELETE, target=current, changes={"code": [current.code, None]}
    )
    current.group.delete()  # the role goes with its group
