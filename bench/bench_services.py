"""In-process measurements of the heavy jobs: who-to-call-next for everyone, exposure refresh, a packet.

Each one calls the owning app's own service or selector (the code the page, task or command runs)
and is timed over a few repeats. A job whose code is not on this branch yet is reported as
"not measured: not built yet" rather than guessed at.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class JobResult:
    name: str
    status: str = ""
    seconds: list[float] = field(default_factory=list)
    queries: int | None = None
    detail: str = ""
    target_s: float | None = None

    @property
    def median_s(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    @property
    def verdict(self) -> str:
        if not self.seconds:
            return self.status
        if self.target_s is None:
            return "–"
        return "met" if self.median_s < self.target_s else f"MISSED: median ≥ {self.target_s:g} s"


def _timed(result: JobResult, func: Callable[[], str], *, repeat: int, budget_s: float = 30) -> None:
    """Run `func` up to `repeat` times; a slow job stops repeating once `budget_s` has been spent."""
    for _ in range(repeat):
        if sum(result.seconds) > budget_s:
            break
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result.detail = func()
            result.seconds.append(time.perf_counter() - started)
        result.queries = len(captured.captured_queries)
    result.status = "measured"


def _bench_user():
    from django.contrib.auth import get_user_model

    from bench.common import BENCH_USERNAME

    return get_user_model().objects.get(username=BENCH_USERNAME)


def bench_priorities(repeat: int) -> list[JobResult]:
    top = JobResult("Who to call next: top 50 of everyone (what the page runs)", target_s=2.0)
    everyone = JobResult("Who to call next: score and rank every person", target_s=2.0)
    try:
        from outreach.selectors import priority_people
    except ImportError:
        top.status = everyone.status = "not measured: not built yet"
        return [top, everyone]
    user = _bench_user()

    def _top() -> str:
        rows = list(priority_people(user=user)[:50])
        return f"{len(rows)} rows"

    def _everyone() -> str:
        rows = list(priority_people(user=user).values_list("pk", "score"))
        return f"{len(rows)} people scored"

    _timed(top, _top, repeat=repeat)
    _timed(everyone, _everyone, repeat=repeat)
    return [top, everyone]


def bench_exposure(repeat: int) -> list[JobResult]:
    result = JobResult("Exposure refresh (default scenario)")
    try:
        from trade.exposure import exposure_refresh
        from trade.selectors import scenario_default
    except ImportError:
        result.status = "not measured: not built yet"
        return [result]
    try:
        scenario = scenario_default()
    except Exception as exc:  # noqa: BLE001  (no scenario loaded: report, do not fail the run)
        result.status = f"not measured: {exc}"
        return [result]

    def _refresh() -> str:
        snapshot = exposure_refresh(scenario=scenario, trigger="benchmark")
        return f"snapshot {snapshot.pk}: {snapshot.status}"

    _timed(result, _refresh, repeat=repeat)
    return [result]


def bench_packet(repeat: int) -> list[JobResult]:
    """One person packet (the busiest synthetic person): assemble + HTML, then assemble + PDF."""
    html = JobResult("Briefing packet: assemble + HTML (one person)")
    pdf = JobResult("Briefing packet: assemble + PDF (one person)")
    try:
        from briefings.rendering import render_packet_html, render_packet_pdf
        from briefings.services import packet_assemble, packet_request
    except ImportError:
        html.status = pdf.status = "not measured: not built yet"
        return [html, pdf]
    from django.apps import apps
    from django.db import transaction

    from bench.bench_pages import resolve_placeholders

    person = apps.get_model("contacts.Person").objects.get(pk=resolve_placeholders()["person"])
    user = _bench_user()

    def _make(render) -> Callable[[], str]:
        def _run() -> str:
            # Inside a rolled-back transaction: the bench leaves no packet rows behind.
            with transaction.atomic():
                packet = packet_request(target_kind="person", target=person, actor=user, enqueue=False)
                output = render(context=packet_assemble(packet=packet))
                transaction.set_rollback(True)
            return f"{len(output) / 1024:.0f} KB"

        return _run

    _timed(html, _make(render_packet_html), repeat=repeat)
    _timed(pdf, _make(render_packet_pdf), repeat=repeat)
    return [html, pdf]


def run_services(*, repeat: int = 3) -> list[JobResult]:
    results = []
    for bench in (bench_priorities, bench_exposure, bench_packet):
        for result in bench(repeat):
            print(f"{result.name:60} {result.median_s:8.3f} s  q={result.queries}  {result.detail}  {result.verdict}")
            results.append(result)
    return results


def markdown_table(results: list[JobResult]) -> str:
    lines = ["| Job | Median s | Runs | Queries | Result | Target |", "|---|---:|---:|---:|---|---|"]
    for r in results:
        if r.seconds:
            lines.append(f"| {r.name} | {r.median_s:.3f} | {len(r.seconds)} | {r.queries} | {r.detail} | {r.verdict} |")
        else:
            lines.append(f"| {r.name} | – | – | – | – | {r.status} |")
    return "\n".join(lines)
