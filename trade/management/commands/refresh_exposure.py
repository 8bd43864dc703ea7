from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from trade.exposure import exposure_refresh, exposure_refresh_all
from trade.selectors import scenario_get


class Command(BaseCommand):
    help = "Compute new exposure snapshots (every current scenario, or one) and make them current."

    def add_arguments(self, parser):
        parser.add_argument("--scenario", help="Slug of one scenario (its current version).")
        parser.add_argument("--base-year", type=int, help="Default: latest year with 12 months of chapter detail.")

    def handle(self, *args, scenario=None, base_year=None, **options):
        if scenario:
            snapshots = [
                exposure_refresh(scenario=scenario_get(slug=scenario), base_year=base_year, trigger="refresh_exposure")
            ]
        else:
            snapshots = exposure_refresh_all(base_year=base_year, trigger="refresh_exposure")
        for snapshot in snapshots:
            self.stdout.write(
                _(
                    "%(scenario)s v%(version)s: snapshot #%(snapshot)s %(status)s, %(figures)s figures, "
                    "base year %(year)s."
                )
                % {
                    "scenario": snapshot.scenario.slug,
                    "version": snapshot.scenario.version,
                    "snapshot": snapshot.pk,
                    "status": snapshot.get_status_display(),
                    "figures": snapshot.figure_count,
                    "year": snapshot.base_year,
                }
            )
