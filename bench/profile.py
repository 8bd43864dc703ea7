"""Profile one request in-process: where its time goes, before anyone changes code to make it faster.

    python bench/profile.py /states/MI/                       # the 10k bench database
    python bench/profile.py "/stakeholders/{person}/" --database envoy_bench --top 30
    python bench/profile.py /admin/contacts/person/ --admin

The request runs through Django's test client against the bench database with the bench settings
(production minus HTTPS), as the bench's Lead (or Admin with `--admin`), after one warm-up request
so that caches, compiled templates and imports are as in a running server. Each measured request
is timed whole, with its SQL (every statement through the connection's execute wrapper) and its
template rendering (the outermost `Template.render` only, so included templates are not counted
twice) timed separately; what is left is Python outside templates (views, selectors, forms,
middleware, serializers). Then one more request runs under cProfile and the top functions by
cumulative time are printed. Placeholders such as `{person}` are those of `bench/targets.py`.

Wall-clock figures vary with the machine's load; the shares and the function ranking are what a
profile is for. Nothing here is asserted by tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this folder is first on the path and this file would shadow the standard library's
# `profile` module, which cProfile imports: take the folder off before importing it.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup  # noqa: E402


class _Clock:
    """Accumulates the time spent in SQL and in (outermost) template rendering during one request."""

    def __init__(self) -> None:
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.queries = 0
        self.template = 0.0
        self._depth = 0

    def sql_wrapper(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - started
            self.sql += spent
            self.queries += 1
            if self._depth:
                self.sql_in_templates += spent

    @contextmanager
    def rendering(self):
        self._depth += 1
        started = time.perf_counter()
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self.template += time.perf_counter() - started


@contextmanager
def _instrumented(clock: _Clock):
    from django.db import connection
    from django.template.base import Template

    original = Template.render

    def render(self, context):
        with clock.rendering():
            return original(self, context)

    Template.render = render
    try:
        with connection.execute_wrapper(clock.sql_wrapper):
            yield
    finally:
        Template.render = original


def _client(*, admin: bool):
    from django.test import Client

    from bench.common import BENCH_ADMIN_USERNAME, BENCH_USERNAME, bench_session_cookie

    name, value = bench_session_cookie(username=BENCH_ADMIN_USERNAME if admin else BENCH_USERNAME, admin=admin)
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[name] = value
    return client


def profile(path: str, *, repeat: int, top: int, admin: bool) -> str:
    client = _client(admin=admin)
    warm = client.get(path)
    if warm.status_code != 200:
        raise SystemExit(f"{path} answered {warm.status_code}; profile a page that answers 200")
    totals, sql, templates, queries, lazy = [], [], [], [], []
    for _ in range(repeat):
        clock = _Clock()
        started = time.perf_counter()
        with _instrumented(clock):
            client.get(path)
        totals.append(time.perf_counter() - started)
        sql.append(clock.sql)
        templates.append(clock.template - clock.sql_in_templates)
        lazy.append(clock.sql_in_templates)
        queries.append(clock.queries)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path)
    profiler.disable()
    total, sql_ms, template_ms, lazy_ms = (
        statistics.median(values) * 1000 for values in (totals, sql, templates, lazy)
    )
    lines = [
        f"# {path}  ({repeat} requests, medians)",
        f"total {total:.1f} ms · queries {statistics.median(queries):.0f}",
        f"SQL {sql_ms:.1f} ms ({sql_ms / total:.0%}; {lazy_ms:.1f} ms of it run from templates) · "
        f"template rendering without that SQL {template_ms:.1f} ms ({template_ms / total:.0%}) · "
        f"other Python {max(total - sql_ms - template_ms, 0):.1f} ms",
        "",
        "## The project's own functions, by cumulative time",
        _table(profiler, top, own=True),
        "## Every function, by time spent in the function itself",
        _table(profiler, top, own=False, sort="tottime"),
    ]
    return "\n".join(lines)


def _table(profiler: cProfile.Profile, top: int, *, own: bool, sort: str = "cumulative") -> str:
    """pstats' table, restricted to files of this project (not the virtualenv) when `own`."""
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream).sort_stats(sort)
    root = str(Path(__file__).resolve().parent.parent)
    if own:
        stats.print_stats(rf"^{root}/(?!\.venv/)(?!bench/)", top)
    else:
        stats.print_stats(top)
    text = stream.getvalue().replace(root + "/", "")
    return text[text.find("   ncalls") :] if "   ncalls" in text else text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", help="A page or endpoint, e.g. /states/MI/ or /stakeholders/{person}/")
    parser.add_argument("--database", default="envoy_bench_10k")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--admin", action="store_true", help="As the bench's Admin (for /admin/ pages).")
    args = parser.parse_args()
    django_setup(args.database)

    from bench.bench_pages import resolve_placeholders

    path = args.path.format(**resolve_placeholders()) if "{" in args.path else args.path
    print(profile(path, repeat=args.repeat, top=args.top, admin=args.admin))


if __name__ == "__main__":
    main()
