"""Delete expired export files and their jobs: `guanxi manage exports_cleanup`.

`guanxi worker` also runs this every hour (the periodic job core.exports_cleanup, guanxi.core.tasks)."""

from django.core.management.base import BaseCommand

from guanxi.core.services.exports import export_cleanup


class Command(BaseCommand):
    help = "Delete export files past their expiry (GUANXI_EXPORTS_KEEP_DAYS), their jobs, and stray files."

    def handle(self, *args, **options):
        jobs, files = export_cleanup()
        self.stdout.write(f"Deleted {jobs} expired export jobs and {files} files.")
