"""Test settings. The database comes from DATABASE_URL (SQLite in a temp folder by default)."""

import tempfile

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Deliveries run inside the test (immediate backend): short timeouts and pauses keep retries quick.
NOTIFICATION_DELIVERY = {"timeout_seconds": 0.5, "attempts": 3, "first_retry_seconds": 0.05}
# Server mode (DATABASE_URL set) needs a key from the environment; tests use a fixed, throwaway one.
SECRET_KEY = SECRET_KEY or "insecure-key-for-tests-only"  # noqa: F405
# Uploaded files (logos) of a test run go to a temporary folder, not the data folder.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="guanxi-test-media-"))  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production (WAL, busy timeout), not a shared-cache in-memory database, whose table
    # locks fail at once instead of waiting: tests that send concurrent requests need the real behaviour.
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"guanxi-test-{os.getpid()}.sqlite3")
    }

# A small app that exists only in the tests: it registers an action, an area, a menu item, a tab, a header
# action, an overview card, a timeline provider, audit labels and a document type without touching core.
INSTALLED_APPS = [*INSTALLED_APPS, "guanxi.tests.plugin_app"]  # noqa: F405
ROOT_URLCONF = "guanxi.tests.plugin_app.urls_root"

# Attachment files of the tests go to a throwaway folder, never the data folder (tests that look at the
# files use the `attachments_dir` fixture, a folder of their own).
import tempfile as _tempfile  # noqa: E402

# Exports too: the SQLite and PostgreSQL suites run side by side (scripts/test.sh) and must not share files.
EXPORTS_DIR = Path(_tempfile.mkdtemp(prefix="guanxi-test-exports-"))  # noqa: F405
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": EXPORTS_DIR, "base_url": None},
    },
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": _tempfile.mkdtemp(prefix="guanxi-test-attachments-")},
    },
}

# Speed, not durability: a test database is thrown away. PostgreSQL need not wait for the WAL on each commit
# (the transactional tests and their flushes commit often); SQLite need not sync at all.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
else:
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
    )
