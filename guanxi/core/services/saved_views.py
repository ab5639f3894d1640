"""Saving a list's set-up as a named view, private or shared with a team, and deleting it.

A view is the list's query string without the position in the list (NOT_SAVED); saving under a name one
already has replaces that view's set-up. Only its owner changes or deletes a view; a shared one is seen by
the members of its team (guanxi.core.selectors.saved_views)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import NotFoundError, PermissionDeniedError
from guanxi.core.models import SavedView
from guanxi.core.saved_lists import NOT_SAVED, savable_list
from guanxi.core.selectors.users import team_ids_of

MAX_QUERY = 2000
MAX_PARAMS = 40
MAX_VIEWS = 50  # per user and list


def clean_query(raw: str) -> str:
    """The query string as saved: without the position in the list and empty values, in a stable order."""
    params = QueryDict(raw.lstrip("?"), mutable=True)
    for key in list(params):
        values = [v for v in params.getlist(key) if v.strip()]
        if key in NOT_SAVED or not values:
            del params[key]
        else:
            params.setlist(key, values)
    if len(params) > MAX_PARAMS:
        raise ValidationError({"query": _("This view has too many filters to save.")})
    query = "&".join(_pair(key, params.getlist(key)) for key in sorted(params))
    if len(query) > MAX_QUERY:
        raise ValidationError({"query": _("This view's filters are too long to save.")})
    return query


def _pair(key: str, values: list[str]) -> str:
    q = QueryDict("", mutable=True)
    q.setlist(key, values)
    return q.urlencode()


@transaction.atomic
def saved_view_save(*, actor, list_key: str, name: str, query: str, team_id: int | None = None) -> SavedView:
    """Save (or replace) the actor's view `name` of the list; `team_id`: share it with that team of theirs."""
    if not actor.is_authenticated:
        raise PermissionDeniedError()
    errors: dict = {}
    if savable_list(list_key) is None:
        errors["list"] = _("This list cannot keep saved views.")
    name = clean_text(errors, "name", name, max_length=60)
    if not name and "name" not in errors:
        errors["name"] = _("Give the view a name.")
    if team_id is not None and team_id not in team_ids_of(actor):
        errors["team"] = _("You can share a view only with a team you are in.")
    try:
        cleaned = clean_query(query or "")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        cleaned = ""
    if errors:
        raise ValidationError(errors)
    mine = SavedView.objects.select_for_update().filter(owner=actor, list_key=list_key)
    view = mine.filter(name=name).first()
    if view is None and mine.count() >= MAX_VIEWS:
        raise ValidationError(
            {"name": _("You have %(n)d views of this list: delete one first.") % {"n": MAX_VIEWS}}
        )
    if view is None:
        try:
            with transaction.atomic():
                return SavedView.objects.create(
                    owner=actor, list_key=list_key, name=name, query=cleaned, team_id=team_id
                )
        except IntegrityError:  # saved under this name at the same moment (two tabs): replace that one
            view = mine.get(name=name)
    view.query, view.team_id = cleaned, team_id
    view.save(update_fields=["query", "team", "updated_at"])
    return view


@transaction.atomic
def saved_view_delete(*, actor, view: SavedView) -> None:
    """Only the owner deletes a view (the team it is shared with only uses it)."""
    if view.owner_id != actor.pk:
        raise PermissionDeniedError(_("Only the person who saved this view can delete it."))
    deleted, _rows = SavedView.objects.filter(pk=view.pk).delete()
    if not deleted:
        raise NotFoundError()
