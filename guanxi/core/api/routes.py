from ninja import Router, Schema

from guanxi.core.api import companies, numbering
from guanxi.core.api.errors import responses
from guanxi.core.roles import grants_for, role_names

router = Router()
router.add_router("", companies.router)
router.add_router("", numbering.router)


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
