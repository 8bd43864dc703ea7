from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trade import census
from trade.choices import Flow, ImportFormat, ImportStatus
from trade.services import trade_file_import


class Command(BaseCommand):
    help = "Fetch state × HS chapter trade with Canada from the Census API (key: CENSUS_API_KEY) and import it."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--month", type=int, choices=range(1, 13))
        parser.add_argument("--print-url", action="store_true", help="Only print the requests (key hidden).")
        parser.add_argument("--skip-invalid", action="store_true")

    def handle(self, *args, year: int, month=None, print_url=False, skip_invalid=False, **options):
        for flow in (Flow.EXPORT, Flow.IMPORT):
            url = census.census_statehs_url(flow=flow, year=year, month=month)
            if print_url:
                self.stdout.write(census.census_statehs_url(flow=flow, year=year, month=month, key=""))
                continue
            try:
                content = census.census_fetch(url)
            except OSError as exc:
                raise CommandError(
                    _("Census API not reachable (%(error)s); nothing imported.") % {"error": exc}
                ) from exc
            period = f"{year}-{month:02d}" if month else str(year)
            run = trade_file_import(
                content=content,
                file_name=f"census-statehs-{flow}-{period}.json",
                format=ImportFormat.CENSUS_STATEHS,
                skip_invalid=skip_invalid,
            )
            self.stdout.write(
                _("%(flow)s: import run #%(run)s %(status)s. %(message)s")
                % {"flow": flow, "run": run.pk, "status": run.get_status_display(), "message": run.message}
            )
            if run.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
                raise CommandError(_("%(flow)s: nothing imported.") % {"flow": flow})
