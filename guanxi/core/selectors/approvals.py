"""Reads of approvals: the inbox ("waiting for me", delegated ones included), a request with its path, the
path shown on a document's page, delegations, and the rules page. A request is seen only by someone who may
see its document (the document type's `may_view`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from guanxi.core import registry
from guanxi.core.approvals_registry import ApprovalSpec, approvable, approvables, describe_condition
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import (
    ApprovalDelegation,
    ApprovalProblem,
    ApprovalRequest,
    ApprovalRule,
    ApprovalRuleLevel,
    ApprovalStage,
    ApprovalStep,
)
from guanxi.core.models.approvals import ApproverKind, DelegationStatus, RequestStatus, StepStatus
from guanxi.core.pagination import Page, keyset_page_merged
from guanxi.core.roles import Action, grants_for
from guanxi.core.selectors.approval_status import approval_status_of  # noqa: F401  (its home was here)

INBOX_ORDER = ["-pending_since", "-id"]


def today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def active_delegations(*, on: dt.date | None = None) -> QuerySet[ApprovalDelegation]:
    day = on or today()
    return ApprovalDelegation.objects.filter(
        status=DelegationStatus.ACTIVE, starts_on__lte=day, ends_on__gte=day
    )


def delegator_ids(user, *, on: dt.date | None = None) -> list[int]:
    """Whose approvals `user` may decide today, as their delegate."""
    return list(active_delegations(on=on).filter(delegate=user).values_list("delegator_id", flat=True))


def delegates_of(user_ids, *, on: dt.date | None = None) -> list[int]:
    """Who decides today for these approvers (their active delegates)."""
    return list(
        active_delegations(on=on).filter(delegator_id__in=user_ids).values_list("delegate_id", flat=True)
    )


# --- The inbox --------------------------------------------------------------------------------------------


def inbox_steps(*, actor) -> QuerySet[ApprovalStep]:
    """The steps waiting for `actor`: their own, and those of whoever delegated to them today. The approvers
    are listed (not a subquery) so that the partial index on (approver, pending_since, id) serves the page."""
    delegators = delegator_ids(actor)
    pending = ApprovalStep.objects.filter(status=StepStatus.PENDING)
    if not delegators:
        return pending.filter(approver_id=actor.pk)
    return pending.filter(approver_id__in=[actor.pk, *delegators])


def inbox_count(*, actor) -> int:
    if not getattr(actor, "pk", None):
        return 0
    return inbox_steps(actor=actor).count()


@dataclass
class InboxRow:
    step: ApprovalStep | None  # None in the requester's own list
    request: ApprovalRequest
    title: str
    url: str | None
    type_label: str
    values: list[tuple[str, str]]
    on_behalf_of: Any = None  # the approver, when the actor decides as their delegate


def _documents(requests) -> dict[tuple[str, str], Any]:
    """The documents of these requests, one query per document type."""
    by_type: dict[str, set[str]] = defaultdict(set)
    for r in requests:
        by_type[r.document_type].add(r.object_id)
    found: dict[tuple[str, str], Any] = {}
    for code, ids in by_type.items():
        doc = registry.document_type(code)
        if doc is None:
            continue
        for obj in doc.model._default_manager.filter(pk__in=ids):
            found[(code, str(obj.pk))] = obj
    return found


def value_rows(spec: ApprovalSpec | None, values: dict) -> list[tuple[str, str]]:
    """The snapshot as (label, value) lines, in the order the app registered its fields."""
    if spec is None:
        return [(k, str(v)) for k, v in values.items()]
    return [(str(f.label), f.show(values.get(name))) for name, f in spec.fields.items() if name in values]


def _title_and_url(req: ApprovalRequest, obj) -> tuple[str, str | None, str]:
    doc = registry.document_type(req.document_type)
    if doc is None or obj is None:
        return req.title, None, str(doc.label) if doc else req.document_type
    return doc.title(obj), doc.url(obj), str(doc.label)


def inbox_page(*, actor, cursor: str | None = None, limit: int = 25) -> Page:
    """One page of the inbox, newest first, each row with its document's title and link."""
    # The page of steps first, on the inbox index alone; then their requests and people for that page only
    # (joining first would fetch every waiting request of the approver before sorting).
    # One index range per approver (the user, and whoever delegated to them), merged: see keyset_page_merged.
    pending = ApprovalStep.objects.filter(status=StepStatus.PENDING).only("id", "pending_since")
    page = keyset_page_merged(
        [pending.filter(approver_id=pk) for pk in [actor.pk, *delegator_ids(actor)]],
        ordering=INBOX_ORDER,
        cursor=cursor,
        limit=limit,
    )
    found = ApprovalStep.objects.select_related("request", "request__requester", "approver").in_bulk(
        [s.pk for s in page.items]
    )
    steps = [found[s.pk] for s in page.items if s.pk in found]
    docs = _documents([s.request for s in steps])
    rows = []
    for step in steps:
        req = step.request
        title, url, type_label = _title_and_url(req, docs.get((req.document_type, req.object_id)))
        rows.append(
            InboxRow(
                step=step,
                request=req,
                title=title,
                url=url,
                type_label=type_label,
                values=value_rows(approvable(req.document_type), req.values),
                on_behalf_of=step.approver if step.approver_id != actor.pk else None,
            )
        )
    page.items = rows
    return page


def submitted_by(*, actor) -> QuerySet[ApprovalRequest]:
    """Requests the actor submitted or asked for, newest first."""
    return ApprovalRequest.objects.filter(
        Q(requester_id=actor.pk) | Q(submitted_by_id=actor.pk)
    ).select_related("requester")


def submitted_page(*, actor, cursor: str | None = None, limit: int = 25) -> Page:
    """The actor's requests and those they submitted for someone else, newest first: two disjoint lists, each
    read from its own index and merged a page at a time (an OR of the two reads and sorts every row)."""
    mine = ApprovalRequest.objects.filter(requester_id=actor.pk).select_related("requester")
    for_others = (
        ApprovalRequest.objects.filter(submitted_by_id=actor.pk)
        .exclude(requester=F("submitted_by"))  # as the index's condition says: read from it alone
        .select_related("requester")
    )
    page = keyset_page_merged(
        [mine, for_others], ordering=["-submitted_at", "-id"], cursor=cursor, limit=limit
    )
    docs = _documents(page.items)
    rows = []
    for req in page.items:
        title, url, type_label = _title_and_url(req, docs.get((req.document_type, req.object_id)))
        values = value_rows(approvable(req.document_type), req.values)
        rows.append(
            InboxRow(step=None, request=req, title=title, url=url, type_label=type_label, values=values)
        )
    page.items = rows
    return page


# --- One request and its path -----------------------------------------------------------------------------


def stage_label(stage) -> str:
    if stage.kind == ApproverKind.ROLE:
        return stage.role.label if stage.role else _("A deleted role")
    if stage.kind == ApproverKind.USER:
        return str(stage.user) if stage.user else _("A deleted user")
    if stage.team:
        return _("Manager of %(team)s") % {"team": stage.team.name}
    return _("Team manager")


def _with_path(qs: QuerySet[ApprovalRequest]) -> QuerySet[ApprovalRequest]:
    steps = ApprovalStep.objects.select_related("approver", "decided_by").order_by("id")
    stages = ApprovalStage.objects.select_related("role", "team", "user").prefetch_related(
        Prefetch("steps", queryset=steps)
    )
    return qs.select_related("requester", "submitted_by", "last_changed_by", "decided_by").prefetch_related(
        Prefetch("stages", queryset=stages.order_by("position"))
    )


@dataclass
class StageView:
    stage: ApprovalStage
    label: str
    steps: list[ApprovalStep]


@dataclass
class RequestView:
    request: ApprovalRequest
    document: Any
    title: str
    url: str | None
    type_label: str
    values: list[tuple[str, str]]
    stages: list[StageView]
    can_decide: list[ApprovalStep] = field(default_factory=list)  # steps the viewer may decide now
    blocked: str = ""  # why the viewer, an approver, may not decide (segregation of duties)
    can_withdraw: bool = False


def decidable_steps(*, actor, request: ApprovalRequest, steps=None) -> tuple[list[ApprovalStep], str]:
    """The pending steps of the current level that `actor` may decide (their own first, then as a delegate),
    and, if they are an approver but may not decide, why."""
    if request.status != RequestStatus.PENDING or not getattr(actor, "pk", None):
        return [], ""
    if steps is None:
        steps = list(request.steps.filter(status=StepStatus.PENDING).select_related("approver"))
    mine = [s for s in steps if s.status == StepStatus.PENDING and s.approver_id == actor.pk]
    others = [s for s in steps if s.status == StepStatus.PENDING and s.approver_id != actor.pk]
    if others:
        allowed = set(delegator_ids(actor))
        others = [s for s in others if s.approver_id in allowed]
    found = mine + others
    if found and actor.pk in {request.requester_id, request.submitted_by_id, request.last_changed_by_id}:
        return [], segregation_message(actor=actor, request=request)
    return found, ""


def segregation_message(*, actor, request: ApprovalRequest) -> str:
    if actor.pk in {request.requester_id, request.submitted_by_id}:
        return _("You submitted this document, so you may not approve it (segregation of duties).")
    return _(
        "You last changed the values under approval, so you may not approve them (segregation of duties)."
    )


def _view(req: ApprovalRequest, obj, actor) -> RequestView:
    title, url, type_label = _title_and_url(req, obj)
    stages = [StageView(s, stage_label(s), list(s.steps.all())) for s in req.stages.all()]
    steps = [st for sv in stages for st in sv.steps if st.status == StepStatus.PENDING]
    can, blocked = decidable_steps(actor=actor, request=req, steps=steps)
    withdraw = req.status == RequestStatus.PENDING and actor.pk in {req.requester_id, req.submitted_by_id}
    return RequestView(
        req,
        obj,
        title,
        url,
        type_label,
        value_rows(approvable(req.document_type), req.values),
        stages,
        can,
        blocked,
        withdraw,
    )


def document_of(req: ApprovalRequest):
    doc = registry.document_type(req.document_type)
    if doc is None:
        return None, None
    return doc, doc.model._default_manager.filter(pk=req.object_id).first()


def approval_request_get(*, actor, pk) -> ApprovalRequest:
    """A request whose document the actor may see; NotFoundError otherwise (it does not exist for them)."""
    req = ApprovalRequest.objects.filter(pk=pk).first()
    if req is None:
        raise NotFoundError()
    doc, obj = document_of(req)
    if doc is None or obj is None or not doc.may_view(actor, obj):
        raise NotFoundError()
    req.document = obj  # type: ignore[attr-defined]  # handed on to the view and the services
    return req


def approval_request_view(*, actor, pk) -> RequestView:
    req = approval_request_get(actor=actor, pk=pk)
    full = _with_path(ApprovalRequest.objects.filter(pk=req.pk)).get()
    return _view(full, req.document, actor)  # type: ignore[attr-defined]


def approval_path_for(*, obj, user, limit: int = 10) -> list[RequestView]:
    """The requests of one document, newest first, each with its path (the document's Approval tab)."""
    code = obj._meta.label_lower
    qs = _with_path(ApprovalRequest.objects.filter(document_type=code, object_id=str(obj.pk)))
    return [_view(r, obj, user) for r in qs.order_by("-submitted_at", "-id")[:limit]]


# --- Delegations ------------------------------------------------------------------------------------------


def delegations_given(*, actor) -> QuerySet[ApprovalDelegation]:
    return ApprovalDelegation.objects.filter(delegator_id=actor.pk).select_related("delegate", "delegator")


def delegations_received(*, actor) -> QuerySet[ApprovalDelegation]:
    return ApprovalDelegation.objects.filter(delegate_id=actor.pk).select_related("delegate", "delegator")


def delegations_visible(*, actor) -> QuerySet[ApprovalDelegation]:
    """Given or received by the actor; administrators see everyone's."""
    qs = ApprovalDelegation.objects.select_related("delegate", "delegator")
    if grants_for(actor).can(Action.SETTINGS_MANAGE):
        return qs
    return qs.filter(Q(delegator_id=actor.pk) | Q(delegate_id=actor.pk))


# --- Rules (administrators) -------------------------------------------------------------------------------


def _require_admin(actor) -> None:
    if not grants_for(actor).can(Action.SETTINGS_MANAGE):
        raise PermissionDeniedError()


def rules_list(*, actor, document_type: str | None = None) -> QuerySet[ApprovalRule]:
    _require_admin(actor)
    levels = ApprovalRuleLevel.objects.select_related("role", "user").order_by("position")
    qs = ApprovalRule.objects.prefetch_related(Prefetch("levels", queryset=levels))
    if document_type:
        qs = qs.filter(document_type=document_type)
    return qs.order_by("document_type", "position", "id")


@dataclass
class TypeRules:
    spec: ApprovalSpec
    label: str
    rules: list[ApprovalRule]
    warning: str = ""
    note: str = ""


def rule_is_broken(spec: ApprovalSpec, rule: ApprovalRule) -> bool:
    """A condition on a field the app no longer registers: such a rule never applies."""
    return any(c.get("field") not in spec.fields for c in rule.conditions or [])


def rules_overview(*, actor) -> list[TypeRules]:
    """Every approvable document type with its rules in order, and a warning where some documents would
    find no rule (they could not be submitted)."""
    by_type: dict[str, list[ApprovalRule]] = defaultdict(list)
    for rule in rules_list(actor=actor):
        by_type[rule.document_type].append(rule)
    out = []
    for spec in approvables():
        rules = by_type.get(spec.document, [])
        for rule in rules:
            rule.condition_text = [describe_condition(spec, c) for c in rule.conditions or []]  # type: ignore[attr-defined]
            rule.broken = rule_is_broken(spec, rule)  # type: ignore[attr-defined]
        active = [r for r in rules if r.is_active and not rule_is_broken(spec, r)]
        warning = note = ""
        if not active and spec.optional:
            note = _("No rule: documents of this type need no approval. Add one to make them wait for it.")
        elif not active:
            warning = _("No active rule: no document of this type can be submitted for approval.")
        elif active[-1].conditions:
            warning = _(
                "Documents that match none of these rules cannot be submitted. End with a rule without "
                "conditions (it may say that no approval is needed)."
            )
        out.append(TypeRules(spec, str(spec.document_type.label), rules, warning, note))
    return out


def problems_open(*, actor, limit: int = 20) -> list[ApprovalProblem]:
    _require_admin(actor)
    return list(ApprovalProblem.objects.filter(resolved_at=None).select_related("submitted_by")[:limit])
