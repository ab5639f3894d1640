"""The checks that refuse (or warn about) an insecure configuration, whatever the settings module.

`config.settings.production` runs them at import; `guanxi serve` and `guanxi check` run them again on the
settings actually loaded, so that DJANGO_SETTINGS_MODULE=config.settings.local (or any other module) cannot
serve with DEBUG on or a weak key. Importing this module loads no settings.
"""

from __future__ import annotations

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _public_hosts(s) -> list[str]:
    return [h for h in getattr(s, "ALLOWED_HOSTS", []) if h not in LOCAL_HOSTS]


def insecure_configuration_problems(s) -> list[str]:
    """What makes this configuration unfit to serve (each a sentence saying how to fix it)."""
    problems = []
    secret_key = getattr(s, "SECRET_KEY", "")
    if getattr(s, "DEBUG", False):
        problems.append("DEBUG must be off in production (unset DEBUG or set DEBUG=false).")
    if not secret_key:
        problems.append(
            "SECRET_KEY is not set. With DATABASE_URL set (server mode) it must come from the environment."
        )
    elif len(secret_key) < 40 or len(set(secret_key)) < 10 or secret_key.startswith("django-insecure"):
        problems.append("SECRET_KEY is too short or too simple: use at least 40 random characters.")
    if "*" in getattr(s, "ALLOWED_HOSTS", []):
        problems.append("ALLOWED_HOSTS must list your host names, not '*'.")
    if not getattr(s, "EMBEDDED", False) and not getattr(s, "HTTPS", False) and _public_hosts(s):
        problems.append(
            "Serving public hosts without HTTPS: put Guanxi behind a TLS proxy and set GUANXI_HTTPS=true."
        )
    return problems


def configuration_warnings(s) -> list[str]:
    """What is allowed but probably a mistake."""
    warnings = []
    public = [h for h in _public_hosts(s) if h != "*"]
    if getattr(s, "EMBEDDED", False) and not getattr(s, "HTTPS", False) and public:
        warnings.append(
            f"Embedded mode serves the public host(s) {', '.join(public)} without HTTPS: passwords and "
            "session cookies would cross the network in clear text. Put Guanxi behind a TLS proxy and set "
            "GUANXI_HTTPS=true (or keep ALLOWED_HOSTS to localhost names)."
        )
    return warnings
