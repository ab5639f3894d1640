"""Approvals: submit a document, approve or reject it level by level, withdraw it. See
docs/subsystems/approvals.md; rules are in approval_rules.py, delegation in approval_delegations.py.

Deciding is in approval_decisions.py (approval_approve, approval_reject); what they share (the errors, the
notification hook `_notify`) in approval_common.py.

An app registers its document type (guanxi.core.approvals_registry.register_approvable) and calls
`approval_submit(actor=..., obj=...)` inside its own "submit" service. Decisions run the app's
`on_approved` / `on_rejected` inside the decision's transaction. Every submission and decision is audited on
the request and on the document.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.approvals_registry import ApprovalSpec, approvable, approvable_of
from guanxi.core.exceptions import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
)
from guanxi.core.models import (
    ApprovalProblem,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStage,
    ApprovalStep,
    AuditEntry,
    User,
)
from guanxi.core.models.approvals import (
    ApproverKind,
    ProblemKind,
    RequestStatus,
    SkipReason,
    StageStatus,
    StepStatus,
)
from guanxi.core.roles import ADMINISTRATOR, Action, grants_for
from guanxi.core.selectors import approvals as sel
from guanxi.core.services import approval_common
from guanxi.core.services.approval_common import (
    AlreadyDecidedError,
    ApprovalSetupError,
    _document,
    _locked,
    _title,
    _with_delegates,
    _withdraw,
)
from guanxi.core.services.approval_decisions import approval_approve, approval_reject
from guanxi.core.services.approval_rules import require_admin, rule_for
from guanxi.core.services.audit import audit_record

# One entry point for apps: submit, decide, withdraw, and the errors they raise.
__all__ = [
    "AlreadyDecidedError",
    "ApprovalSetupError",
    "approval_approve",
    "approval_problem_dismiss",
    "approval_reject",
    "approval_submit",
    "approval_end_for",
    "approval_withdraw",
]


def _last_changer(spec: ApprovalSpec, obj):
    """Who last changed a relevant field: the app's answer, or the latest audit entry of the document that
    touched one of them."""
    if spec.last_changed_by is not None:
        return spec.last_changed_by(obj)
    entry = (
        AuditEntry.objects.filter(target_type=spec.document, target_id=str(obj.pk))
        .filter(changes__has_any_keys=spec.relevant)
        .order_by("-at", "-id")
        .select_related("actor")
        .first()
    )
    return entry.actor if entry else None


def _candidates(stage_kind: str, *, role, user, team) -> list:
    if stage_kind == ApproverKind.USER:
        return [user] if user is not None else []
    if stage_kind == ApproverKind.ROLE:
        if role is None:
            return []
        qs = User.objects.filter(groups__role=role)
        if role.code == ADMINISTRATOR:
            qs = qs | User.objects.filter(is_superuser=True)
        return list(qs.filter(is_active=True).distinct().order_by("username"))
    if team is None:
        return []
    return list(
        User.objects.filter(memberships__team=team, memberships__is_manager=True)
        .distinct()
        .order_by("username")
    )


def _skip_reason(candidate, *, doc, obj, excluded: dict[int, str]) -> str:
    if candidate.pk in excluded:
        return excluded[candidate.pk]
    if not candidate.is_active:
        return SkipReason.INACTIVE
    if not doc.may_view(candidate, obj):
        return SkipReason.NO_ACCESS
    return ""


def _no_approver_message(position: int, label: str, skipped: list[tuple[object, str]]) -> str:
    if not skipped:
        return _(
            "Level %(level)d (%(who)s) has nobody to approve it. Ask an administrator to change the approval rule."
        ) % {"level": position, "who": label}
    names = "; ".join(f"{user} ({SkipReason(reason).label})" for user, reason in skipped)
    return _(
        "Level %(level)d (%(who)s) has nobody else to approve it: %(names)s. Ask an administrator to change "
        "the approval rule."
    ) % {"level": position, "who": label, "names": names}


def _build_path(req: ApprovalRequest, rule: ApprovalRule, *, spec, doc, obj, excluded, actor, now) -> list:
    """Stages and steps of a new request; the first level waits. Returns the first level's approvers."""
    team = spec.team_of(obj)
    first: list = []
    for level in rule.levels.select_related("role", "user").order_by("position"):
        stage = ApprovalStage.objects.create(
            request=req,
            position=level.position,
            kind=level.kind,
            role=level.role,
            user=level.user,
            team=team if level.kind == ApproverKind.TEAM_MANAGER else None,
            mode=level.mode,
            status=StageStatus.PENDING if level.position == 1 else StageStatus.WAITING,
        )
        steps, skipped = [], []
        for cand in _candidates(level.kind, role=level.role, user=level.user, team=stage.team):
            reason = _skip_reason(cand, doc=doc, obj=obj, excluded=excluded)
            if reason:
                skipped.append((cand, reason))
            waiting = level.position == 1 and not reason
            steps.append(
                ApprovalStep(
                    request=req,
                    stage=stage,
                    approver=cand,
                    status=StepStatus.SKIPPED
                    if reason
                    else StepStatus.PENDING
                    if waiting
                    else StepStatus.WAITING,
                    skip_reason=reason,
                    pending_since=now if waiting else None,
                )
            )
        if len(skipped) == len(steps):
            raise ApprovalSetupError(
                _no_approver_message(level.position, sel.stage_label(stage), skipped),
                kind=ProblemKind.NO_APPROVER,
                spec=spec,
                obj=obj,
                actor=actor,
                values=req.values,
                level=level.position,
            )
        ApprovalStep.objects.bulk_create(steps)
        if level.position == 1:
            first = [s.approver for s in steps if s.status == StepStatus.PENDING]
    return first


@transaction.atomic
def approval_submit(*, actor, obj) -> ApprovalRequest:
    """Submit a document for approval (the app calls this from its own submit service).

    The first matching rule applies; its values and approvers are fixed now. A rule that says no approval is
    needed approves at once (the app's on_approved runs). No rule, or a level with nobody allowed to approve,
    is an ApprovalSetupError (never a silent pass). A document already waiting is refused, unless its values
    changed since: then the old request is withdrawn and the new one replaces it."""
    spec = approvable_of(obj)
    if spec is None:
        raise ValueError(f"{obj._meta.label_lower} is not approvable: call register_approvable first")
    doc = spec.document_type
    if not doc.may_view(actor, obj):
        raise NotFoundError()
    if not doc.may_change(actor, obj):
        raise PermissionDeniedError()
    obj = type(obj)._default_manager.get(pk=obj.pk)  # what is saved is what gets approved
    values = spec.snapshot(obj)
    now = timezone.now()
    pending = (
        ApprovalRequest.objects.select_for_update()
        .filter(document_type=spec.document, object_id=str(obj.pk), status=RequestStatus.PENDING)
        .first()
    )
    if pending is not None:
        if not spec.changed_fields(pending.values, values):
            raise ConflictError(_("This document is already waiting for approval."))
        _withdraw(pending, actor=actor, obj=obj, now=now, reason="resubmitted")
    rule = rule_for(spec, values)
    if rule is None:
        raise ApprovalSetupError(
            _(
                "No approval rule applies to this document, so it cannot be submitted. An administrator must "
                "add or change a rule in Settings → Approval rules."
            ),
            kind=ProblemKind.NO_RULE,
            spec=spec,
            obj=obj,
            actor=actor,
            values=values,
        )
    requester = spec.requester(obj) if spec.requester else actor
    last_changer = _last_changer(spec, obj)
    req = ApprovalRequest.objects.create(
        document_type=spec.document,
        object_id=str(obj.pk),
        title=_title(spec, obj),
        rule=rule,
        rule_name=rule.name,
        values=values,
        requester=requester,
        submitted_by=actor,
        last_changed_by=last_changer,
        submitted_at=now,
        level_count=0 if rule.no_approval else len(rule.levels.all()),
    )
    changes = {"rule": [None, rule.name], "values": [None, values]}
    if rule.no_approval:
        ApprovalRequest.objects.filter(pk=req.pk).update(status=RequestStatus.APPROVED, decided_at=now)
        req.refresh_from_db()
        audit_record(
            actor=actor,
            action="submit",
            target=req,
            changes=changes | {"result": [None, "approved"]},
            also=[obj],
        )
        if spec.on_approved:
            spec.on_approved(obj, actor)
        return req
    excluded = {requester.pk: SkipReason.REQUESTER} if requester else {}
    excluded.setdefault(actor.pk, SkipReason.REQUESTER)
    if last_changer is not None:
        excluded.setdefault(last_changer.pk, SkipReason.LAST_CHANGER)
    first = _build_path(req, rule, spec=spec, doc=doc, obj=obj, excluded=excluded, actor=actor, now=now)
    audit_record(actor=actor, action="submit", target=req, changes=changes, also=[obj])
    approval_common._notify("approval_waiting", _with_delegates(first), req)
    return req


@transaction.atomic
def approval_end_for(*, actor, obj, reason: str = "document cancelled") -> bool:
    """The document itself was cancelled by someone allowed to (the app checked): its waiting request ends,
    whoever submitted it, and its open steps leave the approvers' inboxes. The app's hooks are not called.
    Returns whether a request was waiting."""
    spec = approvable_of(obj)
    if spec is None:
        return False
    req = (
        ApprovalRequest.objects.select_for_update()
        .filter(document_type=spec.document, object_id=str(obj.pk), status=RequestStatus.PENDING)
        .first()
    )
    if req is None:
        return False
    _withdraw(req, actor=actor, obj=obj, now=timezone.now(), reason=reason)
    return True


@transaction.atomic
def approval_withdraw(*, actor, request: ApprovalRequest) -> ApprovalRequest:
    """The requester (or whoever submitted it, or an administrator) takes a waiting request back. The app's
    on_withdrawn runs, if it registered one."""
    req = _locked(request)
    _doc, obj = _document(req, actor)
    if actor.pk not in {req.requester_id, req.submitted_by_id} and not grants_for(actor).can(
        Action.SETTINGS_MANAGE
    ):
        raise PermissionDeniedError(_("Only the requester can withdraw this request."))
    if req.status != RequestStatus.PENDING:
        raise AlreadyDecidedError(req)
    _withdraw(req, actor=actor, obj=obj, now=timezone.now(), reason="withdrawn")
    spec = approvable(req.document_type)
    if spec is not None and spec.on_withdrawn:
        spec.on_withdrawn(obj, actor)
    req.refresh_from_db()
    return req


@transaction.atomic
def approval_problem_dismiss(*, actor, problem: ApprovalProblem) -> None:
    require_admin(actor)
    ApprovalProblem.objects.filter(pk=problem.pk, resolved_at=None).update(resolved_at=timezone.now())
