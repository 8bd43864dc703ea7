from django.core.management.base import BaseCommand

from core.audit import tracked_models, triggers_install


class Command(BaseCommand):
    help = "Create or replace the audit triggers for every tracked model (PostgreSQL; also done after migrate)."

    def handle(self, *args, **options):
        tables = triggers_install()
        self.stdout.write(f"Tracked models: {', '.join(e.label for e in tracked_models())}")
        self.stdout.write(f"Triggers installed on {len(tables)} table(s).")
