from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from contacts.public_data import (
    COMMITTEES_FILE,
    CONGRESS_FILE,
    GOVERNORS_FILE,
    ORGANIZATIONS_FILE,
    committees_import,
    congress_import,
    governors_import,
    organizations_seed_import,
)

DEFAULT_FILES = {
    "congress": CONGRESS_FILE,
    "committees": COMMITTEES_FILE,
    "governors": GOVERNORS_FILE,
    "organizations": ORGANIZATIONS_FILE,
}


class Command(BaseCommand):
    help = (
        "Import public stakeholder data. `--source congress FILE` also refreshes trade-committee seats "
        "(from --committees, default the bundled file). Reports created / updated / unchanged / retired."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, choices=sorted(DEFAULT_FILES))
        parser.add_argument("file", nargs="?", help="CSV file (default: the bundled file for the source).")
        parser.add_argument("--committees", help="Committee seats CSV used with --source congress.")
        parser.add_argument("--no-committees", action="store_true", help="With congress: skip committee seats.")

    def handle(self, *args, source, file=None, committees=None, no_committees=False, **options):
        path = Path(file) if file else DEFAULT_FILES[source]
        if not path.exists():
            raise CommandError(_("File not found: %(file)s") % {"file": path})
        if source == "congress":
            self.stdout.write(str(congress_import(path=path)))
            if not no_committees:
                self.stdout.write(str(committees_import(path=Path(committees) if committees else COMMITTEES_FILE)))
        elif source == "committees":
            self.stdout.write(str(committees_import(path=path)))
        elif source == "governors":
            self.stdout.write(str(governors_import(path=path)))
        else:
            self.stdout.write(str(organizations_seed_import(path=path)))
