"""Background work of the parties app (django-tasks; `guanxi worker` runs it): the nightly duplicate scan,
and the same scan when someone asks for it from the duplicates list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_tasks import task

from guanxi.core.periodic import cron
from guanxi.parties.models import DuplicateScan
from guanxi.parties.services.duplicate_scan import duplicates_refresh


@cron("0 2 * * *", name="parties.duplicate_scan", title=_("Look for duplicate customers and suppliers"))
@task()
def duplicates_nightly_task() -> int:
    return duplicates_refresh()


@task()
def duplicates_scan_task(scan_id: int) -> int:
    scan = DuplicateScan.objects.filter(pk=scan_id, finished_at=None).first()
    return duplicates_refresh(scan=scan) if scan is not None else 0
