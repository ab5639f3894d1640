"""What submitting, deciding and withdrawing share: the notification hook, the errors, the row lock."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from guanxi.core.approvals_registry import ApprovalSpec
from guanxi.core.exceptions import ConflictError, GuanxiError, NotFoundError
from guanxi.core.models import ApprovalProblem, ApprovalRequest, ApprovalStep, User
from guanxi.core.models.approvals import RequestStatus, StageStatus, StepStatus
from guanxi.core.selectors import approvals as sel
from guanxi.core.services.audit import audit_record


def _notify(event: str, recipients, request: ApprovalRequest | None) -> None:
    """The one place where approvals tell people something. Events: "approval_waiting" (the approvers of the
    level that is now waiting, and their delegates), "approval_decided" (the requester: approved or
    rejected), "approval_problem" (administrators: a submission found no rule or no approver),
    "delegation_expired" (the delegator and the delegate).

    Called inside the service's transaction; the notifications block delivers after commit (in-app, e-mail,
    messengers, by each user's preferences; event types declared in guanxi/core/core_registry.py)."""
    from django.urls import reverse

    from guanxi.core.services.notifications import notify

    recipients = [u for u in recipients if u is not None]
    if not recipients:
        return
    if request is None:  # a problem with the rules, or a delegation that ended
        code = "approval.problem" if event == "approval_problem" else "approval.delegation_expired"
        title = (
            (lambda: _("A submission found no approval rule or no approver"))
            if event == "approval_problem"
            else (lambda: _("An approval delegation has ended"))
        )
        url = reverse("core:approval_rules") if event == "approval_problem" else reverse("core:delegation")
        notify(event=code, recipients=recipients, title=title, url=url)
        return
    document, url = request.title, reverse("core:approval", args=[request.pk])
    if event == "approval_waiting":
        notify(
            event="approval.waiting",
            recipients=recipients,
            title=lambda: _("%(document)s is waiting for your approval") % {"document": document},
            url=url,
        )
    elif event == "approval_decided":
        outcome = request.status
        notify(
            event="approval.decided",
            recipients=recipients,
            title=lambda: (
                (_("%(document)s was approved") if outcome == "approved" else _("%(document)s was rejected"))
                % {"document": document}
            ),
            url=url,
            actor=request.decided_by,
        )


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


def _with_delegates(users: list) -> list:
    ids = {u.pk for u in users}
    extra = sel.delegates_of(ids)
    return users + list(User.objects.filter(pk__in=set(extra) - ids))


def _end_open_steps(req: ApprovalRequest) -> None:
    req.steps.filter(status__in=[StepStatus.PENDING, StepStatus.WAITING]).update(status=StepStatus.NOT_NEEDED)
    req.stages.filter(status__in=[StageStatus.PENDING, StageStatus.WAITING]).update(
        status=StageStatus.CANCELLED
    )


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


def _withdraw(req: ApprovalRequest, *, actor, obj, now, reason: str) -> None:
    ApprovalRequest.objects.filter(pk=req.pk).update(
        status=RequestStatus.CANCELLED, decided_at=now, decided_by=actor, version=F("version") + 1
    )
    _end_open_steps(req)
    audit_record(actor=actor, action="withdraw", target=req, changes={"reason": [None, reason]}, also=[obj])
