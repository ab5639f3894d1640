"""Delete attachment files that no attachment points to: `guanxi manage attachments_cleanup` (run it daily)."""

from django.core.management.base import BaseCommand

from guanxi.core.services.attachments import attachment_strays_remove


class Command(BaseCommand):
    help = "Delete files in the attachments storage that no attachment points to (left by a failed upload)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {attachment_strays_remove()} stray attachment files.")
