"""Production settings plus the Server-Timing middleware: what bench/run.py serves with.

Needs the same environment as production (DATABASE_URL, SECRET_KEY of 40+ random characters).
"""

from config.settings.production import *  # noqa: F403
from config.settings.production import MIDDLEWARE

MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *MIDDLEWARE]
