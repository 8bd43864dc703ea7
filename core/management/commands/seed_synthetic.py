import time

from django.core.management.base import BaseCommand, CommandError

from core.synthetic import synthetic_reset, synthetic_seed


class Command(BaseCommand):
    help = (
        "Add clearly labelled synthetic stakeholders and outreach history for tests and benchmarks "
        "(additive: each run adds more). --reset-synthetic first deletes every synthetic row, and only those."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=0)
        parser.add_argument("--organizations", type=int, default=0)
        parser.add_argument("--interactions", type=int, default=0)
        parser.add_argument("--follow-ups", type=int, default=None, help="Default: interactions / 10.")
        parser.add_argument("--commitments", type=int, default=None, help="Default: interactions / 20.")
        parser.add_argument("--relationships", type=int, default=None, help="Default: people / 3.")
        parser.add_argument("--committee-seats", type=int, default=None, help="Default: people / 50.")
        parser.add_argument("--staff", type=int, default=5, help="Synthetic staff accounts (no usable password).")
        parser.add_argument("--seed", type=int, default=20250101, help="Random seed (same seed, same data).")
        parser.add_argument("--reset-synthetic", action="store_true", help="Delete all synthetic rows first.")

    def handle(self, *args, **options):
        counts = [options[k] for k in ("people", "organizations", "interactions")]
        if any(n < 0 for n in counts):
            raise CommandError("Counts must be zero or more.")
        started = time.monotonic()
        self.verbosity = options["verbosity"]
        if options["reset_synthetic"]:
            deleted = synthetic_reset(progress=self._progress)
            for label, n in sorted(deleted.items()):
                self.stdout.write(f"deleted {label}: {n}")
        if not any(counts):
            if not options["reset_synthetic"]:
                raise CommandError("Give --people, --organizations and/or --interactions (or --reset-synthetic).")
            return
        result = synthetic_seed(
            people=options["people"],
            organizations=options["organizations"],
            interactions=options["interactions"],
            follow_ups=options["follow_ups"],
            commitments=options["commitments"],
            relationships=options["relationships"],
            committee_seats=options["committee_seats"],
            staff=options["staff"],
            seed=options["seed"],
            progress=self._progress,
        )
        for label, n in sorted(result.created.items()):
            self.stdout.write(f"created {label}: {n}")
        for reason in result.skipped:
            self.stdout.write(self.style.WARNING(f"skipped {reason}"))
        self.stdout.write(self.style.SUCCESS(f"done in {time.monotonic() - started:.1f} s"))

    def _progress(self, message: str) -> None:
        if self.verbosity >= 2:
            self.stdout.write(message)
