"""/api/v1/tags: parse, call a selector or service, return."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from guanxi.core.api.errors import STD, responses
from guanxi.parties.api.schemas import Id, TagIn, TagOut, TagPatch
from guanxi.parties.models import Tag
from guanxi.parties.selectors import parties as sel
from guanxi.parties.services import tags as tag_svc

router = Router(tags=["tags"])


@router.get("/tags", response={200: list[TagOut], **responses(*STD)})
def tags_list(request):
    return list(sel.tag_list(actor=request.user)[:1000])


@router.post("/tags", response={201: TagOut, **responses(*STD)})
def tags_create(request, payload: TagIn):
    return Status(201, tag_svc.tag_create(actor=request.user, name=payload.name, color=payload.color))


def _get_tag(request, id: int) -> Tag:
    return get_object_or_404(sel.tag_list(actor=request.user), pk=id)


@router.get("/tags/{id}", response={200: TagOut, **responses(*STD)})
def tags_get(request, id: Id):
    return _get_tag(request, id)


@router.patch("/tags/{id}", response={200: TagOut, **responses(*STD)})
def tags_update(request, id: Id, payload: TagPatch):
    tag = _get_tag(request, id)
    data = payload.dict(exclude_unset=True)
    return tag_svc.tag_update(
        actor=request.user, tag=tag, name=data.get("name") or tag.name, color=data.get("color") or tag.color
    )


@router.delete("/tags/{id}", response={204: None, **responses(*STD)})
def tags_delete(request, id: Id):
    tag_svc.tag_delete(actor=request.user, tag=_get_tag(request, id))
    return Status(204, None)
