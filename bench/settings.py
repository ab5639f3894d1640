"""Production settings plus the Server-Timing middleware: what bench/run.py serves with.

Needs the same environment as production (DATABASE_URL, SECRET_KEY of 40+ random characters). The `bench`
app registers the approvals benchmark's approvable document (bench/approvable.py).
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench.apps.BenchConfig"]
MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *MIDDLEWARE]
