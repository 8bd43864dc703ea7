"""Load run: N concurrent users for a fixed time over a weighted mix of pages, with `wrk` on loopback.

Each wrk connection is one user carrying the bench session cookie. With think time (default 0.5–1.5 s
between pages, like a person reading) it is the "20 users" run the target is about; with
`think_ms=(0, 0)` it is a saturation run that shows capacity. The Lua script reports p50/p95/p99,
request count, socket errors and non-200 answers as JSON.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

LUA = r"""
local paths = {%(paths)s}
local cookie = "%(cookie)s"
local think_low, think_high = %(think_low)d, %(think_high)d
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  math.randomseed(id * 7919)
  non200 = 0
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], {["Cookie"] = cookie})
end

function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end

function delay()
  if think_high == 0 then return 0 end
  return math.random(think_low, think_high)
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non200") end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d, "status": %%d, "non200": %%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.timeout, e.status, bad))
end
"""


def run_load(
    base: str,
    cookie: tuple[str, str],
    paths: list[str],
    *,
    users: int = 20,
    seconds: int = 60,
    think_ms: tuple[int, int] = (500, 1500),
) -> dict:
    """Run wrk and return its figures (latencies in ms); raises if wrk is not installed."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    script = LUA % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "cookie": f"{cookie[0]}={cookie[1]}",
        "think_low": think_ms[0],
        "think_high": think_ms[1],
    }
    with tempfile.TemporaryDirectory() as tmp:
        lua = Path(tmp) / "mix.lua"
        lua.write_text(script)
        completed = subprocess.run(
            [wrk, "-t", "2", "-c", str(users), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(lua), base],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRKJSON "))
    raw = json.loads(line.removeprefix("WRKJSON "))
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"] + raw["non200"]
    return {
        "users": users,
        "seconds": seconds,
        "think_ms": list(think_ms),
        "requests": raw["requests"],
        "requests_per_s": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "error_detail": {k: raw[k] for k in ("connect", "read", "write", "timeout", "non200")},
    }
