"""The preview of a 5,000-row stakeholder spreadsheet (the largest accepted), timed in-process.

    python bench/bench_import_preview.py                          # database envoy_bench_smoke
    python bench/bench_import_preview.py --database envoy_bench_10k --rows 5000 --repeat 3

Target: under 5 s for 5,000 rows (gunicorn's timeout is 30 s; the upload view runs the preview in
the request). The file is generated: synthetic names ("Synthetic" surnames), every row marked
is_synthetic, with states, pillars, an organization, email and phone, and one row in ten naming an
existing synthetic person's name and state so the duplicate check has matches to find. It times
`read_rows` + `build_plans` as a Lead (what `spreadsheet_upload` runs before storing the preview)
and counts the queries; nothing is written to the database.
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_USERNAME, django_setup

STATES = ["MI", "OH", "PA", "WI", "NC", "GA", "AZ", "NV", "MN", "NY"]
PILLARS = ["autos", "steel_aluminum", "energy", "forestry", "agrifood"]
HEADER = ["first_name", "last_name", "title", "organization", "email", "phone", "states", "pillars", "is_synthetic"]


def synthetic_csv(*, rows: int, existing: list[tuple[str, str, str]]) -> bytes:
    """`existing`: (first, last, state) of synthetic people already in the database."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for i in range(rows):
        state = STATES[i % len(STATES)]
        first, last = f"Bench{i}", f"Synthetic{i % 700}"
        if existing and i % 10 == 0:
            first, last, state = existing[i // 10 % len(existing)]
        writer.writerow(
            [
                first, last, "Director", f"Synthetic Company {i % 300}", f"bench{i}@example.invalid",
                f"+1 555 01{i % 100:02d} {i % 10000:04d}", state, PILLARS[i % len(PILLARS)], "yes",
            ]
        )  # fmt: skip
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="envoy_bench_smoke")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    django_setup(args.database)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contacts.choices import ImportKind
    from contacts.models import Person
    from contacts.spreadsheets import build_plans, read_rows
    from core.roles import Role
    from core.services import user_set_role

    user = get_user_model().objects.get(username=BENCH_USERNAME)
    user_set_role(user=user, role=Role.LEAD)
    existing = [
        (p.first_name, p.last_name, p.states.all()[0].code)
        for p in Person.objects.filter(is_synthetic=True, states__isnull=False)
        .prefetch_related("states")
        .distinct()
        .order_by("pk")[:200]
    ]
    content = synthetic_csv(rows=args.rows, existing=existing)
    seconds, queries, plans = [], 0, []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            rows = read_rows(content=content, filename="bench.csv")
            plans = build_plans(kind=ImportKind.PEOPLE, rows=rows, user=user)
            seconds.append(time.perf_counter() - started)
        queries = len(captured.captured_queries)
    warned = sum(1 for plan in plans if plan.warnings)
    errors = sum(1 for plan in plans if plan.errors)
    median = statistics.median(seconds)
    print(f"database {args.database}: preview of {args.rows} rows as a Lead, {args.repeat} runs")
    print(f"median {median:.2f} s (runs: {', '.join(f'{s:.2f}' for s in seconds)}), {queries} queries")
    print(f"rows with a duplicate warning: {warned}; rows with errors: {errors}")
    print(f"target < 5 s: {'met' if median < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
