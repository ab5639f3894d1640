"""Bench-only middleware: a `Server-Timing` header with the time spent in Django and in SQL.

Installed by bench/settings.py only. `app` is the whole request inside Django (all middleware, the
view and the template), `db` the time spent executing SQL, `q` the number of queries.
"""

from __future__ import annotations

import time

from django.db import connection


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        db = [0.0, 0]

        def wrapper(execute, sql, params, many, context):
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                db[0] += time.perf_counter() - t
                db[1] += 1

        start = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            response = self.get_response(request)
            if hasattr(response, "render") and callable(response.render) and not response.is_rendered:
                response.render()
        app = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f"app;dur={app:.2f}, db;dur={db[0] * 1000:.2f}, q;dur={db[1]}"
        return response
