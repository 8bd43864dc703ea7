"""Jobs under failure: one run per scheduled slot with concurrent beats; logging interactions survives a
Redis outage and each follow-on task runs once; a worker killed mid-refresh or in the middle of a packet
batch leaves no partial state and the job completes on redelivery."""

import os
import re
import shutil
import signal
import subprocess  # nosec B404
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction

from core.jobs import job_enqueue, job_slot_claim
from core.models import JobSlot, OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
on_postgres = connection.vendor == "postgresql"


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_beats_claim_a_slot_once():
    """Eight concurrent claimers (as if several beat processes fired the same slot): exactly one wins."""
    contenders = 8
    barrier = threading.Barrier(contenders)
    results: list[bool] = []
    lock = threading.Lock()

    def claim():
        try:
            barrier.wait()
            won = job_slot_claim(job="daily-digest", slot="2026-11-25T09:00Z")
            with lock:
                results.append(won)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * (contenders - 1) + [True]
    assert JobSlot.objects.filter(job="daily-digest").count() == 1


def _free_port() -> int:
    """A port nobody listens on: each test runs its own redis-server there, so tests running side by side
    (xdist workers, other checkouts on the machine) never share one; the machine's Redis is never stopped."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


needs_redis = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"), reason="needs Redis (CELERY_BROKER_URL)"
    ),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed"),
    pytest.mark.skipif(not on_postgres, reason="the worker subprocess must see the test database"),
    pytest.mark.django_db(transaction=True),
]


def _redis_up(port: int) -> bool:
    import redis

    try:
        return bool(redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5).ping())
    except redis.exceptions.ConnectionError:
        return False


def _start_redis(tmp_path: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # nosec B603
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        if _redis_up(port):
            return process
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("redis-server did not start")


def _stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_for(condition, *, what: str, worker: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll until `condition()` (a safety bound only, never a performance assertion)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if condition():
            return
        if worker is not None:
            assert worker.poll() is None, log.read_text()[-3000:] if log else "worker exited"
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{log.read_text()[-3000:]}" if log else ""))


class Broker:
    """Our redis-server on a free port, this process's Celery app pointed at it, and worker subprocesses
    that use the test database."""

    def __init__(self, tmp_path: Path, *, visibility_timeout: int = 3600):
        from config.celery import app

        self.app = app
        self.tmp_path = tmp_path
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/9"
        self.pause_marker = tmp_path / "paused"
        self.visibility_timeout = visibility_timeout
        self.redis: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self._saved = {name: app.conf[name] for name in self.SETTINGS}

    # The read and write URLs are derived from broker_url when the app is configured: set all three.
    SETTINGS = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager", "broker_transport_options")

    def __enter__(self):
        self.app.conf.update(broker_url=self.url, broker_read_url=self.url, broker_write_url=self.url)
        self.app.conf.task_always_eager = False
        # This process only publishes: with the broker down, give up on the first refused connection
        # instead of retrying for the connect timeout on every publish (the outbox keeps the row either way).
        self.app.conf.broker_transport_options = {
            **self._saved["broker_transport_options"],
            "visibility_timeout": self.visibility_timeout,
            "max_retries": 0,
        }
        self._reset_pool()
        return self

    def _reset_pool(self) -> None:
        # Closed pools stay in kombu's registry: clear it, so the next publish connects to the current broker.
        from kombu import pools

        if self.app._pool is not None:
            self.app._pool.force_close_all()
        pools.reset()
        self.app._pool = None
        self.app.amqp._producer_pool = None

    def __exit__(self, *exc):
        for worker in self.workers:
            _stop(worker)
        _stop(self.redis)
        self.app.conf.update(self._saved)
        self._reset_pool()

    def start_redis(self) -> None:
        self.redis = _start_redis(self.tmp_path, self.port)

    def stop_redis(self) -> None:
        _stop(self.redis)
        assert not _redis_up(self.port)

    def worker(
        self, *, queues: str, name: str, extra_env: dict | None = None, pool: str = "prefork", pause_at: str = ""
    ):
        """A worker subprocess; with `pause_at`, the test-only entry point that pauses at that point
        (tests/trust/pausing_worker.py) and touches `<tmp_path>/paused` once it is there."""
        params = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": (
                f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
            ),
            "CELERY_BROKER_URL": self.url,
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "CELERY_RESULT_BACKEND": "cache+memory://",
            "CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            **(extra_env or {}),
        }
        if pause_at:
            env.update(WORKER_PAUSE_AT=pause_at, WORKER_PAUSE_FILE=str(self.pause_marker))
            command = [sys.executable, "-m", "tests.trust.pausing_worker", "worker"]
        else:
            command = [sys.executable, "-m", "celery", "-A", "config", "worker"]
        log_path = self.tmp_path / f"{name}.log"
        command += ["-Q", queues, "-n", f"{name}@%h"]
        command += ["--pool", pool, "--concurrency", "2", "--without-gossip", "--without-mingle"]
        command += ["--without-heartbeat", "--loglevel", "INFO"]
        with log_path.open("w") as log:
            process = subprocess.Popen(  # nosec B603
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.workers.append(process)
        return process, log_path


def redis_test(func):
    """Marks for a test with a real Redis server and worker subprocesses (CI has Redis)."""
    for mark in reversed(needs_redis):
        func = mark(func)
    return func


@redis_test
def test_logging_interactions_survives_redis_outage_and_each_follow_on_runs_once(tmp_path, make_user):
    """Redis down: 20 interactions logged through outreach's service all succeed, each recording its
    follow-on (the stakeholder owners' notification) in the outbox. Redis back and a real worker: every
    notification runs exactly once."""
    from core.roles import Role
    from outreach.models import Interaction
    from outreach.services import interaction_log
    from tests.outreach.factories import SyntheticPersonFactory

    author = make_user(Role.OFFICER, username="logger")
    owner = make_user(Role.OFFICER, username="owner", email="owner@example.org")
    people = [SyntheticPersonFactory(owner=owner) for _ in range(20)]
    with Broker(tmp_path) as broker:
        broker.start_redis()
        broker.stop_redis()  # the outage
        interactions = [
            interaction_log(actor=author, kind="call", summary=f"Call {n}", people=[person])
            for n, person in enumerate(people)
        ]
        assert Interaction.objects.count() == 20
        pending = OutboxMessage.objects.filter(task_name="outreach.notify_stakeholder_owners")
        assert sorted(m.kwargs["interaction_id"] for m in pending) == sorted(i.pk for i in interactions)
        # Nothing reached the broker; the rows wait with the error that stopped them.
        assert pending.filter(dispatched_at__isnull=True).count() == 20
        assert pending.filter(last_error__icontains="refused").count() == 20

        broker.start_redis()
        worker, log = broker.worker(queues="default", name="outage")
        # The worker dispatches pending outbox rows when it starts.
        _wait_for(
            lambda: not pending.filter(completed_at__isnull=True).exists(), what="notifications", worker=worker, log=log
        )
        # A second sweep (as beat does every minute) finds nothing left to send; nothing runs twice.
        from core.jobs import outbox_dispatch

        assert outbox_dispatch() == 0
        _wait_for(lambda: "dispatch_outbox" in log.read_text(), what="the start-up sweep", worker=worker, log=log)
        time.sleep(2)
        output = log.read_text()
    runs = re.findall(r"Task outreach\.notify_stakeholder_owners\[outbox-(\d+)\] succeeded in [\d.]+s: (\d+)", output)
    assert sorted(int(pk) for pk, _ in runs) == sorted(m.pk for m in pending), output[-3000:]
    # Each run emailed the one owner of the person called.
    assert {sent for _, sent in runs} == {"1"}


@redis_test
def test_worker_killed_mid_refresh_leaves_no_partial_snapshot_and_redelivery_completes(tmp_path):
    from decimal import Decimal

    from tests.trade.factories import (
        DataReleaseFactory,
        HSChapterFactory,
        StateFactory,
        TariffScenarioFactory,
        TradeFlowFactory,
    )
    from trade.choices import SnapshotStatus
    from trade.exposure import exposure_refresh
    from trade.models import ExposureFigure, ExposureSnapshot

    release = DataReleaseFactory(is_synthetic=True)
    chapter = HSChapterFactory(code="87")
    for code in ("AA", "AB", "AC"):
        state = StateFactory(code=code)
        for month in range(1, 13):
            TradeFlowFactory(state=state, release=release, hs_chapter=chapter, month=month, flow="import")
            TradeFlowFactory(state=state, release=release, hs_chapter=chapter, month=month, flow="export")
    scenario = TariffScenarioFactory(slug="kill-test", is_default=True, default_ca_rate=Decimal("0.1"))
    previous = exposure_refresh(scenario=scenario)
    assert previous.status == SnapshotStatus.READY and previous.is_current
    figures_before = ExposureFigure.objects.count()

    with Broker(tmp_path, visibility_timeout=5) as broker:
        broker.start_redis()
        first, first_log = broker.worker(queues="imports", name="doomed", pool="solo", pause_at="exposure-ready")
        with transaction.atomic():
            message = job_enqueue(
                "trade.refresh_exposure", kwargs={"scenario_slug": scenario.slug, "trigger": "test"}, queue="imports"
            )
        _wait_for(broker.pause_marker.exists, what="the refresh to write its figures", worker=first, log=first_log)

        # Mid-run: figures are written inside the worker's open transaction; nobody else sees them.
        assert list(ExposureSnapshot.objects.values_list("pk", "is_current")) == [(previous.pk, True)]
        assert ExposureFigure.objects.count() == figures_before

        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert list(ExposureSnapshot.objects.values_list("pk", "is_current")) == [(previous.pk, True)]
        assert ExposureFigure.objects.count() == figures_before
        message.refresh_from_db()
        assert message.completed_at is None

        # A new worker gets the unacknowledged message again once its visibility timeout passes.
        second, second_log = broker.worker(queues="imports,default", name="survivor")
        _wait_for(
            lambda: OutboxMessage.objects.filter(pk=message.pk, completed_at__isnull=False).exists(),
            what="the redelivered refresh",
            worker=second,
            log=second_log,
        )
    current = ExposureSnapshot.objects.get(scenario=scenario, is_current=True)
    assert current.pk != previous.pk and current.status == SnapshotStatus.READY
    assert ExposureSnapshot.objects.count() == 2
    assert ExposureFigure.objects.filter(snapshot=current).count() == current.figure_count
    assert ExposureFigure.objects.filter(snapshot=previous).count() == previous.figure_count
    runs = re.findall(rf"Task trade\.refresh_exposure\[outbox-{message.pk}\] succeeded", second_log.read_text())
    assert len(runs) == 1


@redis_test
def test_worker_killed_mid_packet_batch_leaves_no_half_written_packet_and_redelivery_completes(tmp_path, settings):
    """A packet batch: the weekly schedule makes a campaign's summary packet and one packet per target in
    one transaction, then each target's packet is generated by its own message and the last one to
    finish renders the summary. The worker is killed while the second target's packet is written
    (figures, HTML, PDF) but not committed; a new worker gets that message again and the batch
    completes with every packet once, each with its HTML and its one PDF."""
    from pypdf import PdfReader

    from briefings.choices import PacketStatus
    from briefings.models import BriefingPacket
    from outreach.models import Campaign, CampaignTarget
    from tests.outreach.factories import SyntheticOrganizationFactory, SyntheticPersonFactory

    campaign = Campaign.objects.create(name="Border governors (synthetic)", objective="Meet them all")
    for person in (SyntheticPersonFactory(), SyntheticPersonFactory()):
        CampaignTarget.objects.create(campaign=campaign, person=person)
    CampaignTarget.objects.create(campaign=campaign, organization=SyntheticOrganizationFactory())
    settings.MEDIA_ROOT = tmp_path / "media"
    media = {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}

    def packet_states() -> dict[int, tuple[str, bool, str]]:
        return {p.pk: (p.status, bool(p.html), p.pdf.name) for p in BriefingPacket.objects.all()}

    with Broker(tmp_path, visibility_timeout=5) as broker:
        broker.start_redis()
        first, first_log = broker.worker(
            queues="packets", name="doomed", pool="solo", extra_env=media, pause_at="packet-batch"
        )
        # As beat fires it: straight to the broker, not through the outbox.
        broker.app.send_task("briefings.schedule_campaign_packets", queue="packets", task_id="weekly-run")
        _wait_for(
            broker.pause_marker.exists, what="the second packet of the batch to be written", worker=first, log=first_log
        )

        batch = BriefingPacket.objects.get(batch_parent__isnull=True)
        done, killed, waiting = batch.children.order_by("id")
        messages = {
            packet.pk: OutboxMessage.objects.get(task_name="briefings.generate_packet", kwargs__packet_id=packet.pk)
            for packet in (done, killed, waiting)
        }
        assert batch.campaign == campaign and BriefingPacket.objects.count() == 4
        # Mid-batch: the first target's packet is finished; the one being written is not visible.
        expected = {
            batch.pk: (PacketStatus.QUEUED, False, ""),
            done.pk: (PacketStatus.DONE, True, f"briefings/{done.target_key.replace(':', '-')}/v1-{done.pk}.pdf"),
            killed.pk: (PacketStatus.QUEUED, False, ""),
            waiting.pk: (PacketStatus.QUEUED, False, ""),
        }
        assert packet_states() == expected

        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        assert packet_states() == expected
        assert OutboxMessage.objects.get(pk=messages[killed.pk].pk).completed_at is None

        # A new worker takes the waiting packet, then the killed one once its visibility timeout passes.
        second, second_log = broker.worker(queues="packets,default", name="survivor", extra_env=media)
        _wait_for(
            lambda: BriefingPacket.objects.filter(pk=batch.pk, status=PacketStatus.DONE).exists(),
            what="the batch summary",
            worker=second,
            log=second_log,
        )
        # The schedule fired again (a second beat, or its own retry) finds the batch and makes nothing.
        broker.app.send_task("briefings.schedule_campaign_packets", queue="packets", task_id="weekly-again")
        _wait_for(
            lambda: "schedule_campaign_packets[weekly-again] succeeded" in second_log.read_text(),
            what="the second schedule run",
            worker=second,
            log=second_log,
        )
    first_output, second_output = first_log.read_text(), second_log.read_text()

    assert BriefingPacket.objects.count() == 4
    assert set(batch.children.values_list("pk", flat=True)) == {done.pk, killed.pk, waiting.pk}
    stored = set()
    for packet in BriefingPacket.objects.all():
        assert packet.status == PacketStatus.DONE, packet.error
        assert packet.version == 1 and "<html" in packet.html
        assert packet.pdf.name == f"briefings/{packet.target_key.replace(':', '-')}/v1-{packet.pk}.pdf"
        with packet.pdf.open("rb") as handle:
            assert len(PdfReader(handle).pages) >= 1
        stored.add(packet.pdf.name)
    # One PDF per packet on disk: the file the killed attempt wrote was replaced, not left beside a copy.
    on_disk = {path.relative_to(settings.MEDIA_ROOT).as_posix() for path in settings.MEDIA_ROOT.rglob("*.pdf")}
    assert on_disk == stored
    batch.refresh_from_db()
    assert [row["packet_status"] for row in batch.figures["campaign"]["targets"]] == [PacketStatus.DONE] * 3
    assert not OutboxMessage.objects.filter(task_name="briefings.generate_packet", completed_at__isnull=True).exists()

    def runs(output: str, packet) -> int:
        return len(re.findall(rf"Task briefings\.generate_packet\[outbox-{messages[packet.pk].pk}\] succeeded", output))

    assert (runs(first_output, done), runs(first_output, killed), runs(first_output, waiting)) == (1, 0, 0)
    assert (runs(second_output, done), runs(second_output, killed), runs(second_output, waiting)) == (0, 1, 1)
    assert re.search(r"schedule_campaign_packets\[weekly-run\] succeeded in [\d.]+s: 1", first_output)
    assert "weekly-run" not in second_output
    assert re.search(r"schedule_campaign_packets\[weekly-again\] succeeded in [\d.]+s: 1", second_output)
