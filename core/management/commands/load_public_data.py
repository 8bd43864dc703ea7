from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.public_data import public_data_load
from core.roles import ensure_role_groups
from core.schedules import schedules_install


class Command(BaseCommand):
    help = "Load the bundled real public data (trade, reference, stakeholders) and default schedules. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="Run only loaders whose dotted path contains one of these words.")

    def handle(self, *args, only=None, **options):
        ensure_role_groups()
        public_data_load(stdout=self.stdout, only=only)
        created, kept = schedules_install()
        self.stdout.write(
            _("Beat schedules: %(created)s created, %(kept)s already present.") % {"created": created, "kept": kept}
        )
        self.stdout.write(self.style.SUCCESS(_("Public data loaded.")))
