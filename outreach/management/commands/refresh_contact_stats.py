"""Recompute every person's contact figures and the cached who-to-call-next ranking (after a bulk
import or seeding that bypassed the services)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from outreach.services import contact_stats_refresh, priority_scores_refresh


class Command(BaseCommand):
    help = (
        "Recompute last contact, next scheduled contact and open commitments of everyone ever contacted, "
        "then everyone's cached who-to-call-next score."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            written = contact_stats_refresh()
        self.stdout.write(_("Contact figures refreshed for %(count)s people.") % {"count": written})
        scored = priority_scores_refresh()
        self.stdout.write(_("Who-to-call-next scores computed for %(count)s people.") % {"count": scored})
