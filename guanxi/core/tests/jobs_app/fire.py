"""`python -m guanxi.core.tests.jobs_app.fire AT WORKER N`: what a worker's scheduler does when jobs_app.tick
is due, for N scheduled times (one a second from 2026-03-01 08:00:00 UTC), starting together with the other
process at the wall-clock time AT (epoch seconds). Prints how many times this process claimed."""

import os
import sys
import time
from datetime import UTC, datetime, timedelta

import django

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.core.tests.jobs_app.settings")
    django.setup()
    from guanxi.core.periodic import get_periodic_job
    from guanxi.core.services.jobs import periodic_job_fire

    start, worker, count = float(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    job = get_periodic_job("jobs_app.tick")
    first = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)
    time.sleep(max(0.0, start - time.time()))
    claimed = 0
    for i in range(count):
        claimed += periodic_job_fire(job=job, now=first + timedelta(seconds=i), worker=worker) is not None
    print(claimed)
