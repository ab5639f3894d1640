"""The suppliers app's scheduled job: qualification documents that expire (guanxi.suppliers.services.documents)."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guanxi.core.periodic import cron

log = logging.getLogger(__name__)


@cron(
    "10 6 * * *",
    name="suppliers.documents_expiry",
    title=_(
        "Tell owners of supplier documents about to expire; put suppliers on hold when a required one has"
    ),
)
@task()
def documents_expiry_task() -> int:
    from guanxi.suppliers.services.documents import documents_expiry_check

    reminded, held = documents_expiry_check()
    log.info("Supplier documents: %s owners told, %s suppliers put on hold", reminded, held)
    return held
