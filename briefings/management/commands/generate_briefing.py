from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from briefings.choices import PacketFormat, PacketStatus, TargetKind
from briefings.services import packet_generate, packet_request, target_resolve
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Generate a briefing packet now (stored as a new version) and write it to a file. "
        "Example: generate_briefing --state MI --format pdf --output mi.pdf"
    )

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--state", help="State postal code, e.g. MI.")
        target.add_argument("--person", type=int, help="Person id.")
        target.add_argument("--organization", type=int, help="Organization id.")
        target.add_argument("--campaign", type=int, help="Campaign id (writes the batch summary).")
        parser.add_argument("--scenario", help="Scenario slug (default: the default scenario).")
        parser.add_argument("--format", choices=PacketFormat.values, default=PacketFormat.PDF)
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], help="Default: en (for US readers)."
        )
        parser.add_argument("--output", required=True, help="File to write.")

    def handle(self, *args, **options):
        kind, target_id = next((kind, options[kind]) for kind in TargetKind.values if options.get(kind) is not None)
        try:
            target = target_resolve(kind=kind, target_id=target_id)
            packet = packet_request(
                target_kind=kind,
                target=target,
                scenario_slug=options["scenario"],
                generated_for="generate_briefing (command line)",
                enqueue=False,
                language=options["language"] or "",
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for child in packet.children.order_by("id"):
            packet_generate(packet_id=child.pk)
        packet = packet_generate(packet_id=packet.pk)
        if packet.status != PacketStatus.DONE:
            raise CommandError(_("Packet %(packet)s failed: %(error)s") % {"packet": packet.pk, "error": packet.error})
        output = Path(options["output"])
        if options["format"] == PacketFormat.PDF:
            with packet.pdf.open("rb") as handle:
                output.write_bytes(handle.read())
        else:
            output.write_text(packet.html, encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                _("Packet %(packet)s (version %(version)s) written to %(file)s")
                % {"packet": packet.pk, "version": packet.version, "file": output}
            )
        )
