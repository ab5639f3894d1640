"""/api/v1/saved-views: a user's saved views of the lists and those shared with their teams (the same services
as the "Views" menu of the lists)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.models import SavedView
from guanxi.core.selectors.saved_views import saved_view_get, saved_views_for
from guanxi.core.services import saved_views as svc

router = Router(tags=["saved views"])

ListKey = Annotated[str, Field(max_length=60, examples=["crm.opportunities"])]


class SavedViewIn(InputSchema):
    list: ListKey
    name: Annotated[str, Field(max_length=200)]
    query: Annotated[
        str, Field(max_length=4000, description="The list's query string: filters, sort, columns")
    ]
    shared_with: Annotated[
        int | None, Field(ge=1, le=2**53, description="A team of yours; null: private")
    ] = None


class SavedViewOut(Schema):
    id: int
    list: str
    name: str
    query: str
    shared_with: int | None
    owner: str
    mine: bool
    updated_at: datetime


class SavedViewQuery(Schema):
    list: ListKey | None = None


def _out(view: SavedView, user) -> dict:
    return {
        "id": view.pk,
        "list": view.list_key,
        "name": view.name,
        "query": view.query,
        "shared_with": view.team_id,
        "owner": view.owner.get_username(),
        "mine": view.owner_id == user.pk,
        "updated_at": view.updated_at,
    }


@router.get("/saved-views", response={200: list[SavedViewOut], **responses(*STD)})
def saved_views_list(request, query: Query[SavedViewQuery]):
    return [_out(v, request.user) for v in saved_views_for(actor=request.user, list_key=query.list)[:500]]


@router.post("/saved-views", response={201: SavedViewOut, **responses(*STD)})
def saved_views_save(request, payload: SavedViewIn):
    """Save a view; saving under a name you already use replaces that view."""
    view = svc.saved_view_save(
        actor=request.user,
        list_key=payload.list,
        name=payload.name,
        query=payload.query,
        team_id=payload.shared_with,
    )
    return Status(201, _out(view, request.user))


@router.delete("/saved-views/{id}", response={204: None, **responses(*STD)})
def saved_views_delete(request, id: Annotated[int, Field(ge=1, le=2**53)]):
    svc.saved_view_delete(actor=request.user, view=saved_view_get(actor=request.user, pk=id))
    return Status(204, None)
