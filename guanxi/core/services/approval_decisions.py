"""Deciding an approval: approve or reject the current level, once (see approvals.py for submitting)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core.approvals_registry import ApprovalSpec, approvable
from guanxi.core.exceptions import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from guanxi.core.models import ApprovalRequest, ApprovalStage, ApprovalStep
from guanxi.core.models.approvals import RequestStatus, StageStatus, StepStatus
from guanxi.core.selectors import approvals as sel
from guanxi.core.services import approval_common
from guanxi.core.services.approval_common import (
    AlreadyDecidedError,
    _document,
    _end_open_steps,
    _locked,
    _with_delegates,
)
from guanxi.core.services.audit import audit_record

MAX_COMMENT = 2000


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
            approval_common._notify(
                "approval_decided", [u for u in {req.requester, req.submitted_by} if u is not None], req
            )
        elif next_approvers:
            approval_common._notify("approval_waiting", _with_delegates(next_approvers), req)
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
