"""Checking what a user gives for an opportunity (form, API): every problem at once, one message per field.
Sets the scalar fields on the opportunity and returns what the caller applies after saving (stage, members,
contacts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from guanxi.core.cleaning import clean_text
from guanxi.core.exceptions import PermissionDeniedError
from guanxi.core.models import User
from guanxi.core.money import clean_amount, currency_check
from guanxi.core.roles import Scope, grants_for
from guanxi.core.selectors.companies import company_default
from guanxi.core.selectors.users import team_ids_of
from guanxi.crm.choices import ContactRole, ForecastCategory, StageKind
from guanxi.crm.models import LostReason, Opportunity, Pipeline, Stage
from guanxi.crm.permissions import AREA, Action
from guanxi.parties.models import Party
from guanxi.parties.selectors.parties import party_visible
from guanxi.parties.selectors.visibility import may_own
from guanxi.parties.services.common import default_team_id

MAX_MEMBERS = 50


def _id(value) -> int | None:
    if hasattr(value, "pk"):
        return value.pk
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if 0 < n < 2**63 else None


def _date(errors: dict, field: str, value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            errors[field] = _("Enter a date (YYYY-MM-DD).")
            return None
    if not 1900 <= value.year <= 2200:
        errors[field] = _("Enter a date between 1900 and 2200.")
        return None
    return value


def in_edit_scope(actor, *, owner: User | None, team_id: int | None) -> bool:
    """Whether an opportunity with this owner and team would be in the actor's edit scope (without being a
    team member): what a new or reassigned opportunity must be, so nobody hands one out of their own sight."""
    scope = grants_for(actor).reaches(AREA, mode="edit")
    if scope >= Scope.ALL:
        return True
    if scope <= Scope.NONE:
        return False
    teams = set(team_ids_of(actor))
    if (owner is not None and owner.pk == actor.pk) or (team_id is not None and team_id in teams):
        return True
    return scope >= Scope.TEAM and owner is not None and bool(teams & set(team_ids_of(owner)))


def _customer(errors: dict, actor, value) -> Party | None:
    pk = _id(value)
    party = party_visible(actor=actor).filter(pk=pk).first() if pk else None
    if party is None:
        errors["customer"] = _("Choose a customer you can see.")
    elif party.archived_at:
        errors["customer"] = _("This customer is archived: restore it first.")
    elif party.is_supplier and not party.is_customer:
        errors["customer"] = _("This party is only a supplier: mark it as a customer first.")
    else:
        return party
    return None


def _stage(errors: dict, o: Opportunity, data: dict) -> Stage | None:
    pipeline_id = _id(data.get("pipeline")) if data.get("pipeline") not in (None, "") else None
    stage_id = _id(data.get("stage")) if data.get("stage") not in (None, "") else None
    stages = Stage.objects.filter(archived_at__isnull=True, pipeline__archived_at__isnull=True)
    if stage_id:
        stage = stages.filter(pk=stage_id).select_related("pipeline").first()
        if stage is None or (pipeline_id and stage.pipeline_id != pipeline_id):
            errors["stage"] = _("Choose a stage of the pipeline.")
            return None
        return stage
    if pipeline_id:
        pipeline = Pipeline.objects.filter(pk=pipeline_id, archived_at__isnull=True).first()
    else:
        pipeline = Pipeline.objects.filter(archived_at__isnull=True).first()
    if pipeline is None:
        errors["pipeline"] = _("Choose a pipeline in use.")
        return None
    stage = stages.filter(pipeline=pipeline, kind=StageKind.OPEN).order_by("position", "id").first()
    if stage is None:
        errors["stage"] = _("This pipeline has no open stage.")
    return stage


def _members(errors: dict, value) -> list[User]:
    ids = [_id(v) for v in (value or [])]
    if None in ids:
        errors["members"] = _("Choose active users.")
        return []
    if len(set(ids)) > MAX_MEMBERS:
        errors["members"] = _("At most %(n)d team members.") % {"n": MAX_MEMBERS}
        return []
    users = list(User.objects.filter(pk__in=set(ids), is_active=True))
    if len(users) != len(set(ids)):
        errors["members"] = _("Choose active users.")
        return []
    cannot = [str(u) for u in users if not grants_for(u).can(Action.OPPORTUNITY_VIEW)]
    if cannot:
        errors["members"] = _("%(names)s cannot work on opportunities.") % {"names": ", ".join(cannot)}
    return users


def _contacts(errors: dict, actor, value) -> list[tuple[Party, str]]:
    pairs = []
    for item in value or []:
        contact, role = (item.get("contact"), item.get("role")) if isinstance(item, dict) else (item, None)
        pairs.append((_id(contact), role or ContactRole.OTHER))
    if len(pairs) > MAX_MEMBERS:
        errors["contacts"] = _("At most %(n)d contacts.") % {"n": MAX_MEMBERS}
        return []
    if any(pk is None for pk, _role in pairs) or len({pk for pk, _r in pairs}) != len(pairs):
        errors["contacts"] = _("Choose each contact once.")
        return []
    if any(role not in ContactRole.values for _pk, role in pairs):
        errors["contacts"] = _("Choose a role for each contact.")
        return []
    found = {
        p.pk: p for p in party_visible(actor=actor).filter(pk__in=[pk for pk, _r in pairs], kind="person")
    }
    if len(found) != len(pairs):
        errors["contacts"] = _("Choose people you can see.")
        return []
    return [(found[pk], role) for pk, role in pairs if pk is not None]


def clean_opportunity(*, actor, opportunity: Opportunity, data: dict, creating: bool) -> dict:
    """Set the fields given in `data` on `opportunity`; ValidationError with every problem otherwise."""
    o = opportunity
    errors: dict[str, Any] = {}
    out: dict[str, Any] = {}
    if creating or "name" in data:
        o.name = clean_text(errors, "name", data.get("name"), max_length=200, required=True)
    # An unchanged customer is not checked again: a team member (协作人) of another team may not see it and
    # still saves the opportunity's other fields.
    if creating or ("customer" in data and _id(data.get("customer")) != o.customer_id):
        customer = _customer(errors, actor, data.get("customer"))
        if customer is not None:
            o.customer = customer
    if creating:
        out["stage"] = _stage(errors, o, data)
    if creating or "currency" in data:
        code = data.get("currency") or (getattr(company_default(), "default_currency", None) or "CNY")
        try:
            o.currency = currency_check(code, field="currency")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if creating or "amount" in data or "currency" in data:
        raw = data.get("amount", o.amount)
        if raw in (None, ""):
            o.amount = None
        elif "currency" not in errors:
            try:
                o.amount = clean_amount(raw, currency=o.currency_id, field="amount")
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if creating or "expected_close" in data:
        if data.get("expected_close") in (None, ""):
            errors["expected_close"] = _("Enter the date you expect to close it.")
        else:
            o.expected_close = _date(errors, "expected_close", data["expected_close"]) or o.expected_close
    if "probability" in data:
        value = data["probability"]
        if value in (None, ""):
            o.probability_set = False
            if o.stage_id:
                o.probability = o.stage.probability
        elif not creating and not o.is_open:
            errors["probability"] = _("A closed opportunity's probability is its stage's.")
        else:
            try:
                n = int(str(value).strip())
                if not 0 <= n <= 100:
                    raise ValueError
                o.probability, o.probability_set = n, True
            except (TypeError, ValueError):
                errors["probability"] = _("Enter a whole number from 0 to 100.")
    if "forecast_category" in data and data["forecast_category"] not in (None, ""):
        if data["forecast_category"] not in ForecastCategory.values:
            errors["forecast_category"] = _("Choose a forecast category from the list.")
        else:
            o.forecast_category = data["forecast_category"]
    for field, limit in (("next_step", 200), ("competitors", 200)):
        if field in data:
            setattr(o, field, clean_text(errors, field, data[field], max_length=limit))
    if "description" in data:
        o.description = clean_text(
            errors, "description", data["description"], max_length=10000, multiline=True
        )
    _people(errors, actor, o, data, out, creating)
    if creating or "lost_reason" in data:
        value = data.get("lost_reason")
        if value not in (None, ""):
            pk = _id(value)
            out["lost_reason"] = (
                LostReason.objects.filter(pk=pk, archived_at__isnull=True).first() if pk else None
            )
            if out["lost_reason"] is None:
                errors["lost_reason"] = _("Choose a lost reason.")
        out["lost_note"] = clean_text(errors, "lost_note", data.get("lost_note", ""), max_length=500)
    if errors:
        raise ValidationError(errors)
    return out


def _people(errors: dict, actor, o: Opportunity, data: dict, out: dict, creating: bool) -> None:
    """Owner, team and team members: only someone whose scope reaches the opportunity (not a mere team
    member) reassigns it, and never out of their own sight."""
    reassigning = not creating and ("owner" in data or "members" in data)
    if reassigning and not in_edit_scope(actor, owner=o.owner, team_id=o.team_id):
        raise PermissionDeniedError(_("Only the owner or a manager changes the owner and the team members."))
    if creating or "owner" in data:
        value = data.get("owner") or (actor if creating else None)
        owner_id = _id(value) if value else None
        owner = User.objects.filter(pk=owner_id, is_active=True).first() if owner_id else None
        if owner is None:
            errors["owner"] = _("Choose an active user.")
        elif not may_own(owner, is_customer=True, is_supplier=False):
            errors["owner"] = _("%(name)s cannot hold customers' opportunities.") % {"name": owner}
        elif owner.pk != o.owner_id:
            o.owner, o.team_id = owner, default_team_id(owner)
            if not in_edit_scope(actor, owner=owner, team_id=o.team_id):
                errors["owner"] = _("You cannot hand an opportunity to someone outside your team.")
    if "members" in data:
        out["members"] = _members(errors, data["members"])
    if "contacts" in data:
        out["contacts"] = _contacts(errors, actor, data["contacts"])
