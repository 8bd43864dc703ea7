"""Per-page measurements over HTTP: queries per request, median and p95 latency, response size.

Run through `bench/run.py` (which seeds the database and starts gunicorn); the functions here take a
base URL and a session cookie and know nothing about how the server was started.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import asdict, dataclass, field
from urllib.parse import quote, urlsplit

from bench.common import percentile
from bench.targets import MAX_LIST_QUERIES, MEDIAN_MS, PAGES, Target


@dataclass
class PageResult:
    name: str
    path: str
    kind: str
    status: str = ""
    queries: list[int] = field(default_factory=list)
    # Requests that also saved the session (the idle-timeout stamp, refreshed once a minute): their
    # extra queries belong to the session, not to the page, and are left out of the constancy check.
    session_saves: int = 0
    db_ms: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    size_bytes: int = 0
    full_count: str = ""
    verdict: str = ""

    @property
    def measured(self) -> bool:
        return bool(self.latencies_ms)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_ms, 95)

    def queries_label(self) -> str:
        if not self.queries:
            return "–"
        low, high = min(self.queries), max(self.queries)
        label = str(low) if low == high else f"{low}–{high}"
        return label + (f" (+session save ×{self.session_saves})" if self.session_saves else "")

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(median_ms=self.median_ms, p95_ms=self.p95_ms)
        return data


def resolve_placeholders() -> dict[str, str]:
    """Ids and strings the page paths need, taken from the synthetic data in the bench database."""
    from django.apps import apps
    from django.db import connection

    Person = apps.get_model("contacts.Person")
    values: dict[str, str] = {}
    synthetic = Person.objects.filter(is_synthetic=True)
    first = synthetic.order_by("pk").first()
    if first is None:
        return values
    values["person"] = values["typical_person"] = str(first.pk)
    try:
        Interaction = apps.get_model("outreach.Interaction")
    except LookupError:
        Interaction = None
    if Interaction is not None:
        link = Interaction.people.through._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT person_id, COUNT(*) AS n FROM "{link}" GROUP BY person_id ORDER BY n DESC, person_id'
            )
            counts = cursor.fetchall()
        if counts:
            values["person"] = str(counts[0][0])
            values["typical_person"] = str(counts[len(counts) // 2][0])
        latest = Interaction.objects.filter(is_synthetic=True).order_by("-occurred_at").first()
        if latest is not None:
            values["interaction"] = str(latest.pk)
    typical = Person.objects.get(pk=values["typical_person"])
    values["search"] = quote(typical.full_name)
    # Two letters dropped and one swapped: what a hurried user types.
    values["typo"] = quote(typical.full_name.replace("Synthetic", "Synthtic").replace("Person", "Persn"))
    Organization = apps.get_model("contacts.Organization")
    busiest_org = Organization.objects.filter(is_synthetic=True).order_by("-pk").values_list("pk", flat=True).first()
    if busiest_org is not None:
        values["organization"] = str(busiest_org)
    state = typical.states.order_by("code").first() or apps.get_model("trade.State").objects.order_by("code").first()
    if state is not None:
        values["state"] = state.code
    try:
        campaign = apps.get_model("outreach.Campaign").objects.order_by("pk").first()
    except LookupError:
        campaign = None
    if campaign is not None:
        values["campaign"] = str(campaign.pk)
    return values


def fill(target: Target, values: dict[str, str]) -> str | None:
    needed = re.findall(r"{(\w+)}", target.path)
    if any(name not in values for name in needed):
        return None
    return target.path.format(**values)


def route_exists(path: str) -> bool:
    """Is the page built on this branch? (Admin URLs resolve for any model: check the registry.)"""
    from django.contrib import admin
    from django.urls import Resolver404, resolve

    route = urlsplit(path).path
    try:
        resolve(route)
    except Resolver404:
        return False
    parts = route.strip("/").split("/")
    if parts[0] == "admin" and len(parts) >= 3:
        return any(
            model._meta.app_label == parts[1] and model._meta.model_name == parts[2] for model in admin.site._registry
        )
    return True


def admin_full_counts(path: str, cookie: tuple[str, str]) -> str:
    """Does the admin changelist run an unfiltered COUNT(*) over its table? ("no" is the target.)

    Runs the page in-process with the bench admin's session (the SQL is not visible over HTTP).
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.cookies[cookie[0]] = cookie[1]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        return f"page answered {response.status_code}"
    # Unbounded: a COUNT with neither a filter nor a LIMIT (LargeTablePaginator counts a LIMITed subquery).
    full = [
        sql
        for sql in (q["sql"].upper() for q in captured.captured_queries)
        if "COUNT(" in sql and " WHERE " not in sql and " LIMIT " not in sql and "_SESSION" not in sql
    ]
    return "yes" if full else "no"


def measure_page(
    session, base: str, result: PageResult, *, repeat: int, warmup: int, budget_s: float, session_cookie: str
) -> None:
    """GET the page `warmup` times unrecorded, then `repeat` times (fewer if it exceeds `budget_s`)."""
    import requests

    url = base + result.path
    deadline = time.monotonic() + budget_s
    for index in range(warmup + repeat):
        started = time.perf_counter()
        try:
            response = session.get(url, allow_redirects=False, timeout=60)
            body = response.content
        except requests.RequestException as exc:
            result.status = f"error: {type(exc).__name__}"
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            result.status = str(response.status_code)
            return
        if index >= warmup:
            result.latencies_ms.append(elapsed_ms)
            saved_session = f"{session_cookie}=" in response.headers.get("Set-Cookie", "")
            if saved_session:
                result.session_saves += 1
            else:
                result.queries.append(int(response.headers.get("X-Query-Count", "-1")))
            result.db_ms.append(float(response.headers.get("X-Query-Time-Ms", "nan")))
            result.size_bytes = len(body)
        if index >= warmup + 4 and time.monotonic() > deadline:
            break
    result.status = "200"


def judge(result: PageResult) -> str:
    if not result.measured:
        return ""
    problems = []
    target_ms = MEDIAN_MS.get(result.kind)
    if target_ms is not None and result.median_ms >= target_ms:
        problems.append(f"median ≥ {target_ms} ms")
    if result.kind == "list" and result.queries:
        if max(result.queries) > MAX_LIST_QUERIES:
            problems.append(f"> {MAX_LIST_QUERIES} queries")
        if min(result.queries) != max(result.queries):
            problems.append("query count varies")
    if result.kind == "admin" and result.full_count == "yes":
        problems.append("full-table COUNT(*)")
    if problems:
        return "MISSED: " + "; ".join(problems)
    return "met" if target_ms is not None or result.kind in {"list", "admin"} else "–"


def run_pages(
    base: str,
    cookie: tuple[str, str],
    admin_cookie: tuple[str, str],
    *,
    repeat: int = 30,
    warmup: int = 2,
    budget_s: float = 60,
    only=None,
) -> list[PageResult]:
    """Measure every target; staff pages with the Lead's session, admin pages with the Admin's."""
    import requests

    values = resolve_placeholders()
    sessions = {}
    for name, (cookie_name, cookie_value) in {"staff": cookie, "admin": admin_cookie}.items():
        sessions[name] = requests.Session()
        sessions[name].cookies.set(cookie_name, cookie_value, domain="127.0.0.1")
    results = []
    for target in PAGES:
        if only and not any(word.lower() in target.name.lower() for word in only):
            continue
        path = fill(target, values)
        result = PageResult(name=target.name, path=path or target.path, kind=target.kind)
        if path is None:
            result.status = "not measured: no data for this page"
        elif not route_exists(path):
            result.status = "not measured: not built yet"
        else:
            session = sessions["admin" if target.kind == "admin" else "staff"]
            measure_page(
                session, base, result, repeat=repeat, warmup=warmup, budget_s=budget_s, session_cookie=cookie[0]
            )
            if target.kind == "admin" and result.measured:
                result.full_count = admin_full_counts(path, admin_cookie)
        result.verdict = judge(result)
        print(
            f"{result.name:40} {result.status:>6} q={result.queries_label():>6} "
            f"median={result.median_ms:8.1f} ms p95={result.p95_ms:8.1f} ms {result.size_bytes / 1024:7.1f} KB "
            f"{result.verdict}",
            flush=True,
        )
        results.append(result)
    return results


def markdown_table(results: list[PageResult]) -> str:
    lines = [
        "| Page / endpoint | Kind | Queries | DB ms (median) | Median ms | p95 ms | Size KB | Target |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        if r.measured:
            db_median = statistics.median(r.db_ms)
            lines.append(
                f"| {r.name} (`{r.path}`) | {r.kind} | {r.queries_label()} | {db_median:.1f} | {r.median_ms:.1f} "
                f"| {r.p95_ms:.1f} | {r.size_bytes / 1024:.1f} | {r.verdict} |"
            )
        else:
            lines.append(f"| {r.name} (`{r.path}`) | {r.kind} | – | – | – | – | – | {r.status} |")
    return "\n".join(lines)
