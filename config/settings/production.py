"""Production settings: refuse to start with an insecure configuration, and say why."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, DEBUG, EMBEDDED, HTTPS, SECRET_KEY


def insecure_configuration_problems() -> list[str]:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
    if not SECRET_KEY:
        problems.append(
            "SECRET_KEY is not set. With DATABASE_URL set (server mode) it must come from the environment."
        )
    elif len(SECRET_KEY) < 40 or len(set(SECRET_KEY)) < 10 or SECRET_KEY.startswith("django-insecure"):
        problems.append("SECRET_KEY is too short or too simple: use at least 40 random characters.")
    if "*" in ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must list your host names, not '*'.")
    if (
        not EMBEDDED
        and not HTTPS
        and not all(h in {"127.0.0.1", "localhost", "[::1]"} for h in ALLOWED_HOSTS)
    ):
        problems.append(
            "Serving public hosts without HTTPS: put Guanxi behind a TLS proxy and set GUANXI_HTTPS=true."
        )
    return problems


_problems = insecure_configuration_problems()
if _problems:
    raise ImproperlyConfigured("Guanxi refuses to start:\n  - " + "\n  - ".join(_problems))
