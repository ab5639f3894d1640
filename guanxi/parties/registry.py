"""What the parties app adds to core's registry (guanxi.core.registry): its permission actions and record
areas, its menu items and search, its document type, and (in guanxi.parties.tabs) the tabs and timeline of
the 360° page. Imported by PartiesConfig.ready()."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from guanxi.core import registry, roles
from guanxi.core.registry import (
    DocumentType,
    EventType,
    HeaderAction,
    NavItem,
    PermissionAction,
    Printable,
    RecordArea,
    SearchTarget,
)
from guanxi.core.roles import Scope
from guanxi.core.saved_lists import register_savable_list
from guanxi.parties.permissions import Action, Area

registry.register_actions(
    PermissionAction(Action.PARTY_VIEW, _("View parties"), "parties"),
    PermissionAction(Action.PARTY_CREATE, _("Create parties"), "parties"),
    PermissionAction(Action.PARTY_CHANGE, _("Change parties"), "parties"),
    PermissionAction(Action.PARTY_ARCHIVE, _("Archive and restore parties"), "parties"),
    PermissionAction(Action.PARTY_EXPORT, _("Export parties"), "parties"),
    PermissionAction(
        Action.PARTY_MERGE,
        _("Merge duplicate parties"),
        "parties",
        _("The duplicates list; merge two parties one may change, and undo a merge within 30 days"),
    ),
    PermissionAction(Action.NOTE_ADD, _("Add notes"), "parties", _("On the timeline of a party one may see")),
    PermissionAction(Action.TAG_MANAGE, _("Manage tags"), "parties", _("Rename, recolour and delete tags")),
)
registry.register_area(
    RecordArea(Area.CUSTOMERS, _("Customers"), 10, _("Customers, prospects and parties without a role"))
)
registry.register_area(RecordArea(Area.SUPPLIERS, _("Suppliers"), 20, _("Parties that supply us")))


def _reaches(area: str):
    return lambda grants: grants.reaches(area) > Scope.NONE


for item in (
    NavItem(
        "organizations",
        _("Organizations"),
        "parties:list",
        "master",
        "kind=organization",
        10,
        Action.PARTY_VIEW,
    ),
    NavItem("people", _("Contacts"), "parties:list", "master", "kind=person", 20, Action.PARTY_VIEW),
    NavItem("tags", _("Tags"), "parties:tags", "master", order=30, action=Action.PARTY_VIEW),
    NavItem(
        "duplicates", _("Duplicates"), "parties:duplicates", "master", order=40, action=Action.PARTY_MERGE
    ),
    NavItem(
        "customers",
        _("Customers"),
        "parties:list",
        "crm",
        "role=customer",
        10,
        Action.PARTY_VIEW,
        _reaches(Area.CUSTOMERS),
    ),
    NavItem(
        "suppliers",
        _("Suppliers"),
        "parties:list",
        "srm",
        "role=supplier",
        10,
        Action.PARTY_VIEW,
        _reaches(Area.SUPPLIERS),
    ),
):
    registry.register_nav_item(item)
registry.register_home("parties:list", action=Action.PARTY_VIEW, order=10)
registry.register_search(
    SearchTarget("parties:list", _("Search companies and people…"), Action.PARTY_VIEW, 10)
)


def _remembered(party, key: tuple, check) -> bool:
    """The answer for this party object and user, worked out once: a page asks the building blocks (tabs,
    buttons, cards) the same question several times, and the party object lives for one request."""
    answers = party.__dict__.setdefault("_guanxi_may", {})
    if key not in answers:
        answers[key] = check()
    return answers[key]


def _may_view(user, party) -> bool:
    from guanxi.core.exceptions import PermissionDeniedError
    from guanxi.parties.selectors.parties import party_visible

    def check() -> bool:
        try:
            return party_visible(actor=user).filter(pk=party.pk).exists()
        except PermissionDeniedError:  # the user may not see parties at all
            return False

    return _remembered(party, ("view", getattr(user, "pk", None)), check)


def _may_change(user, party) -> bool:
    from guanxi.parties.selectors.parties import party_can_edit

    return _remembered(
        party, ("change", getattr(user, "pk", None)), lambda: party_can_edit(actor=user, party=party)
    )


registry.register_document_type(
    DocumentType(
        "parties.party",
        _("Party"),
        _("Parties"),
        may_view=_may_view,
        may_change=_may_change,
        url=lambda party: party.get_absolute_url(),
        title=lambda party: party.name,
        features=frozenset({"attachments", "activities", "print"}),
    )
)

# "@username" in a note (guanxi.parties.services.notes) tells that user, if they may see the party.
registry.register_event_type(
    EventType(
        "note.mention",
        _("You were mentioned in a note"),
        default_channels=frozenset({registry.IN_APP, registry.EMAIL}),
        help=_("Someone wrote “@” and your user name in a note on a party you may see."),
        order=50,
    )
)

# What the shipped roles may do with parties (kept in step by `migrate`: guanxi.core.services.roles).
_EDIT = {
    Action.PARTY_VIEW,
    Action.PARTY_CREATE,
    Action.PARTY_CHANGE,
    Action.PARTY_ARCHIVE,
    Action.PARTY_EXPORT,
    Action.NOTE_ADD,
}
_MANAGE = {Action.TAG_MANAGE, Action.PARTY_MERGE}
_C, _S = Area.CUSTOMERS, Area.SUPPLIERS
for role, actions, view, edit in (
    (roles.EXECUTIVE, {Action.PARTY_VIEW, Action.PARTY_EXPORT}, {_C: Scope.ALL, _S: Scope.ALL}, {}),
    (roles.SALES_MANAGER, _EDIT | _MANAGE, {_C: Scope.TEAM}, {_C: Scope.TEAM}),
    (roles.SALES_REP, _EDIT - {Action.PARTY_EXPORT}, {_C: Scope.OWN}, {_C: Scope.OWN}),
    (
        roles.MARKETING,
        {Action.PARTY_VIEW, Action.PARTY_EXPORT, Action.TAG_MANAGE, Action.NOTE_ADD},
        {_C: Scope.ALL},
        {},
    ),
    (roles.SERVICE_AGENT, {Action.PARTY_VIEW, Action.NOTE_ADD}, {_C: Scope.ALL}, {}),
    (roles.PROCUREMENT_MANAGER, _EDIT | _MANAGE, {_S: Scope.ALL}, {_S: Scope.ALL}),
    (roles.BUYER, _EDIT - {Action.PARTY_EXPORT}, {_S: Scope.ALL}, {_S: Scope.OWN}),
):
    registry.grant_shipped_role(role, actions=actions, view=view, edit=edit)


# The profile sheet: a printable form of a party (print preview and PDF), and a Print button on its page.
def _profile_context(party, user) -> dict:
    from django.db.models import Prefetch

    from guanxi.parties.choices import ContactPointKind
    from guanxi.parties.models import ContactPoint

    points = list(party.contact_points.all())
    staff = list(
        party.staff.filter(person__archived_at=None)
        .select_related("person")
        .prefetch_related(Prefetch("person__contact_points", queryset=ContactPoint.objects.all()))
        .order_by("person__sort_key")[:200]
    )
    for e in staff:
        first: dict[str, str] = {}
        for c in e.person.contact_points.all():
            first.setdefault(c.kind, c.value)
        e.phone, e.email = first.get(ContactPointKind.PHONE), first.get(ContactPointKind.EMAIL)
    return {
        "identifiers": list(party.identifiers.all()),
        "contact_points": points,
        "addresses": list(party.addresses.all()),
        "tags": [t.name for t in party.tags.all()],
        "staff": staff,
    }


registry.register_printable(
    Printable(
        "parties.party",
        "profile",
        _("Profile sheet"),
        "parties/print/profile.html",
        context=_profile_context,
        language=lambda party: party.preferred_language or None,
        filename=lambda party: f"{party.name}-profile",
    )
)
registry.register_header_action(
    HeaderAction(
        "parties.party",
        "print",
        _("Print"),
        lambda party: reverse("core:print_preview", args=["parties.party", party.pk, "profile"]),
        order=90,
    )
)

# The parties list's filters and columns can be saved as named views (guanxi.core.saved_lists).
register_savable_list("parties.list", _("Parties"))
