"""Benchmark: briefing packets — one state packet as HTML and as PDF, and a batch of every state.

Needs a database with the public data loaded (`python manage.py load_public_data`). Reproduce with
PostgreSQL and Redis as in docker-compose.yml:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/envoy_briefings
    export CELERY_BROKER_URL=redis://127.0.0.1:6379/7 DJANGO_SETTINGS_MODULE=config.settings.local
    python manage.py migrate && python manage.py load_public_data
    python bench/bench_briefings.py --runs 7            # single packet phases
    python bench/bench_briefings.py --runs 7 --batch    # + all states through a worker (concurrency 2)

The single-packet timings run in this process and write nothing (the packet row is never saved).
The batch starts `celery -A config worker -Q packets --concurrency 2` (the worker settings of
docker-compose.yml), queues one packet per state through the normal request service, waits until
all are finished and stops the worker; the packets it made stay in the database as new versions.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from briefings import charts, rendering, selectors, services  # noqa: E402
from briefings.choices import PacketStatus, TargetKind  # noqa: E402
from briefings.models import BriefingPacket  # noqa: E402
from briefings.pdf import html_to_pdf  # noqa: E402
from trade.models import State  # noqa: E402


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.1f} ms"


def _unsaved_packet(state: State) -> BriefingPacket:
    scenario = selectors.scenario_for_packet(slug=None)
    template = selectors.template_default()
    return BriefingPacket(
        target_kind=TargetKind.STATE,
        target_key=services.target_key(kind=TargetKind.STATE, target=state),
        target_label=state.name,
        state=state,
        version=1,
        template=template,
        template_version=template.version,
        scenario=scenario,
        scenario_slug=scenario.slug if scenario else "",
        scenario_version=scenario.version if scenario else None,
        generated_for="bench",
    )


def bench_single(code: str, runs: int) -> None:
    state = State.objects.get(code=code)
    packet = _unsaved_packet(state)
    phases: dict[str, list[float]] = {
        "assemble (queries + Python)": [],
        "  of which SQL (as timed by Django)": [],
        "chart (inline SVG)": [],
        "HTML template render (incl. chart)": [],
        "PDF layout + write (WeasyPrint)": [],
        "total HTML packet": [],
        "total PDF packet": [],
    }
    queries = 0
    pdf_bytes = pages = 0
    for _ in range(runs + 1):  # the first run warms caches (templates, fonts) and is dropped
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            context = services.packet_assemble(packet=packet)
            assembled = time.perf_counter()
        sql = sum(float(q["time"]) for q in captured.captured_queries)
        chart_start = time.perf_counter()
        charts.trend_chart_svg(series=context["trade"]["series"], title="bench")
        chart_end = time.perf_counter()
        html_start = time.perf_counter()
        rendering.render_packet_html(context=context)
        html_end = time.perf_counter()
        pdf_html = rendering.render_packet_html(context=context, for_pdf=True)
        pdf_start = time.perf_counter()
        pdf = html_to_pdf(pdf_html)
        pdf_end = time.perf_counter()
        if _ == 0:
            queries = len(captured.captured_queries)
            pdf_bytes = len(pdf)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            continue
        phases["assemble (queries + Python)"].append(assembled - start)
        phases["  of which SQL (as timed by Django)"].append(sql)
        phases["chart (inline SVG)"].append(chart_end - chart_start)
        phases["HTML template render (incl. chart)"].append(html_end - html_start)
        phases["PDF layout + write (WeasyPrint)"].append(pdf_end - pdf_start)
        phases["total HTML packet"].append((assembled - start) + (html_end - html_start))
        phases["total PDF packet"].append((assembled - start) + (html_end - html_start) + (pdf_end - pdf_start))
    print(f"One state packet: {state.name} ({code}), median of {runs} runs after one warm-up run")
    print(f"  database: {connection.vendor}; {queries} queries per assembly; PDF {pages} pages, {pdf_bytes:,} bytes")
    for name, samples in phases.items():
        print(f"  {name:<38} {_median_ms(samples)}")


def bench_batch(concurrency: int, timeout: float) -> None:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        raise SystemExit("The batch needs a real broker and worker: unset CELERY_TASK_ALWAYS_EAGER.")
    states = list(State.objects.filter(is_pseudo=False).order_by("code"))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "packets", "--concurrency", str(concurrency),
         "--pool", "prefork", "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", "bench@%h"],
        cwd=ROOT,
        env=os.environ.copy(),
    )  # fmt: skip
    try:
        time.sleep(8)  # let the worker connect before the clock starts
        start = time.perf_counter()
        ids = [
            services.packet_request(target_kind=TargetKind.STATE, target=s, generated_for="bench").pk for s in states
        ]
        queued = time.perf_counter()
        while True:
            finished = BriefingPacket.objects.filter(pk__in=ids, status__in=[PacketStatus.DONE, PacketStatus.FAILED])
            if finished.count() == len(ids) or time.perf_counter() - start > timeout:
                break
            time.sleep(0.25)
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    done = BriefingPacket.objects.filter(pk__in=ids, status=PacketStatus.DONE)
    failed = BriefingPacket.objects.filter(pk__in=ids, status=PacketStatus.FAILED).count()
    per_packet = [(p.generated_at - p.started_at).total_seconds() for p in done.only("started_at", "generated_at")]
    print(f"Batch: {len(ids)} state packets, worker -Q packets --concurrency {concurrency} (prefork)")
    print(f"  requests queued in {queued - start:6.2f} s; all finished after {elapsed:6.2f} s wall clock")
    print(f"  {done.count()} done, {failed} failed; throughput {len(ids) / elapsed:5.2f} packets/s")
    if per_packet:
        print(
            f"  per packet in the worker: median {statistics.median(per_packet):5.2f} s, max {max(per_packet):5.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--state", default="MI")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", action="store_true", help="also run every state through a Celery worker")
    parser.add_argument("--concurrency", type=int, default=2, help="worker concurrency (docker-compose.yml: 2)")
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    bench_single(args.state, args.runs)
    if args.batch:
        bench_batch(args.concurrency, args.timeout)


if __name__ == "__main__":
    main()
