"""A Celery worker for the worker-death tests: it pauses inside a task's open transaction so the test can
SIGKILL it there.

Run as `python -m tests.trust.pausing_worker worker -A config ...` with `WORKER_PAUSE_AT` naming the
point and `WORKER_PAUSE_FILE` the marker file it touches once it is there. The pause is added here, by
connecting signal receivers before the worker starts; product code knows nothing about it.

Points:
- `exposure-ready`: an exposure snapshot is saved as ready (figures written, `is_current` switched),
  before the refresh's transaction commits.
- `packet-batch`: a packet of a batch is saved as done while a sibling is already finished, before its
  generation's transaction commits.
"""

import os
import sys
import time

import django

PAUSE_SECONDS = 600  # far longer than any test waits: the test kills the worker first


def _pause() -> None:
    with open(os.environ["WORKER_PAUSE_FILE"], "w") as flag:
        flag.write("paused")
    time.sleep(PAUSE_SECONDS)


def _install(point: str) -> None:
    from django.db.models.signals import post_save

    if point == "exposure-ready":
        from trade.choices import SnapshotStatus
        from trade.models import ExposureSnapshot

        def on_snapshot_saved(sender, instance, created, **kwargs):
            if not created and instance.status == SnapshotStatus.READY and instance.is_current:
                _pause()

        post_save.connect(on_snapshot_saved, sender=ExposureSnapshot, weak=False)
    elif point == "packet-batch":
        from briefings.choices import FINISHED_STATUSES, PacketStatus
        from briefings.models import BriefingPacket

        def on_packet_saved(sender, instance, created, **kwargs):
            if created or instance.status != PacketStatus.DONE or not instance.batch_parent_id:
                return
            siblings = BriefingPacket.objects.filter(batch_parent_id=instance.batch_parent_id).exclude(pk=instance.pk)
            if siblings.filter(status__in=FINISHED_STATUSES).exists():
                _pause()

        post_save.connect(on_packet_saved, sender=BriefingPacket, weak=False)
    else:
        raise SystemExit(f"unknown WORKER_PAUSE_AT {point!r}")


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    _install(os.environ["WORKER_PAUSE_AT"])
    from config.celery import app

    app.worker_main(argv=argv)


if __name__ == "__main__":
    main(sys.argv[1:])
