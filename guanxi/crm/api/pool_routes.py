"""/api/v1/pools, /pool-entries, /customers/{id}/release, /customers/{id}/level and /check: pools (公海) — their
customers, claim (领取), assign (分配), release, their rules (incl. per customer level) — 查重, and a customer's
level. The same services and selectors as the pages (guanxi.crm.services.pools, guanxi.crm.selectors.pools)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from guanxi.core.api.errors import STD, responses
from guanxi.core.api.schemas import InputSchema
from guanxi.core.models import User
from guanxi.core.pagination import keyset_page
from guanxi.crm.models import Pool, PoolEntry
from guanxi.crm.selectors import pools as sel
from guanxi.crm.selectors.check import duplicate_check
from guanxi.crm.services import pools as svc
from guanxi.crm.services.accounts import customer_level_set
from guanxi.parties.selectors.parties import party_get

router = Router(tags=["pools"])
Id = Annotated[int, Field(ge=1, le=2**53)]
Days = Annotated[int | None, Field(ge=1, le=3650)]
Level = Literal["a", "b", "c", "d"]


class PoolLevelRuleData(Schema):
    level: Level
    never: bool = False
    no_activity_days: Days = None
    no_opportunity_days: Days = None
    not_won_days: Days = None


class PoolOut(Schema):
    id: int
    name: str
    name_en: str
    name_zh: str
    teams: list[str]
    no_activity_days: int | None
    no_opportunity_days: int | None
    not_won_days: int | None
    exempt_open_opportunity: bool
    exempt_open_order: bool
    warn_days: int
    max_per_rep: int | None
    cooldown_days: int
    level_rules: list[PoolLevelRuleData]
    version: int

    @staticmethod
    def resolve_teams(obj: Pool) -> list[str]:
        return sorted(t.name for t in obj.teams.all())

    @staticmethod
    def resolve_level_rules(obj: Pool) -> list:
        return list(obj.level_rules.all())


class PoolIn(InputSchema):
    name_en: Annotated[str, Field(max_length=60)] = ""
    name_zh: Annotated[str, Field(max_length=60)] = ""
    teams: Annotated[list[Id], Field(max_length=100)] = []
    no_activity_days: Days = None
    no_opportunity_days: Days = None
    not_won_days: Days = None
    exempt_open_opportunity: bool = True
    exempt_open_order: bool = False  # keep customers with a sales order in progress (signed, not closed)
    warn_days: Annotated[int, Field(ge=0, le=365)] = 3
    max_per_rep: Annotated[int | None, Field(ge=1, le=100_000)] = None
    cooldown_days: Annotated[int, Field(ge=0, le=3650)] = 30
    level_rules: Annotated[list[PoolLevelRuleData], Field(max_length=4)] = []
    version: Annotated[int | None, Field(ge=1, le=2**31)] = None  # required to change a pool: 409 when stale


class PoolEntryOut(Schema):
    id: int
    customer: int = Field(..., alias="party_id")
    name: str
    reason: str
    entered_at: datetime
    previous_owner: str | None

    @staticmethod
    def resolve_name(obj: PoolEntry) -> str:
        return obj.party.name

    @staticmethod
    def resolve_previous_owner(obj: PoolEntry) -> str | None:
        return obj.previous_owner.username if obj.previous_owner else None


class PoolEntriesOut(Schema):
    items: list[PoolEntryOut]
    next_cursor: str | None


class PoolEntriesQuery(Schema):
    q: Annotated[str, Field(max_length=100)] = ""
    cursor: Annotated[str | None, Field(max_length=500)] = None
    limit: Annotated[int, Field(ge=1, le=200)] = 50


class PoolTakenOut(Schema):
    customer: int
    owner: str


class PoolAssignIn(InputSchema):
    owner: Id


class CheckHitQuery(Schema):
    q: Annotated[str, Field(min_length=2, max_length=200)]


class CheckHitOut(Schema):
    customer: int | None  # None: a record the caller may not open (only that it exists, and who holds it)
    name: str | None
    reason: str
    held_by: str | None
    pool: str | None


class CustomerLevelIn(InputSchema):
    level: Level | Literal[""]


class CustomerLevelOut(Schema):
    customer: int
    level: str


@router.get("/pools", response={200: list[PoolOut], **responses(*STD)})
def pools_list(request):
    """The pools of the caller's teams (all of them for who sets pools up)."""
    return list(sel.pools_of(request.user).prefetch_related("teams", "level_rules").order_by("name_en", "id"))


def _data(payload: PoolIn) -> dict:
    """The payload as pool_save takes it: team ids, which the service looks up and checks ("teams": 422)."""
    return payload.model_dump(exclude={"version"})


@router.post("/pools", response={201: PoolOut, **responses(*STD)})
def pools_create(request, payload: PoolIn):
    return Status(201, svc.pool_save(actor=request.user, pool=None, data=_data(payload)))


@router.put("/pools/{id}", response={200: PoolOut, **responses(*STD, 409)})
def pools_update(request, id: Id, payload: PoolIn):
    svc.require_assigner(request.user)
    pool = sel.pool_get(actor=request.user, pk=id)
    if payload.version is None:
        raise ValidationError({"version": _("Send the version you read: it guards against lost changes.")})
    return svc.pool_save(actor=request.user, pool=pool, data=_data(payload), version=payload.version)


@router.get("/pools/{id}/customers", response={200: PoolEntriesOut, **responses(*STD)})
def pool_customers(request, id: Id, query: Query[PoolEntriesQuery]):
    """The customers in the pool, newest first; `q` finds them by name."""
    pool = sel.pool_get(actor=request.user, pk=id)
    page = keyset_page(
        sel.entries_of(actor=request.user, pool=pool, q=query.q).select_related("party", "previous_owner"),
        ordering=["-entered_at", "-id"],
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": page.items, "next_cursor": page.next_cursor}


def _taken(party) -> dict:
    return {"customer": party.pk, "owner": party.owner.username if party.owner else ""}


@router.post("/pool-entries/{id}/claim", response={200: PoolTakenOut, **responses(*STD, 409)})
def pool_entry_claim(request, id: Id):
    """Take the customer (领取), within the pool's cap and cool-down; when another rep took it first: 404."""
    entry = sel.entry_get(actor=request.user, pk=id)
    return _taken(svc.pool_claim(actor=request.user, entry=entry))


@router.post("/pool-entries/{id}/assign", response={200: PoolTakenOut, **responses(*STD, 409)})
def pool_entry_assign(request, id: Id, payload: PoolAssignIn):
    """Give the customer to a rep of the caller's teams (分配)."""
    svc.require_assigner(request.user)
    entry = sel.entry_get(actor=request.user, pk=id)
    owner = User.objects.filter(pk=payload.owner, is_active=True).first()
    if owner is None:
        raise ValidationError({"owner": _("Choose someone in your team.")})
    return _taken(svc.pool_assign(actor=request.user, entry=entry, owner=owner))


@router.post("/customers/{id}/release", response={201: PoolEntryOut, **responses(*STD, 409)})
def customer_release(request, id: Id):
    """Put one's customer in its team's pool."""
    party = party_get(actor=request.user, pk=id, mode="edit")
    return Status(201, svc.customer_release(actor=request.user, party=party))


@router.put("/customers/{id}/level", response={200: CustomerLevelOut, **responses(*STD)})
def customer_level_put(request, id: Id, payload: CustomerLevelIn):
    """The customer's level (客户等级: a key account … d small; "" for none)."""
    party = party_get(actor=request.user, pk=id)
    account = customer_level_set(actor=request.user, party=party, level=payload.level)
    return {"customer": party.pk, "level": account.level}


@router.get("/check", response={200: list[CheckHitOut], **responses(*STD)})
def customers_check(request, query: Query[CheckHitQuery]):
    """查重: whether a company or person exists by name, phone, e-mail or identifier, who holds it or which pool
    has it — without the record itself when the caller may not open it."""
    return [
        {
            "customer": c.hit.party.pk if c.hit.visible else None,
            "name": c.hit.party.name if c.hit.visible else None,
            "reason": str(c.hit.reason),
            "held_by": (c.hit.owner or None) if not c.pool else None,
            "pool": c.pool or None,
        }
        for c in duplicate_check(actor=request.user, q=query.q)
    ]
