"""Soak test (issue 9, faults): 5 minutes of sustained load on loopback, 0 errors expected.

    MAILLAGE_VAR_DIR=/tmp/bench-soak .venv/bin/python -m bench.soak --duration 300

Reuses bench/load.py (production settings, demo data, gunicorn with 2 workers, warm-up), then
runs one wrk for the whole duration over a mix of public pages and API lists (each connection
walks the list in turn; the orientation result is a form POST), and prints requests/s, latency
p50/p95/p99, errors (connection, read, write, timeouts, non-2xx/3xx answers), the memory (RSS)
of each gunicorn worker at the start and at the end of the run, and the load average. Figures
are printed, never asserted; not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import prepare, start_server, targets, warm_up

LUA = r"""
-- wrk script of bench/soak.py: each connection walks a list of (method, path, body).
local items = {}
for line in io.lines(os.getenv("SOAK_TARGETS")) do
  local method, path, body = line:match("^(%S+)\t(%S+)\t?(.*)$")
  table.insert(items, {method, path, body})
end
local counter = 0

request = function()
  counter = counter + 1
  local item = items[(counter % #items) + 1]
  if item[1] == "POST" then
    return wrk.format("POST", item[2],
      {["Content-Type"] = "application/x-www-form-urlencoded"}, item[3])
  end
  return wrk.format("GET", item[2])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def extra_targets() -> list[tuple[str, str, str]]:
    """A few more public pages and API lists than bench/load.py's, for a wider mix."""
    return [
        ("directory (no query)", "/annuaire/", ""),
        ("orientation guide", "/orientation/", ""),
        ("trainings catalogue", "/formations/", ""),
        ("materials library", "/supports/", ""),
        ("API list (data·inclusion services)", "/api/v1/data-inclusion/services?size=20", ""),
    ]


def worker_rss(server_pid: int) -> dict[int, int]:
    """RSS in KB of each child process (the gunicorn workers) of the master."""
    sizes: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip()) == server_pid:
            sizes[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    return sizes


def reachable(base: str, path: str, body: str) -> bool:
    import urllib.request

    request = urllib.request.Request(base + path, data=body.encode() or None)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=300, help="seconds of load")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8797)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    static_root = prepare()
    from django.db import connection

    vendor = connection.vendor
    mix = []
    for target in targets():  # (label, path, body) or (label, path, body, rotating paths)
        label, path, body = target[:3]
        if label.startswith("trivial"):
            continue
        if len(target) > 3 and target[3]:
            mix += [("directory search (rotating)", p, "") for p in target[3][:10]]
        else:
            mix.append((label, path, body))
    mix += extra_targets()
    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args.port, args.workers)
    workdir = Path(tempfile.mkdtemp(prefix="maillage-soak-"))
    try:
        mix = [t for t in mix if reachable(base, t[1], t[2])]
        for _label, path, body in mix:
            warm_up(base + path, body, times=2 * args.workers)
        (workdir / "soak.lua").write_text(LUA)
        (workdir / "targets.tsv").write_text(
            "".join(f"{'POST' if body else 'GET'}\t{path}\t{body}\n" for _l, path, body in mix)
        )
        rss_start = worker_rss(server.pid)
        load_start = os.getloadavg()
        started = time.monotonic()
        command = [
            "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
            "--timeout", "10s", "-s", str(workdir / "soak.lua"), base + "/",
        ]  # fmt: skip
        output = subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "SOAK_TARGETS": str(workdir / "targets.tsv")},
        ).stdout
        elapsed = time.monotonic() - started
        load_end = os.getloadavg()
        rss_end = worker_rss(server.pid)
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)

    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    f = json.loads(line.removeprefix("WRK_JSON "))
    seconds = f["duration_us"] / 1e6 or 1.0
    errors = {k: f[k] for k in ("connect", "read", "write", "status", "timeout")}
    print(
        f"\nSoak on {vendor}: gunicorn {args.workers} workers, wrk {args.threads} threads x "
        f"{args.connections} connections, {elapsed:.0f} s over {len(mix)} pages:"
    )
    for label, path, body in mix:
        print(f"  - {label}: {'POST ' if body else ''}{path}")
    print(
        f"\nrequests {f['requests']:,}, {f['requests'] / seconds:,.1f} req/s, latency p50 "
        f"{f['p50_us'] / 1000:.0f} ms, p95 {f['p95_us'] / 1000:.0f} ms, p99 "
        f"{f['p99_us'] / 1000:.0f} ms, errors {sum(errors.values())} {errors}"
    )
    print(
        "worker memory (RSS) start: "
        + ", ".join(f"{kb / 1024:.0f} MB" for kb in rss_start.values())
        + "; end: "
        + ", ".join(f"{kb / 1024:.0f} MB" for kb in rss_end.values())
        + f" (same workers: {set(rss_start) == set(rss_end)}, master alive: {alive})"
    )
    print(
        f"load average at start {load_start[0]:.1f}, at end {load_end[0]:.1f} "
        f"(1 min; machine shared with other sessions)"
    )
    return 0 if sum(errors.values()) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
