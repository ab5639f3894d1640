"""Settings shared by every mode. Everything a deployment changes comes from the environment."""

from __future__ import annotations

import secrets
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

# The data folder holds the embedded SQLite database and the generated secret key.
DATA_DIR = Path(env.str("GUANXI_DATA_DIR", default=str(Path.cwd() / "data"))).resolve()


def embedded_secret_key() -> str:
    """Generate a secret key on first run and keep it in the data folder (embedded mode)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DATABASE_URL = env.str("DATABASE_URL", default="")
EMBEDDED = not DATABASE_URL
if EMBEDDED:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'guanxi.sqlite3'}"

DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SECRET_KEY = env.str("SECRET_KEY", default="") or (embedded_secret_key() if EMBEDDED else "")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "guanxi.core",
    "guanxi.parties",
    "guanxi.catalog",
    "guanxi.activities",
    "guanxi.suppliers",
    "guanxi.crm",
    "guanxi.procurement",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "guanxi.core.session_tracking.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guanxi.core.middleware.GuanxiErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "guanxi.core.context_processors.navigation",
            ],
        },
    }
]

AUTH_USER_MODEL = "core.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "guanxi" / "locale"]
FORMAT_MODULE_PATH = ["guanxi.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# No collectstatic step: whitenoise serves the files straight from the apps' static folders.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = (
    "guanxi.core.views.errors.csrf_failure"  # problem+json under /api/, the HTML page elsewhere
)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline scripts, handlers or styles anywhere; htmx's own
# indicator styles and eval are switched off in base.html's htmx-config meta tag.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
HTTPS = env.bool("GUANXI_HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
# Reverse proxies in front of Guanxi that append the client's address to X-Forwarded-For. Only then is the
# header believed (for login throttling and the session list); by default one with GUANXI_HTTPS (a TLS
# proxy), none otherwise (the header would be the client's own word).
GUANXI_PROXY_COUNT = env.int("GUANXI_PROXY_COUNT", default=1 if HTTPS else 0)

# Failed sign-ins (docs/adr/0004-login-throttling.md): per account name and per client address, a few
# failures are free; each further one makes the next try wait, first_wait doubled each time, up to
# max_wait (the temporary lock). A counter forgets after forget_after without failures. An address
# allows more free failures than an account: an office shares one address.
GUANXI_LOGIN_THROTTLE = {
    "account_free_failures": 3,
    "address_free_failures": 20,
    "first_wait_seconds": 30,
    "max_wait_seconds": 3600,
    "forget_after_seconds": 86400,
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Notifications (docs/subsystems/notifications.md). E-mail goes through SMTP when EMAIL_HOST is set, and is
# written to the console (the worker's output) otherwise: the demo and a local run need no mail server.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)  # port 465 (then set EMAIL_USE_TLS=false)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Guanxi <guanxi@localhost>")
# Links in e-mails and team messenger posts start with this (the address users open Guanxi at).
GUANXI_BASE_URL = env.str("GUANXI_BASE_URL", default="http://127.0.0.1:8000")
# Messenger posts and e-mails: a request's timeout, attempts in all, the pause before the second (then doubled).
NOTIFICATION_DELIVERY = {"timeout_seconds": 5.0, "attempts": 3, "first_retry_seconds": 30.0}
NOTIFICATIONS_POLL_SECONDS = 30  # how often an open page asks for the unread count

# Export files (docs/subsystems/exports.md) live in the data folder, never under the web root: only the
# download view, for the user who asked, serves them. Any Django storage backend can take the "exports" alias.
EXPORTS_DIR = Path(env.str("GUANXI_EXPORTS_DIR", default=str(DATA_DIR / "exports"))).resolve()
EXPORTS_KEEP_DAYS = env.int("GUANXI_EXPORTS_KEEP_DAYS", default=7)
# Uploaded files (company logos) go to the default storage: the data folder's media/, never under the web
# root and never served by the web server (views hand them to signed-in users). Any Django storage backend
# can take the "default" alias (e.g. S3-compatible storage through django-storages).
MEDIA_ROOT = Path(env.str("GUANXI_MEDIA_DIR", default=str(DATA_DIR / "media"))).resolve()
# Attachments (docs/subsystems/attachments.md): files on records, kept outside the web root and served only by
# the download and preview views, to users who may see the record. Any Django storage backend can take the
# "attachments" alias (e.g. S3-compatible storage through django-storages, see the docs).
ATTACHMENTS_DIR = Path(env.str("GUANXI_ATTACHMENTS_DIR", default=str(DATA_DIR / "attachments"))).resolve()
GUANXI_ATTACHMENT_MAX_BYTES = env.int("GUANXI_ATTACHMENT_MAX_BYTES", default=25 * 1024 * 1024)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": EXPORTS_DIR,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": ATTACHMENTS_DIR,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
NINJA_PAGINATION_MAX_LIMIT = 200
IDEMPOTENCY_KEY_HOURS = env.int(
    "IDEMPOTENCY_KEY_HOURS", default=24
)  # then `purge_idempotency_keys` drops them

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
