"""Hooks that keep the list of signed-in sessions true, however a session starts or ends.

Django's login() and logout() are the one place every sign-in and sign-out passes (the login page, the
test client, any future single sign-on), so the session records hang on their signals; the receivers
only call the sessions service. Auditing the sign-in itself is the login view's explicit job.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in, user_logged_out

from guanxi.core.clientinfo import client_ip
from guanxi.core.services import sessions as session_svc


def _on_login(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None:
        session_svc.session_started(
            session=request.session,
            user=user,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )


def _on_logout(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None:
        session_svc.session_forget(session_key=request.session.session_key)


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="guanxi.session_started")
    user_logged_out.connect(_on_logout, dispatch_uid="guanxi.session_forget")


class SessionActivityMiddleware:
    """Last seen time and address of a signed-in session, written at most once a minute. It reads the
    session only when the request already did (no query for API token calls or anonymous pages), and not
    for a view marked quiet (the notification bell's poll: a page left open is not activity)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.accessed
            and SESSION_KEY in session
            and user is not None
            and user.is_authenticated
            and response.status_code < 500
            and not getattr(request, "guanxi_quiet", False)
        ):
            session_svc.session_seen(
                session=session,
                user=user,
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        return response
