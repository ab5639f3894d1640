"""Shared fixtures. The database comes from DATABASE_URL: unset means SQLite, a postgres:// URL PostgreSQL."""

import os

import pytest

from guanxi.core.tests.fake_webhook import fake_webhook  # noqa: F401  (a fixture: a local fake group chat robot)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server


def pytest_collection_modifyitems(config, items):
    """scripts/test.sh runs the suite twice side by side, on SQLite (GUANXI_TEST_PASS=sqlite) and on PostgreSQL
    (=postgresql). What does not depend on the database runs in one pass only, so that the two take about as
    long: on SQLite the tests marked `once` (the `guanxi` command in embedded mode, the catalog check); the
    browser journeys (the UI, whose services every other test covers on both) on SQLite, but for the apps'
    journeys in Chinese (not core's or the parties') on PostgreSQL; on PostgreSQL the schemathesis runs of the
    API against its OpenAPI document (where PostgreSQL's stricter text rules, e.g. no NUL, bite). The thin
    layers run once too — page tests (tests/views/, core's too) on SQLite, the apps' API tests (tests/api/) on
    PostgreSQL — while what holds the rules that meet the database (services, selectors, the apps' other tests)
    and core's API tests (the foundation: idempotency, errors, hygiene) run on both. Unset: everything."""
    which = os.environ.get("GUANXI_TEST_PASS", "")
    if which not in ("sqlite", "postgresql"):
        return
    keep, drop = [], []
    for item in items:
        (keep if _runs_in(which, item) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _runs_in(which: str, item) -> bool:
    parts = item.nodeid.split("::")[0].split("/")
    foundation = len(parts) > 1 and parts[1] in ("core", "parties")
    if item.get_closest_marker("browser"):  # the apps' Chinese journeys on PostgreSQL, the rest on SQLite
        return which == ("postgresql" if "-zh" in item.nodeid and not foundation else "sqlite")
    if item.get_closest_marker("once"):
        return which == "sqlite"
    if "schemathesis" in item.nodeid:  # the API against its document: where PostgreSQL's text rules bite
        return which == "postgresql"
    if len(parts) > 4 and parts[0] == "guanxi" and parts[2] == "tests":
        if parts[3] == "views":  # page tests, core's too
            return which == "sqlite"
        if parts[3] == "api" and parts[1] != "core":  # core's API (idempotency, errors, hygiene): both
            return which == "postgresql"
    return True


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete_on_postgresql():
    """After each test that commits (transaction=True: the concurrency tests, e-mails after commit) Django empties
    every table with one TRUNCATE of all ~130 tables. On PostgreSQL that costs 0.7 s alone and 2-6 s beside the
    other pass (a new file per table and index, and a scan of shared buffers): ~100 s of the PostgreSQL pass.
    DELETE of tables that hold a test's few rows takes ~50 ms; the foreign keys are DEFERRABLE (Django makes
    them so) and are checked at the end, when everything is gone. Only for tests, only without sequence resets."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        # Table names from Django's own list, quoted: nothing from outside.
        return ["SET CONSTRAINTS ALL DEFERRED", *(f"DELETE FROM {self.quote_name(t)}" for t in tables)]  # noqa: S608

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request in one test may leave another language active in the thread: start each test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def make_user(db):
    from guanxi.core.tests.factories import make_user

    return make_user


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", superuser=True)


@pytest.fixture
def team(db):
    from guanxi.core.models import Team

    return Team.objects.create(name="East")


@pytest.fixture
def other_team(db):
    from guanxi.core.models import Team

    return Team.objects.create(name="West")


@pytest.fixture
def attachments_dir(settings, tmp_path):
    """Attachment files go to a temporary folder of this test (guanxi.core.tests.attachments_support)."""
    folder = tmp_path / "attachments"
    folder.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }
