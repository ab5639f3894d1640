from guanxi.core import registry
from guanxi.core.roles import grants_for


class Can:
    """`{% if can.party_view %}` in templates: may the user do action "party.view"? (The first "_" of the
    name stands for the "." of the action code.)"""

    def __init__(self, grants) -> None:
        self._grants = grants

    def __getitem__(self, name: str) -> bool:
        return self._grants.can(name.replace("_", ".", 1))

    def __contains__(self, name: str) -> bool:
        return True


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    grants = grants_for(user)
    return {
        "can": Can(grants),
        # Lazy: the menu and the search target are only worked out when a template shows them.
        "navigation": lambda: registry.navigation_for(grants),
        "search": lambda: registry.search_for(grants),
    }
