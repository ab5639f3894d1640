"""`guanxi manage purge_idempotency_keys`: drop the Idempotency-Keys older than IDEMPOTENCY_KEY_HOURS.

Safe to run at any time and as often as wanted; `guanxi worker` runs it every hour (the periodic job
core.purge_idempotency_keys, guanxi.core.tasks)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from guanxi.core.api.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete the API Idempotency-Keys older than settings.IDEMPOTENCY_KEY_HOURS (24 by default)."

    def handle(self, *args, **options):
        deleted = purge_expired()
        hours = settings.IDEMPOTENCY_KEY_HOURS
        self.stdout.write(f"Deleted {deleted} Idempotency-Key(s) older than {hours} hours.")
