"""An interaction POST while the broker is down, against the same POST with the broker up.

    python bench/bench_broker_outage.py                      # database envoy_bench_smoke, 20 posts each
    python bench/bench_broker_outage.py --database envoy_bench_10k --posts 30

Target: during an outage the median POST /api/interactions/ stays within 2x of its normal median
(publishing after commit makes one short connection attempt; the outbox sweep publishes later).
The outage is simulated by pointing the broker at a closed loopback port (`--closed-port`, 8156).
The normal broker is `BENCH_BROKER_URL` (default redis://127.0.0.1:6379/8).

The database needs synthetic people and staff (`python bench/run.py --scale smoke` makes them, or
`manage.py seed_synthetic --people 500 --staff 5`). Requests go through Django's test client in this
process with the bench settings, so the view, the service's transaction and the after-commit publish
all run as under gunicorn. Every interaction it logs is synthetic and is deleted at the end, with the
outbox rows it queued.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_USERNAME, PYTHON, django_setup

SUMMARY = "Synthetic bench interaction (broker outage bench)"


def _post_many(client, person_id: int, posts: int) -> list[float]:
    seconds = []
    for _ in range(posts):
        started = time.perf_counter()
        response = client.post(
            "/api/interactions/",
            {"kind": "call", "people": [person_id], "summary": SUMMARY},
            content_type="application/json",
        )
        seconds.append(time.perf_counter() - started)
        if response.status_code != 201:
            raise SystemExit(f"POST returned {response.status_code}: {response.content[:300]!r}")
    return seconds


def _phase(database: str, posts: int) -> dict:
    """Log `posts` interactions in this process (after 3 warm-up posts) and delete them again."""
    django_setup(database)
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from contacts.models import Person
    from core.models import OutboxMessage
    from core.roles import Role
    from core.services import user_set_role
    from outreach.models import Interaction
    from outreach.services import contact_stats_refresh

    user = get_user_model().objects.get(username=BENCH_USERNAME)
    user_set_role(user=user, role=Role.LEAD)
    token, _ = Token.objects.get_or_create(user=user)
    person = Person.objects.filter(is_synthetic=True).order_by("pk").first()
    if person is None:
        raise SystemExit("No synthetic people: seed the database first (see the module docstring).")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token.key}")
    outbox_before = OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        _post_many(client, person.pk, 3)  # warm-up: imports, connections, caches
        seconds = _post_many(client, person.pk, posts)
        rows = OutboxMessage.objects.filter(pk__gt=outbox_before).order_by("-pk")[:posts]
        published = sum(1 for row in rows if row.dispatched_at is not None)
    finally:
        OutboxMessage.objects.filter(pk__gt=outbox_before, task_name="outreach.notify_stakeholder_owners").delete()
        Interaction.objects.filter(summary=SUMMARY, created_by=user).delete()
        contact_stats_refresh(person_ids=[person.pk])
    return {"seconds": seconds, "published": published}


def _run_phase(database: str, posts: int, broker_url: str) -> dict:
    """Each phase runs in its own process, so no connection pooled for one broker URL leaks into the other."""
    env = {**os.environ, "BENCH_BROKER_URL": broker_url}
    done = subprocess.run(
        [PYTHON, __file__, "--database", database, "--posts", str(posts), "--phase"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="envoy_bench_smoke")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--closed-port", type=int, default=8156)
    parser.add_argument("--phase", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.database, args.posts)))
        return

    normal_url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8")
    up = _run_phase(args.database, args.posts, normal_url)
    down = _run_phase(args.database, args.posts, f"redis://127.0.0.1:{args.closed_port}/0")
    normal, outage = up["seconds"], down["seconds"]
    normal_median, outage_median = statistics.median(normal), statistics.median(outage)
    ratio = outage_median / normal_median
    print(f"database {args.database}, {args.posts} POST /api/interactions/ per phase (after 3 warm-up posts)")
    print(f"broker up:   median {normal_median * 1000:.0f} ms, max {max(normal) * 1000:.0f} ms")
    print(f"broker down: median {outage_median * 1000:.0f} ms, max {max(outage) * 1000:.0f} ms")
    print(f"published with the broker up: {up['published']} of {args.posts}")
    print(f"left pending for the sweep during the outage: {args.posts - down['published']} of {args.posts}")
    print(f"ratio {ratio:.2f}x; target within 2x: {'met' if ratio <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
