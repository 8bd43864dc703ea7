"""Delete uploaded import files that no import row points at, once they are a day old."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from contacts.import_files import orphan_import_uploads_sweep


class Command(BaseCommand):
    help = "Delete stored spreadsheet uploads older than a day that no import row references."

    def handle(self, *args, **options):
        deleted = orphan_import_uploads_sweep()
        for name in deleted:
            self.stdout.write(_("deleted %(file)s") % {"file": name})
        self.stdout.write(_("%(count)s orphan upload(s) deleted.") % {"count": len(deleted)})
