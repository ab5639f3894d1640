"""Approval rules (Settings → Approval rules, administrators): create, change, reorder, delete; and how a rule's
conditions are checked against a document's values.

A rule belongs to one approvable document type (guanxi.core.approvals_registry). Its conditions test the
fields that type registered (all must hold; at most one condition per field: a range is two rules in order);
its levels say who approves, in order. The first active rule (by position) whose conditions hold applies.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from guanxi.core.approvals_registry import BOOLEAN, CHOICE, DECIMAL, INTEGER, ApprovalSpec, approvable
from guanxi.core.exceptions import ConflictError, PermissionDeniedError
from guanxi.core.models import ApprovalRule, ApprovalRuleLevel, Role, User
from guanxi.core.models.approvals import ApproverKind, LevelMode
from guanxi.core.models.audit import AuditAction
from guanxi.core.roles import Action, grants_for
from guanxi.core.services.audit import audit_record

MAX_LEVELS = 10
MAX_NUMBER = Decimal("1e15")
TRUE_WORDS = {"true", "yes", "1"}
FALSE_WORDS = {"false", "no", "0"}


def require_admin(actor) -> None:
    if actor is None or not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


# --- Conditions -------------------------------------------------------------------------------------------


def _number(kind: str, raw) -> Decimal | int:
    if isinstance(raw, bool) or raw is None or isinstance(raw, list | dict):
        raise ValueError
    text = str(raw).strip().replace(",", "")
    value = Decimal(text)
    if not value.is_finite() or abs(value) >= MAX_NUMBER:
        raise ValueError
    if kind == INTEGER:
        if value != value.to_integral_value():
            raise ValueError
        return int(value)
    return value


def _condition_value(spec_field, op: str, raw):
    """The stored form of a condition's value (ValueError with a message when it is not valid)."""
    kind = spec_field.kind
    if kind in (DECIMAL, INTEGER):
        try:
            value = _number(kind, raw)
        except (ValueError, InvalidOperation, TypeError):
            raise ValueError(
                _("Enter a whole number.") if kind == INTEGER else _("Enter a number, e.g. 10000 or 12.5.")
            ) from None
        return format(value, "f") if kind == DECIMAL else value
    if kind == CHOICE:
        items = raw if isinstance(raw, list) else [raw] if isinstance(raw, str) and raw else []
        codes = {str(c) for c, _label in spec_field.choices}
        if not items or not all(isinstance(i, str) and i in codes for i in items):
            raise ValueError(_("Choose one or more of: %(choices)s.") % {"choices": ", ".join(sorted(codes))})
        return sorted(set(items))
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ValueError(_("Choose yes or no."))


def conditions_clean(spec: ApprovalSpec, conditions) -> list[dict]:
    """Conditions as stored, or ValidationError naming each bad one (`conditions[1]`)."""
    if not isinstance(conditions, list):
        raise ValidationError({"conditions": [_("Send a list of conditions.")]})
    errors: dict[str, list[str]] = {}
    clean: list[dict] = []
    seen: set[str] = set()
    for i, cond in enumerate(conditions):
        key = f"conditions[{i}]"
        if not isinstance(cond, dict):
            errors[key] = [_("Send each condition as {field, op, value}.")]
            continue
        name, op = cond.get("field"), cond.get("op")
        field = spec.fields.get(name) if isinstance(name, str) else None
        if field is None or not isinstance(name, str):
            errors[key] = [_("Unknown field: choose one of %(fields)s.") % {"fields": ", ".join(spec.fields)}]
            continue
        if name in seen:
            errors[key] = [
                _("%(field)s has a condition already: one per field (for a range, put two rules in order).")
                % {"field": field.label}
            ]
            continue
        seen.add(name)
        if op not in field.operators:
            errors[key] = [
                _("%(field)s can be compared with: %(ops)s.")
                % {"field": field.label, "ops": ", ".join(field.operators)}
            ]
            continue
        try:
            value = _condition_value(field, op, cond.get("value"))
        except ValueError as exc:
            errors[key] = [f"{field.label}: {exc}"]
            continue
        clean.append({"field": name, "op": op, "value": value})
    if errors:
        raise ValidationError(errors)
    return clean


def condition_holds(spec: ApprovalSpec, cond: dict, values: dict) -> bool:
    """Whether one stored condition holds for a document's snapshot values. A field the app no longer
    registers, or a value the document lacks, never holds (the rule then does not apply)."""
    field = spec.fields.get(cond.get("field", ""))
    if field is None:
        return False
    actual, expected, op = values.get(cond["field"]), cond.get("value"), cond.get("op")
    if actual is None or actual == "":
        return False
    try:
        if field.kind in (DECIMAL, INTEGER):
            a, e = Decimal(str(actual)), Decimal(str(expected))
            return {
                "gt": a > e,
                "gte": a >= e,
                "lt": a < e,
                "lte": a <= e,
                "eq": a == e,
            }.get(str(op), False)
    except (InvalidOperation, ValueError):
        return False
    if field.kind == CHOICE:
        chosen = set(expected if isinstance(expected, list) else [expected])
        return (str(actual) in chosen) if op == "in" else (op == "not_in" and str(actual) not in chosen)
    if field.kind == BOOLEAN:
        return bool(actual) is bool(expected)
    return False


def rule_matches(spec: ApprovalSpec, rule: ApprovalRule, values: dict) -> bool:
    return all(condition_holds(spec, c, values) for c in rule.conditions or [])


def rule_for(spec: ApprovalSpec, values: dict) -> ApprovalRule | None:
    """The first active rule of the document type (by position) whose conditions hold."""
    rules = ApprovalRule.objects.filter(document_type=spec.document, is_active=True).order_by(
        "position", "id"
    )
    return next((r for r in rules.prefetch_related("levels") if rule_matches(spec, r, values)), None)


# --- Levels -----------------------------------------------------------------------------------------------


def levels_clean(levels, *, no_approval: bool) -> list[dict]:
    """[{kind, role_id, user_id, mode}] as stored, or ValidationError (`levels[0]`)."""
    if not isinstance(levels, list):
        raise ValidationError({"levels": [_("Send a list of levels.")]})
    if no_approval:
        if levels:
            raise ValidationError({"levels": [_("A rule that needs no approval has no levels.")]})
        return []
    if not levels:
        raise ValidationError({"levels": [_("Add at least one level: who approves.")]})
    if len(levels) > MAX_LEVELS:
        raise ValidationError({"levels": [_("Use at most %(n)d levels.") % {"n": MAX_LEVELS}]})
    errors: dict[str, list[str]] = {}
    clean = []
    for i, level in enumerate(levels):
        key = f"levels[{i}]"
        if not isinstance(level, dict):
            errors[key] = [_("Send each level as {kind, role_id or user_id, mode}.")]
            continue
        kind, mode = level.get("kind"), level.get("mode") or LevelMode.ANY
        if kind not in ApproverKind.values:
            errors[key] = [_("Choose who approves: a role, a named user or the team manager.")]
            continue
        if mode not in LevelMode.values:
            errors[key] = [_("Choose whether any one approver is enough or all must approve.")]
            continue
        row = {"kind": kind, "mode": mode, "role_id": None, "user_id": None}
        if kind == ApproverKind.ROLE:
            rid = level.get("role_id")
            role = Role.objects.filter(pk=rid).first() if isinstance(rid, int) and _id(rid) else None
            if role is None:
                errors[key] = [_("Choose the role that approves this level.")]
                continue
            row["role_id"] = role.pk
        elif kind == ApproverKind.USER:
            uid = level.get("user_id")
            user = (
                User.objects.filter(pk=uid, is_active=True).first()
                if isinstance(uid, int) and _id(uid)
                else None
            )
            if user is None:
                errors[key] = [_("Choose the user (an active one) who approves this level.")]
                continue
            row["user_id"] = user.pk
        clean.append(row)
    if errors:
        raise ValidationError(errors)
    return clean


def _id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def level_text(level) -> str:
    """A level in words for the audit trail, e.g. "role sales_manager (any)"."""
    who = {
        ApproverKind.ROLE: f"role {level.role.code if level.role else '?'}",
        ApproverKind.USER: f"user {level.user.username if level.user else '?'}",
        ApproverKind.TEAM_MANAGER: "team manager",
    }.get(level.kind, level.kind)
    return f"{who} ({level.mode})"


# --- Rules ------------------------------------------------------------------------------------------------


def _spec(document_type: str) -> ApprovalSpec:
    spec = approvable(document_type)
    if spec is None:
        raise ValidationError({"document_type": [_("This kind of document cannot be approved.")]})
    return spec


def _clean(*, spec, name, conditions, levels, no_approval) -> dict:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the rule a name.")]
    elif len(name) > 100:
        errors["name"] = [_("Use at most 100 characters.")]
    clean: dict = {"name": name}
    for key, fn in (
        ("conditions", lambda: conditions_clean(spec, conditions)),
        ("levels", lambda: levels_clean(levels, no_approval=no_approval)),
    ):
        try:
            clean[key] = fn()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean


def _audit_values(rule: ApprovalRule) -> dict:
    return {
        "name": rule.name,
        "conditions": [f"{c['field']} {c['op']} {c['value']}" for c in rule.conditions],
        "levels": [level_text(lv) for lv in rule.levels.select_related("role", "user")],
        "no_approval": rule.no_approval,
        "is_active": rule.is_active,
    }


def _write_levels(rule: ApprovalRule, levels: list[dict]) -> None:
    rule.levels.all().delete()
    ApprovalRuleLevel.objects.bulk_create(
        ApprovalRuleLevel(rule=rule, position=i, **lv) for i, lv in enumerate(levels, start=1)
    )


@transaction.atomic
def approval_rule_create(
    *, actor, document_type: str, name: str, conditions=(), levels=(), no_approval=False, is_active=True
) -> ApprovalRule:
    """A new rule, placed last among the document type's rules."""
    require_admin(actor)
    spec = _spec(document_type)
    clean = _clean(
        spec=spec, name=name, conditions=list(conditions), levels=list(levels), no_approval=no_approval
    )
    last = ApprovalRule.objects.filter(document_type=document_type).aggregate(m=Max("position"))["m"] or 0
    rule = ApprovalRule.objects.create(
        document_type=document_type,
        name=clean["name"],
        position=last + 1,
        conditions=clean["conditions"],
        no_approval=bool(no_approval),
        is_active=bool(is_active),
    )
    _write_levels(rule, clean["levels"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        target=rule,
        changes={k: [None, v] for k, v in _audit_values(rule).items()},
    )
    return rule


@transaction.atomic
def approval_rule_update(
    *, actor, rule: ApprovalRule, version: int | None, name: str, conditions, levels, no_approval, is_active
) -> ApprovalRule:
    require_admin(actor)
    current = ApprovalRule.objects.select_for_update().get(pk=rule.pk)
    if version is None or int(version) != current.version:
        raise ConflictError(
            _("Someone else changed this rule meanwhile. Your input is kept below: review and save again.")
        )
    spec = _spec(current.document_type)
    clean = _clean(
        spec=spec, name=name, conditions=list(conditions), levels=list(levels), no_approval=no_approval
    )
    before = _audit_values(current)
    current.name, current.conditions = clean["name"], clean["conditions"]
    current.no_approval, current.is_active = bool(no_approval), bool(is_active)
    current.version += 1
    current.save()
    _write_levels(current, clean["levels"])
    after = _audit_values(current)
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, target=current, changes=changes)
    return current


@transaction.atomic
def approval_rule_delete(*, actor, rule: ApprovalRule) -> None:
    """Requests already submitted keep their levels and approvers; only new submissions lose the rule."""
    require_admin(actor)
    current = ApprovalRule.objects.select_for_update().get(pk=rule.pk)
    audit_record(
        actor=actor, action=AuditAction.DELETE, target=current, changes={"name": [current.name, None]}
    )
    current.delete()


@transaction.atomic
def approval_rule_move(*, actor, rule: ApprovalRule, position: int) -> ApprovalRule:
    """Put a rule at `position` (1 = checked first) among its document type's rules; the others close up."""
    require_admin(actor)
    rules = list(
        ApprovalRule.objects.select_for_update()
        .filter(document_type=rule.document_type)
        .order_by("position", "id")
    )
    moving = next((r for r in rules if r.pk == rule.pk), None)
    if moving is None:
        raise ConflictError(_("This rule was deleted meanwhile."))
    if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= len(rules):
        raise ValidationError({"position": [_("Choose a place from 1 to %(n)d.") % {"n": len(rules)}]})
    before = rules.index(moving) + 1
    rules.remove(moving)
    rules.insert(position - 1, moving)
    for i, r in enumerate(rules, start=1):
        if r.position != i:
            ApprovalRule.objects.filter(pk=r.pk).update(position=i)
            r.position = i
    if before != position:
        audit_record(
            actor=actor, action=AuditAction.UPDATE, target=moving, changes={"position": [before, position]}
        )
    return moving
