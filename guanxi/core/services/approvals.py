"""Approvals: submit a document, approve or reject it level by level, withdraw it. See
docs/subsystems/approvals.md; rules are in approval_rules.py, delegation in approval_delegations.py.

An app registers its document type (guanxi.core.approvals_registry.register_approvable) and calls
`approval_submit(actor=..., obj=...)` inside its own "submit" service. Decisions run the app's
`on_approved` / `on_rejected` inside the decision's transaction. Every submission and decision is audited on
the request and on the document.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.approvals_registry import ApprovalSpec, approvable, approvable_of
from guanxi.core.exceptions import (
    ConflictError,
    GuanxiError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
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
from guanxi.core.services.approval_rules import require_admin, rule_for
from guanxi.core.services.audit import audit_record

MAX_COMMENT = 2000


def _notify(event: str, recipients, request: ApprovalRequest | None) -> None:
    """The one place where approvals tell people something. Events: "approval_waiting" (the approvers of the
    level that is now waiting, and their delegates), "approval_decided" (the requester: approved or
    rejected), "approval_problem" (administrators: a submission found no rule or no approver),
    "delegation_expired" (the delegator and the delegate).

    Called inside the service's transaction. This is where the notifications block's `notify()` is called
    (in-app, e-mail, messengers by each user's preferences); until it is connected, nothing is sent."""
    return None


class ApprovalSetupError(GuanxiError):
    """The rules cannot handle this document: no rule applies, or a level is left with nobody who may
    approve. The submitter sees the message; administrators see it on Settings → Approval rules (the
    problem is recorded when the failed transaction has been rolled back: `record()`)."""

    status = 422

    def __init__(self, message, *, kind: str, spec: ApprovalSpec, obj, actor, values: dict, level=None):
        super().__init__(message)
        self.kind, self.spec, self.obj, self.actor, self.values, self.level = (
            kind,
            spec,
            obj,
            actor,
            values,
            level,
        )
        self.recorded = False

    def after_rollback(self) -> None:
        """Record the problem for administrators. Core's error handlers (web and API) call this; a view that
        catches the error itself calls it after the transaction that failed."""
        if self.recorded:
            return
        self.recorded = True
        if connection.in_atomic_block:
            transaction.on_commit(self._write)
        else:
            self._write()

    record = after_rollback

    def _write(self) -> None:
        with transaction.atomic():
            problem = ApprovalProblem.objects.create(
                kind=self.kind,
                document_type=self.spec.document,
                object_id=str(self.obj.pk),
                title=_title(self.spec, self.obj),
                values=self.values,
                level=self.level,
                submitted_by=self.actor if getattr(self.actor, "pk", None) else None,
            )
            admins = User.objects.filter(is_active=True, groups__role__all_access=True) | User.objects.filter(
                is_active=True, is_superuser=True
            )
            _notify("approval_problem", list(admins.distinct()), None)
            return problem  # type: ignore[return-value]  # for tests calling _write directly


class AlreadyDecidedError(ConflictError):
    """Someone (maybe the same user in another tab) decided first."""

    def __init__(self, request: ApprovalRequest, step: ApprovalStep | None = None):
        by = (step.decided_by if step else None) or request.decided_by
        outcome = step.get_status_display() if step else request.get_status_display()
        if by is not None:
            message = _("Already decided by %(name)s (%(outcome)s).") % {"name": by, "outcome": outcome}
        else:
            message = _("Already decided (%(outcome)s).") % {"outcome": outcome}
        super().__init__(message)


def _title(spec: ApprovalSpec, obj) -> str:
    return str(spec.document_type.title(obj))[:200]


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


def _with_delegates(users: list) -> list:
    ids = {u.pk for u in users}
    extra = sel.delegates_of(ids)
    return users + list(User.objects.filter(pk__in=set(extra) - ids))


def _end_open_steps(req: ApprovalRequest) -> None:
    req.steps.filter(status__in=[StepStatus.PENDING, StepStatus.WAITING]).update(status=StepStatus.NOT_NEEDED)
    req.stages.filter(status__in=[StageStatus.PENDING, StageStatus.WAITING]).update(
        status=StageStatus.CANCELLED
    )


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
    _notify("approval_waiting", _with_delegates(first), req)
    return req


def _locked(request: ApprovalRequest) -> ApprovalRequest:
    try:
        return ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    except ApprovalRequest.DoesNotExist:
        raise NotFoundError() from None


def _document(req: ApprovalRequest, actor):
    doc, obj = sel.document_of(req)
    if doc is None or obj is None or not doc.may_view(actor, obj):
        raise NotFoundError()
    return doc, obj


def _unchanged(spec: ApprovalSpec, req: ApprovalRequest, obj) -> None:
    """Approvers decide on what was submitted: a document whose values changed since must be submitted
    again (which withdraws this request)."""
    now = spec.snapshot(obj)
    changed = spec.changed_fields(req.values, now)
    if changed:
        fields = ", ".join(
            f"{spec.fields[n].label}: {spec.fields[n].show(req.values.get(n))} → {spec.fields[n].show(now.get(n))}"
            for n in changed
        )
        raise ConflictError(
            _("The document changed after it was submitted (%(fields)s). It must be submitted again.")
            % {"fields": fields}
        )


def _step_to_decide(req: ApprovalRequest, actor, on_behalf_of) -> ApprovalStep:
    steps = list(req.steps.filter(status=StepStatus.PENDING).select_related("approver", "stage"))
    can, blocked = sel.decidable_steps(actor=actor, request=req, steps=steps)
    if blocked:
        raise PermissionDeniedError(blocked)
    if on_behalf_of is not None:
        can = [s for s in can if s.approver_id == getattr(on_behalf_of, "pk", on_behalf_of)]
    if can:
        return can[0]
    if actor.pk in {req.requester_id, req.submitted_by_id, req.last_changed_by_id}:
        raise PermissionDeniedError(sel.segregation_message(actor=actor, request=req))
    # Not (or no longer) theirs: was it decided already by them or by someone else on their level?
    theirs = set(sel.delegator_ids(actor)) | {actor.pk}
    done = (
        req.steps.filter(approver_id__in=theirs, stage__position__lte=req.current_level)
        .exclude(status__in=[StepStatus.PENDING, StepStatus.WAITING, StepStatus.SKIPPED])
        .select_related("decided_by", "stage")
        .order_by("-stage__position", "-decided_at")
        .first()
    )
    if done is not None:
        if done.status == StepStatus.NOT_NEEDED:  # someone else decided the level: name them
            done = (
                done.stage.steps.exclude(decided_by=None)
                .select_related("decided_by")
                .order_by("decided_at")
                .first()
                or done
            )
        raise AlreadyDecidedError(req, done)
    raise PermissionDeniedError(_("This request is not waiting for your approval."))


def _decide(
    *, actor, request: ApprovalRequest, approve: bool, comment: str, on_behalf_of=None
) -> ApprovalRequest:
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": [_("Say why you reject it: the requester will read this.")]})
    if len(comment) > MAX_COMMENT:
        raise ValidationError({"comment": [_("Use at most %(n)d characters.") % {"n": MAX_COMMENT}]})
    with transaction.atomic():
        req = _locked(request)
        doc, obj = _document(req, actor)
        spec = approvable(req.document_type)
        if spec is None:
            raise NotFoundError()
        if req.status != RequestStatus.PENDING:
            last = (
                req.steps.exclude(decided_by=None)
                .select_related("decided_by")
                .order_by("-decided_at")
                .first()
            )
            raise AlreadyDecidedError(req, last)
        _unchanged(spec, req, obj)
        step = _step_to_decide(req, actor, on_behalf_of)
        now = timezone.now()
        status = StepStatus.APPROVED if approve else StepStatus.REJECTED
        done = ApprovalStep.objects.filter(pk=step.pk, status=StepStatus.PENDING).update(
            status=status, decided_by=actor, decided_at=now, comment=comment
        )
        if not done:
            raise AlreadyDecidedError(req, ApprovalStep.objects.select_related("decided_by").get(pk=step.pk))
        stage = step.stage
        fields: dict = {}
        next_approvers: list = []
        if not approve:
            ApprovalStage.objects.filter(pk=stage.pk).update(status=StageStatus.REJECTED, decided_at=now)
            _end_open_steps(req)
            fields = {"status": RequestStatus.REJECTED, "decided_at": now, "decided_by": actor}
        elif stage.mode == "any" or not stage.steps.filter(status=StepStatus.PENDING).exists():
            stage.steps.filter(status=StepStatus.PENDING).update(status=StepStatus.NOT_NEEDED)
            ApprovalStage.objects.filter(pk=stage.pk).update(status=StageStatus.APPROVED, decided_at=now)
            following = req.stages.filter(position=stage.position + 1).first()
            if following is not None:
                ApprovalStage.objects.filter(pk=following.pk).update(status=StageStatus.PENDING)
                following.steps.filter(status=StepStatus.WAITING).update(
                    status=StepStatus.PENDING, pending_since=now
                )
                next_approvers = [
                    s.approver
                    for s in following.steps.filter(status=StepStatus.PENDING).select_related("approver")
                ]
                fields = {"current_level": following.position}
            else:
                fields = {"status": RequestStatus.APPROVED, "decided_at": now, "decided_by": actor}
        if not ApprovalRequest.objects.filter(pk=req.pk, version=req.version).update(
            version=F("version") + 1, **fields
        ):
            raise AlreadyDecidedError(req)  # pragma: no cover  (the row lock makes this a second guard)
        req.refresh_from_db()
        changes = {
            "decision": [None, status],
            "level": [None, stage.position],
            **({"comment": [None, comment]} if comment else {}),
            **({"on_behalf_of": [None, str(step.approver)]} if step.approver_id != actor.pk else {}),
            **({"result": [None, req.status]} if req.status != RequestStatus.PENDING else {}),
        }
        audit_record(
            actor=actor, action="approve" if approve else "reject", target=req, changes=changes, also=[obj]
        )
        if req.status == RequestStatus.APPROVED and spec.on_approved:
            spec.on_approved(obj, actor)
        elif req.status == RequestStatus.REJECTED and spec.on_rejected:
            spec.on_rejected(obj, actor, comment)
        if req.status != RequestStatus.PENDING:
            _notify("approval_decided", [u for u in {req.requester, req.submitted_by} if u is not None], req)
        elif next_approvers:
            _notify("approval_waiting", _with_delegates(next_approvers), req)
        return req


def approval_approve(
    *, actor, request: ApprovalRequest, comment: str = "", on_behalf_of=None
) -> ApprovalRequest:
    """Approve the current level for the actor (or, as a delegate, for `on_behalf_of`). All-of levels need
    every approver; any-one-of levels one. The last level's approval runs the app's on_approved."""
    return _decide(actor=actor, request=request, approve=True, comment=comment, on_behalf_of=on_behalf_of)


def approval_reject(*, actor, request: ApprovalRequest, comment: str, on_behalf_of=None) -> ApprovalRequest:
    """Reject (a comment is required): the request ends and the app's on_rejected runs."""
    return _decide(actor=actor, request=request, approve=False, comment=comment, on_behalf_of=on_behalf_of)


def _withdraw(req: ApprovalRequest, *, actor, obj, now, reason: str) -> None:
    ApprovalRequest.objects.filter(pk=req.pk).update(
        status=RequestStatus.CANCELLED, decided_at=now, decided_by=actor, version=F("version") + 1
    )
    _end_open_steps(req)
    audit_record(actor=actor, action="withdraw", target=req, changes={"reason": [None, reason]}, also=[obj])


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
