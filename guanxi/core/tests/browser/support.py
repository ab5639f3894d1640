"""Helpers for the Playwright tests against pytest-django's live_server, shared by every browser journey:
logging in (with a language), the two runs of a journey (`CASES`), translating what a page should say (`tr`),
screenshots, and `Journey`, which gives every page a journey shows the same checks: it fits the screen, no
Content-Security-Policy violation, and none of the feature's English is left on a Chinese page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from playwright.sync_api import expect

SHOTS = Path("/tmp/shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# A journey runs twice: in English at desktop width, and in 简体中文 on a phone (every string of the Chinese pages
# translated, the layout at 390 px). Some once ran a third time, in 简体中文 at 1280 px, the same steps again:
# what only that run read, a table header a phone hides, Journey.note_english reads from the phone's DOM.
CASES = pytest.mark.parametrize(
    ("lang", "viewport"),
    [pytest.param("en", DESKTOP, id="en-desktop"), pytest.param("zh-hans", PHONE, id="zh-phone")],
)
LANGUAGES = pytest.mark.parametrize("lang", ["en", "zh-hans"])


class Untranslated(AssertionError):
    """English text of the feature on a page shown in Chinese."""


def tr(lang: str, text: str, context: str | None = None, **values: object) -> str:
    """`text` as a page in `lang` shows it (`context`: pgettext's), with `values` put in when given."""
    with translation.override(lang):
        said = translation.pgettext(context, text) if context else translation.gettext(text)
    return said % values if values else said


def translator(lang: str) -> Callable[..., str]:
    """`tr` for one language: `T = translator(lang)`, then `T("Save")`."""
    return partial(tr, lang)


def login_as(page, live_server, user) -> None:
    """Start the browser already logged in as `user` (skips the login form where it is not under test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def set_language(page, live_server, lang: str) -> None:
    """Show the pages in `lang` (the cookie the language switch sets)."""
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])


def as_user(page, live_server, user, lang: str) -> None:
    """From now on the browser is `user` (whoever it was before), reading the pages in `lang`."""
    page.context.clear_cookies()
    login_as(page, live_server, user)
    set_language(page, live_server, lang)


def watch_csp(page) -> list[str]:
    """The Content-Security-Policy violations the page reports from now on (where, and the start of each)."""
    violations: list[str] = []

    def seen(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text[:100]}")

    page.on("console", seen)
    return violations


def fits(page, viewport) -> None:
    """Nothing on the page is wider than the screen (wide tables scroll inside their own frame)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width}px wide on a {viewport['width']}px screen"


def shot(page, name: str) -> None:
    """A full-page screenshot. `caret="initial"`: Playwright's default hides the caret by styling every input
    and leaves `style=""` on them, which htmx then copies when it settles a swap (a CSP violation)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True, caret="initial")


def follow(page, locator) -> None:
    """Click something that loads a new page, and wait for it (faster than polling assertions)."""
    with page.expect_navigation():
        locator.click()


def poll_now(page, every_ms: int) -> None:
    """Let a page that polls every `every_ms` ms ask now rather than in up to that long: its clock jumps ahead
    (the page's clock must have been installed, `page.clock.install()`, before it loaded)."""
    page.clock.fast_forward(every_ms)


def open_menu_link(page, live_server, name: str) -> None:
    """From the home page, follow the side menu's link `name` (on a phone, the menu button opens it first)."""
    page.goto(f"{live_server.url}/")
    if page.viewport_size["width"] <= PHONE["width"]:
        page.locator("[data-menu-toggle]").click()
    follow(page, page.locator("#sidenav").get_by_role("link", name=name).first)


class Journey:
    """One run of a journey, in one language at one width: the page sized, CSP violations watched, and
    `check(name)` for each page worth a look — a screenshot (`<prefix>-<name>-<lang>-<width>`), nothing wider
    than the screen, and, in Chinese, which of `shown` (the feature's English) is still on the page. That is
    read from what is shown and from the whole DOM of `scope`, so that what a phone hides (a table's header)
    is read too; `ignore` is data left out of it (a bilingual name). `finish()` fails the test on any CSP
    violation and on the English noted."""

    def __init__(
        self,
        page,
        live_server,
        lang: str,
        viewport: dict,
        *,
        prefix: str,
        shown: Iterable[str] = (),
        ignore: Iterable[str] = (),
        scope: str = "main",
        timeout: int = 15_000,
    ) -> None:
        self.page, self.live_server = page, live_server
        self.lang, self.viewport = lang, viewport
        self.prefix, self.shown, self.ignore, self.scope = prefix, tuple(shown), tuple(ignore), scope
        self.T = translator(lang)
        self.tag = f"{lang}-{viewport['width']}"
        self.phone = viewport["width"] <= PHONE["width"]
        self.english_seen: set[str] = set()
        page.set_viewport_size(viewport)
        page.set_default_timeout(timeout)
        self.csp = watch_csp(page)

    def as_user(self, user) -> None:
        as_user(self.page, self.live_server, user, self.lang)

    def shot(self, name: str = "") -> None:
        shot(self.page, "-".join(part for part in (self.prefix, name, self.tag) if part))

    def fits(self) -> None:
        fits(self.page, self.viewport)

    def note_english(self) -> None:
        """On a Chinese page: note which of the feature's English is left on it."""
        if self.lang == "en" or not self.shown:
            return
        area = self.page.locator(self.scope)
        texts = [area.inner_text(), " ".join(area.text_content().split())]
        for text in texts:
            for data in self.ignore:
                text = text.replace(data, "")
            self.english_seen |= {s for s in self.shown if s in text}

    def check(self, name: str = "") -> None:
        """A screenshot; fits the screen; the feature's English on a Chinese page is noted."""
        self.shot(name)
        self.fits()
        self.note_english()

    def open_menu_link(self, name: str) -> None:
        open_menu_link(self.page, self.live_server, name)

    def approve_from_inbox(self, approver, name: str, kind: str) -> None:
        """As `approver`: Approvals from the menu, the one request waiting (of `name`, a `kind`) opened and
        approved; checks the inbox and the request's page on the way."""
        self.as_user(approver)
        self.open_menu_link(self.T("Approvals"))
        row = self.page.locator(".approval-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(name)
        expect(row).to_contain_text(kind)
        self.check("inbox")
        follow(self.page, row.get_by_role("link", name=self.T("Open and decide")))
        decide = self.page.locator("#decide")
        expect(decide).to_be_visible()
        self.check("request")
        follow(self.page, decide.get_by_role("button", name=self.T("Approve"), exact=True))
        expect(self.page.locator(".msg.success")).to_contain_text(name)
        expect(self.page.locator("#decide")).to_have_count(0)

    def finish(self) -> None:
        assert not self.csp, self.csp
        if self.english_seen:
            raise Untranslated(f"English on the Chinese pages: {sorted(self.english_seen)}")
