"""Helpers for Playwright tests against pytest-django's live_server."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.test import Client

SHOTS = Path("/tmp/shots")


def login_as(page, live_server, user) -> None:
    """Start the browser already logged in as `user` (skips the login form where it is not under test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def shot(page, name: str) -> None:
    """A full-page screenshot. `caret="initial"`: Playwright's default hides the caret by styling every input
    and leaves `style=""` on them, which htmx then copies when it settles a swap (a CSP violation)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, caret="initial")


def follow(page, locator) -> None:
    """Click something that loads a new page, and wait for it (faster than polling assertions)."""
    with page.expect_navigation():
        locator.click()
