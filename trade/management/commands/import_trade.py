from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trade.choices import ImportStatus
from trade.importers import PARSERS
from trade.services import trade_file_import


class Command(BaseCommand):
    help = "Import a trade file (BTS DOT2, BTS annual, Census statehs JSON, ...). Idempotent; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(PARSERS))
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid rows and list the others.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and summarise; write no figures.")

    def handle(self, *args, file: Path, format: str, skip_invalid: bool, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        run = trade_file_import(
            content=file.read_bytes(), file_name=file.name, format=format, skip_invalid=skip_invalid, dry_run=dry_run
        )
        self.stdout.write(f"Import run #{run.pk}: {run.get_status_display()}. {run.message}")
        self.stdout.write(f"Rows read {run.rows_read}, imported {run.rows_imported}, rejected {run.rows_rejected}.")
        for error in run.errors:
            row = f"row {error['row']}" if error["row"] is not None else "file"
            self.stdout.write(f"  {row}: {error['message']}")
        if run.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
            raise CommandError("Nothing was imported.")
