import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.jobs import job_enqueue


class Command(BaseCommand):
    help = "Send a trivial task through the configured broker and wait until a worker has run it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, timeout, **options):
        with transaction.atomic():
            message = job_enqueue("core.ping", kwargs={})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message.refresh_from_db()
            if message.completed_at:
                self.stdout.write(self.style.SUCCESS(f"Task round-trip ok (outbox #{message.pk})."))
                return
            time.sleep(0.5)
        raise CommandError(f"No worker ran the task within {timeout}s (dispatched_at={message.dispatched_at}).")
