import dataclasses
import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trade.choices import ImportStatus
from trade.importers import PARSERS
from trade.services import release_info_default, trade_file_import


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": repr(value)}) from exc


class Command(BaseCommand):
    help = "Import a trade file (BTS DOT2, BTS annual, Census statehs JSON, ...). Idempotent; all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=sorted(PARSERS))
        parser.add_argument("--skip-invalid", action="store_true", help="Import the valid rows and list the others.")
        parser.add_argument("--dry-run", action="store_true", help="Validate and summarise; write no figures.")
        parser.add_argument(
            "--release-date",
            help=(
                "YYYY-MM-DD: when the source published this file. It is the release's vintage date, which decides "
                "which release wins a cell; without it the import date is used, so give it for any older file."
            ),
        )
        parser.add_argument(
            "--vintage", help="The publisher's name for this vintage (e.g. '2024 annual, revised'); default: file name."
        )

    def handle(self, *args, file: Path, format: str, skip_invalid: bool, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        info = release_info_default(format=format, file_name=file.name)
        if options.get("release_date"):
            info = dataclasses.replace(info, vintage_date=_date(options["release_date"]))
        if options.get("vintage"):
            info = dataclasses.replace(info, title=options["vintage"][:300])
        run = trade_file_import(
            content=file.read_bytes(),
            file_name=file.name,
            format=format,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
            release_info=info,
        )
        self.stdout.write(
            _("Import run #%(run)s: %(status)s. %(message)s")
            % {"run": run.pk, "status": run.get_status_display(), "message": run.message}
        )
        if run.release_id and run.status != ImportStatus.UNCHANGED:
            self.stdout.write(
                _("Release #%(release)s: %(title)s, vintage date %(date)s.")
                % {"release": run.release_id, "title": run.release.title, "date": run.release.vintage_date}
            )
        skipped = (run.summary or {}).get("skipped", {})
        kept = (run.summary or {}).get("rows_kept", run.rows_read - run.rows_rejected - sum(skipped.values()))
        reasons = [f"{count} {reason}" for reason, count in skipped.items()]
        if run.rows_rejected:
            reasons.append(_("%(count)s invalid") % {"count": run.rows_rejected})
        counts = {"read": run.rows_read, "kept": kept, "skipped": sum(skipped.values()) + run.rows_rejected}
        if reasons:
            counts["reasons"] = ", ".join(reasons)
            line = _("Rows read %(read)s, kept (Canada) %(kept)s, skipped %(skipped)s (%(reasons)s).") % counts
        else:
            line = _("Rows read %(read)s, kept (Canada) %(kept)s, skipped %(skipped)s.") % counts
        self.stdout.write(line)
        for error in run.errors:
            if error["row"] is None:
                line = _("file: %(message)s") % {"message": error["message"]}
            else:
                line = _("row %(row)s: %(message)s") % {"row": error["row"], "message": error["message"]}
            self.stdout.write(f"  {line}")
        if run.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
            raise CommandError(_("Nothing was imported."))
