from ninja import Router, Schema

from guanxi.core import registry
from guanxi.core.api import companies, jobs, notifications, numbering
from guanxi.core.api.errors import responses
from guanxi.core.api.money import router as money_router
from guanxi.core.roles import grants_for, role_names

router = Router()
router.add_router("", money_router)  # /currencies, /exchange-rates, /tax-rates
router.add_router("", jobs.router)
router.add_router("", companies.router)
router.add_router("", numbering.router)
router.add_router("", notifications.router)


class MeOut(Schema):
    id: int
    username: str
    name: str
    language: str
    roles: list[str]
    actions: list[str]


@router.get("/me", response={200: MeOut, **responses(401)}, tags=["users"])
def me_get(request):
    u = request.user
    return {
        "id": u.pk,
        "username": u.username,
        "name": str(u),
        "language": u.language,
        "roles": role_names(u),
        "actions": sorted(grants_for(u).actions),
    }


class RoleOut(Schema):
    code: str
    name: str
    shipped: bool
    all_access: bool
    actions: list[str]
    view_scopes: dict[str, int]
    edit_scopes: dict[str, int]


class ActionOut(Schema):
    code: str
    label: str
    app: str


@router.get("/roles", response={200: list[RoleOut], **responses(401, 403)}, tags=["users"])
def roles_list(request):
    """Every role with what it grants (administrators): the permission matrix of Settings → Roles."""
    from guanxi.core.selectors.roles import role_list as roles

    return [
        {
            "code": r.code,
            "name": r.label,
            "shipped": r.shipped,
            "all_access": r.all_access,
            "actions": sorted(registry.action_codes()) if r.all_access else sorted(r.actions),
            "view_scopes": r.view_scopes,
            "edit_scopes": r.edit_scopes,
        }
        for r in roles(actor=request.user)
    ]


@router.get("/permissions", response={200: list[ActionOut], **responses(401)}, tags=["users"])
def permissions_list(request):
    """The permission actions that the installed apps declare."""
    return [{"code": a.code, "label": str(a.label), "app": a.app} for a in registry.actions()]
