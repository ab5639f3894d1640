"""Test settings. The database comes from DATABASE_URL (SQLite in a temp folder by default)."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Server mode (DATABASE_URL set) needs a key from the environment; tests use a fixed, throwaway one.
SECRET_KEY = SECRET_KEY or "insecure-key-for-tests-only"  # noqa: F405
