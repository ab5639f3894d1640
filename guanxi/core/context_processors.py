from guanxi.core.roles import Action, Area, Scope, grants_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    grants = grants_for(user)
    return {
        "can": {
            "party_view": grants.can(Action.PARTY_VIEW),
            "party_create": grants.can(Action.PARTY_CREATE),
            "party_change": grants.can(Action.PARTY_CHANGE),
            "party_archive": grants.can(Action.PARTY_ARCHIVE),
            "party_export": grants.can(Action.PARTY_EXPORT),
            "tag_manage": grants.can(Action.TAG_MANAGE),
            "settings": grants.can(Action.SETTINGS_MANAGE),
            "money": bool(grants.actions),  # currencies, exchange and tax rates: read by every role
            # The CRM / SRM sections of the menu: only for roles that reach that side's records.
            "crm": grants.view.get(Area.CUSTOMERS, Scope.NONE) > Scope.NONE,
            "srm": grants.view.get(Area.SUPPLIERS, Scope.NONE) > Scope.NONE,
        }
    }
