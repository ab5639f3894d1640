"""Background work of the sales app (django-tasks; `guanxi worker` runs it): the pools' daily recycling and
the warnings before it. Both are idempotent and safe with several workers (guanxi.crm.services.pools)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guanxi.core.periodic import cron
from guanxi.crm.services.pools import pools_recycle, pools_warn

log = logging.getLogger(__name__)


@cron(
    "30 1 * * *",
    name="crm.pools_recycle",
    title=_("Return customers to the pool by its rules, and warn owners before"),
)
@task()
def pools_recycle_task() -> int:
    warned = pools_warn()
    returned = pools_recycle()
    log.info("Pools: %s owners warned, %s customers returned", warned, returned)
    return returned
