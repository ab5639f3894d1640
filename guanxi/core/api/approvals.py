"""/api/v1/approvals (the inbox, a request with its path, decisions), /approval-rules and /approval-types
(administrators), /delegations: parse, call a selector or service, return. The same rules as the pages: a
request is seen only by who may see its document (else 404); a second decision is a 409."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from guanxi.core.api.approvals_schemas import (
    ApproveIn,
    DelegationIn,
    DelegationOut,
    DelegationPage,
    DelegationQuery,
    Id,
    InboxPage,
    ListQuery,
    RejectIn,
    RequestOut,
    RuleIn,
    RuleOut,
    RulePatch,
    RuleQuery,
    TypeOut,
)
from guanxi.core.api.errors import STD, responses
from guanxi.core.approvals_registry import approvable, approvables, describe_condition
from guanxi.core.exceptions import NotFoundError
from guanxi.core.models import User
from guanxi.core.pagination import keyset_page
from guanxi.core.selectors import approvals as sel
from guanxi.core.services import approval_delegations as delegation_svc
from guanxi.core.services import approval_rules as rule_svc
from guanxi.core.services import approvals as svc

router = Router(tags=["approvals"])


def user_ref(u):
    return {"id": u.pk, "username": u.username, "name": str(u)} if u is not None else None


def _values(document_type: str, values: dict) -> list[dict]:
    spec = approvable(document_type)
    if spec is None:
        return [{"field": k, "label": k, "value": v, "shown": str(v)} for k, v in values.items()]
    return [
        {"field": name, "label": str(f.label), "value": values.get(name), "shown": f.show(values.get(name))}
        for name, f in spec.fields.items()
        if name in values
    ]


def _request_json(view: sel.RequestView) -> dict:
    r = view.request
    return {
        "id": r.pk,
        "document_type": r.document_type,
        "document_id": r.object_id,
        "title": view.title,
        "url": view.url,
        "status": r.status,
        "rule_name": r.rule_name,
        "values": _values(r.document_type, r.values),
        "requester": user_ref(r.requester),
        "submitted_by": user_ref(r.submitted_by),
        "last_changed_by": user_ref(r.last_changed_by),
        "submitted_at": r.submitted_at,
        "decided_at": r.decided_at,
        "decided_by": user_ref(r.decided_by),
        "level": r.current_level,
        "level_count": r.level_count,
        "levels": [
            {
                "position": sv.stage.position,
                "kind": sv.stage.kind,
                "approver_label": sv.label,
                "mode": sv.stage.mode,
                "status": sv.stage.status,
                "steps": [
                    {
                        "approver": user_ref(st.approver),
                        "status": st.status,
                        "skip_reason": st.skip_reason,
                        "decided_by": user_ref(st.decided_by),
                        "on_behalf": st.on_behalf,
                        "decided_at": st.decided_at,
                        "comment": st.comment,
                    }
                    for st in sv.steps
                ],
            }
            for sv in view.stages
        ],
        "can_decide": bool(view.can_decide),
        "blocked": view.blocked,
    }


@router.get("/approvals/inbox", response={200: InboxPage, **responses(*STD)})
def approvals_inbox(request, query: Query[ListQuery]):
    """What waits for the caller's decision (their own, and as a delegate), newest first."""
    page = sel.inbox_page(actor=request.user, cursor=query.cursor, limit=query.limit)
    items = [
        {
            "id": row.request.pk,
            "document_type": row.request.document_type,
            "document_id": row.request.object_id,
            "title": row.title,
            "url": row.url,
            "type_label": row.type_label,
            "values": _values(row.request.document_type, row.request.values),
            "requester": user_ref(row.request.requester),
            "submitted_at": row.request.submitted_at,
            "level": row.request.current_level,
            "level_count": row.request.level_count,
            "waiting_since": row.step.pending_since if row.step else None,
            "on_behalf_of": user_ref(row.on_behalf_of),
        }
        for row in page.items
    ]
    count = sel.inbox_count(actor=request.user)
    return {"items": items, "next_cursor": page.next_cursor, "prev_cursor": page.prev_cursor, "count": count}


@router.get("/approvals/{id}", response={200: RequestOut, **responses(*STD)})
def approvals_get(request, id: Id):
    return _request_json(sel.approval_request_view(actor=request.user, pk=id))


@router.post("/approvals/{id}/approve", response={200: RequestOut, **responses(*STD, 409)})
def approvals_approve(request, id: Id, payload: ApproveIn):
    req = sel.approval_request_get(actor=request.user, pk=id)
    svc.approval_approve(
        actor=request.user, request=req, comment=payload.comment, on_behalf_of=payload.on_behalf_of
    )
    return _request_json(sel.approval_request_view(actor=request.user, pk=id))


@router.post("/approvals/{id}/reject", response={200: RequestOut, **responses(*STD, 409)})
def approvals_reject(request, id: Id, payload: RejectIn):
    req = sel.approval_request_get(actor=request.user, pk=id)
    svc.approval_reject(
        actor=request.user, request=req, comment=payload.comment, on_behalf_of=payload.on_behalf_of
    )
    return _request_json(sel.approval_request_view(actor=request.user, pk=id))


@router.post("/approvals/{id}/withdraw", response={200: RequestOut, **responses(*STD, 409)})
def approvals_withdraw(request, id: Id):
    req = sel.approval_request_get(actor=request.user, pk=id)
    svc.approval_withdraw(actor=request.user, request=req)
    return _request_json(sel.approval_request_view(actor=request.user, pk=id))


# --- Rules (administrators) -------------------------------------------------------------------------------


def _rule_json(rule) -> dict:
    spec = approvable(rule.document_type)
    return {
        "id": rule.pk,
        "document_type": rule.document_type,
        "name": rule.name,
        "position": rule.position,
        "conditions": [
            {
                **c,
                "text": describe_condition(spec, c)
                if spec
                else f"{c.get('field')} {c.get('op')} {c.get('value')}",
            }
            for c in rule.conditions or []
        ],
        "levels": [
            {
                "position": lv.position,
                "kind": lv.kind,
                "role": lv.role.code if lv.role else None,
                "user": user_ref(lv.user),
                "mode": lv.mode,
            }
            for lv in rule.levels.all()
        ],
        "no_approval": rule.no_approval,
        "is_active": rule.is_active,
        "version": rule.version,
    }


def _rule(request, id):
    rule = sel.rules_list(actor=request.user).filter(pk=id).first()
    if rule is None:
        raise NotFoundError()
    return rule


@router.get("/approval-types", response={200: list[TypeOut], **responses(*STD)})
def approval_types_list(request):
    """The document types that can be approved, with the fields their rules may test (administrators)."""
    sel.rules_list(actor=request.user)
    return [
        {
            "document_type": spec.document,
            "label": str(spec.document_type.label),
            "fields": [
                {
                    "name": name,
                    "label": str(f.label),
                    "kind": f.kind,
                    "operators": list(f.operators),
                    "choices": [[str(c), str(label)] for c, label in f.choices],
                    "suffix": f.suffix,
                }
                for name, f in spec.fields.items()
            ],
        }
        for spec in approvables()
    ]


@router.get("/approval-rules", response={200: list[RuleOut], **responses(*STD)})
def approval_rules_list(request, query: Query[RuleQuery]):
    """Every rule, per document type in the order they are tried (administrators)."""
    return [
        _rule_json(r) for r in sel.rules_list(actor=request.user, document_type=query.document_type)[:1000]
    ]


@router.post("/approval-rules", response={201: RuleOut, **responses(*STD, 409)})
def approval_rules_create(request, payload: RuleIn):
    data = payload.dict()
    rule = rule_svc.approval_rule_create(actor=request.user, **data)
    return Status(201, _rule_json(_rule(request, rule.pk)))


@router.get("/approval-rules/{id}", response={200: RuleOut, **responses(*STD)})
def approval_rules_get(request, id: Id):
    return _rule_json(_rule(request, id))


@router.patch("/approval-rules/{id}", response={200: RuleOut, **responses(*STD, 409)})
def approval_rules_update(request, id: Id, payload: RulePatch):
    rule = _rule(request, id)
    data = payload.dict(exclude_unset=True)
    current = _rule_json(rule)
    levels = [
        {"kind": lv.kind, "role_id": lv.role_id, "user_id": lv.user_id, "mode": lv.mode}
        for lv in rule.levels.all()
    ]
    rule = rule_svc.approval_rule_update(
        actor=request.user,
        rule=rule,
        version=data["version"],
        name=data.get("name") or rule.name,
        conditions=data["conditions"] if data.get("conditions") is not None else rule.conditions,
        levels=data["levels"] if data.get("levels") is not None else levels,
        no_approval=data["no_approval"] if data.get("no_approval") is not None else current["no_approval"],
        is_active=data["is_active"] if data.get("is_active") is not None else current["is_active"],
    )
    if data.get("position") is not None:
        count = sel.rules_list(actor=request.user, document_type=rule.document_type).count()
        rule_svc.approval_rule_move(actor=request.user, rule=rule, position=min(data["position"], count))
    return _rule_json(_rule(request, id))


@router.delete("/approval-rules/{id}", response={204: None, **responses(*STD)})
def approval_rules_delete(request, id: Id):
    rule_svc.approval_rule_delete(actor=request.user, rule=_rule(request, id))
    return Status(204, None)


# --- Delegations ------------------------------------------------------------------------------------------


def _delegation_json(d) -> dict:
    today = sel.today()
    return {
        "id": d.pk,
        "delegator": user_ref(d.delegator),
        "delegate": user_ref(d.delegate),
        "starts_on": d.starts_on,
        "ends_on": d.ends_on,
        "note": d.note,
        "status": d.status,
        "in_force": d.status == "active" and d.starts_on <= today <= d.ends_on,
    }


@router.get("/delegations", response={200: DelegationPage, **responses(*STD)})
def delegations_list(request, query: Query[DelegationQuery]):
    """Delegations the caller gave or received (`role`); administrators see everyone's with `role=all`."""
    if query.role == "given":
        qs = sel.delegations_given(actor=request.user)
    elif query.role == "received":
        qs = sel.delegations_received(actor=request.user)
    else:
        qs = sel.delegations_visible(actor=request.user)
    page = keyset_page(qs, ordering=["-starts_on", "-id"], cursor=query.cursor, limit=query.limit)
    return {
        "items": [_delegation_json(d) for d in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }


@router.post("/delegations", response={201: DelegationOut, **responses(*STD, 409)})
def delegations_create(request, payload: DelegationIn):
    delegator = None
    if payload.delegator_id is not None:
        delegator = User.objects.filter(pk=payload.delegator_id).first()
        if delegator is None:
            raise ValidationError({"delegator_id": [_("Unknown user.")]})
    d = delegation_svc.approval_delegation_create(
        actor=request.user,
        delegator=delegator,
        delegate=User.objects.filter(pk=payload.delegate_id).first(),
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        note=payload.note,
    )
    return Status(201, _delegation_json(d))


@router.post("/delegations/{id}/end", response={200: DelegationOut, **responses(*STD, 409)})
def delegations_end(request, id: Id):
    d = sel.delegations_visible(actor=request.user).filter(pk=id).first()
    if d is None:
        raise NotFoundError()
    return _delegation_json(delegation_svc.approval_delegation_end(actor=request.user, delegation=d))
