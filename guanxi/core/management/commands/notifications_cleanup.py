"""Delete old read notifications and old messenger posts: `guanxi manage notifications_cleanup` (daily)."""

from django.core.management.base import BaseCommand

from guanxi.core.services.deliveries import notifications_cleanup


class Command(BaseCommand):
    help = "Delete notifications read more than --days ago (180) and finished messenger posts as old."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=180)

    def handle(self, *args, **options):
        if options["days"] < 1:
            self.stderr.write("--days must be at least 1.")
            return
        notifications, posts = notifications_cleanup(keep_days=options["days"])
        self.stdout.write(f"Deleted {notifications} notifications and {posts} messenger posts.")
