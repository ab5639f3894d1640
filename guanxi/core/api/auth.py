"""API authentication: personal access tokens (Bearer) or the browser session with CSRF."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from guanxi.core.api.errors import ProblemResponse, csrf_problem
from guanxi.core.models.tokens import TokenScope
from guanxi.core.services.tokens import token_authenticate

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        api_token = token_authenticate(token)
        if api_token is None:
            return None
        if request.method not in SAFE_METHODS and api_token.scope != TokenScope.WRITE:
            raise HttpError(403, _("This API token may only read."))
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The Django session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None  # nobody signed in: a 401, not a CSRF refusal (the CSRF check is for sessions)
        refused = check_csrf(request)  # Django's check; its answer comes from settings.CSRF_FAILURE_VIEW
        if refused is not None:
            if refused.get("Content-Type", "").startswith("application/problem+json"):
                raise ProblemResponse(refused)
            raise ProblemResponse(csrf_problem())
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


api_auth = [TokenAuth(), SessionAuth()]
