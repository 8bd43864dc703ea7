"""Recompute every person's contact figures (after a bulk import or seeding that bypassed the services)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from outreach.services import contact_stats_refresh


class Command(BaseCommand):
    help = "Recompute last contact, next scheduled contact and open commitments of everyone ever contacted."

    def handle(self, *args, **options):
        with transaction.atomic():
            written = contact_stats_refresh()
        self.stdout.write(f"Contact figures refreshed for {written} people.")
