"""Load benchmark (issue 8): Maillage under gunicorn (2 workers, production settings), loaded
from loopback with wrk on the public pages and an API list, with a trivial Django view on the
same server in the same run as the reference.

    DJANGO_SETTINGS_MODULE=maillage.settings MAILLAGE_VAR_DIR=/tmp/bench-load \
        .venv/bin/python -m bench.load --duration 15

Uses the database given by the environment (SQLite under MAILLAGE_VAR_DIR, or DATABASE_URL):
migrates it, loads the Angers demo when it is missing (the home page, the orientation guide and
the service pages need a territory), collects the static files into a temporary folder, starts
`gunicorn maillage.wsgi` with bench.load_settings (DEBUG off, no HTTPS redirect: loopback), then
runs wrk (Debian package `wrk`) on each target after a warm-up: requests per second, latency
p50/p95/p99 and errors (connection, read, write, timeouts and non-2xx/3xx answers), and each
target's requests per second as a share of the trivial view's. Figures are printed as a Markdown
table, never asserted (a shared 2-core machine: the load generator shares the cores with the
server, so the absolute figures are lower bounds).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import django

HERE = Path(__file__).resolve().parent
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.load_settings",
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "EMAIL_URL": "console://",
    "SITE_URL": "http://127.0.0.1",
    # The public pages show the Angers demo's territory, also on top of the national directory
    # of bench.generate (whose one territory per département comes first otherwise).
    "DEFAULT_TERRITORY": "angers-loire-metropole",
}


def orientation_body() -> str:
    """The POST body of a full orientation result (victim of couple violence in Angers, needing
    shelter and someone to talk to), found by walking the guide as a visitor does."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    answers: list[tuple[str, str]] = []
    steps = [
        ("securite", ["oui"]),
        ("danger", ["non"]),
        ("mineur", ["non"]),
        ("qui", ["victime"]),
        ("personne", ["femme"]),
        ("violences", ["couple"]),
        ("besoins", ["abri", "parler"]),
        ("commune", ["Angers"]),
        ("conditions", []),
    ]
    html = ""
    for step, values in steps:
        data = answers + [("action", "next"), ("step", step)] + [("answer", v) for v in values]
        response = client.post(
            "/orientation/", urlencode(data), content_type="application/x-www-form-urlencoded"
        )
        html = response.content.decode()
        answers = re.findall(r'<input type="hidden" name="(a-[^"]+)" value="([^"]*)">', html)
    if "Les contacts pour vous" not in html:
        raise SystemExit("The orientation guide did not reach its result screen.")
    return urlencode(answers)


SEARCH_WORDS = [
    "ecoute", "hebergement", "urgence", "juridique", "avocat", "plainte", "psychologue", "soins",
    "accueil", "logement", "enfants", "violences", "conjugales", "victimes", "sante", "social",
    "droits", "protection", "orientation", "accompagnement",
]  # fmt: skip


def rotating_searches(communes: int = 100) -> list[str]:
    """Distinct search paths, shuffled the same way every run: each word alone (pages 1 to 3)
    and each word within one of the most populous communes. wrk requests each once while the
    list lasts, so the page cache (keyed by the query) does not answer them."""
    from maillage.core.models import Commune

    codes = list(
        Commune.objects.order_by("-population", "pk").values_list("pk", flat=True)[:communes]
    )
    paths = [
        "/annuaire/?" + urlencode({"q": word, **({"page": page} if page > 1 else {})})
        for word in SEARCH_WORDS
        for page in (1, 2, 3)
    ]
    paths += [
        "/annuaire/?" + urlencode({"q": word, "commune": code})
        for word in SEARCH_WORDS
        for code in codes
    ]
    random.Random(1).shuffle(paths)  # noqa: S311 - a fixed order, not a secret
    return paths


def targets() -> list[tuple[str, str, str, list[str] | None]]:
    """(label, path, POST body or '', paths requested in turn or None) of each loaded page."""
    from maillage.directory.models import Service

    service = Service.objects.visible_to(None).order_by("name").first()
    if service is None:
        raise SystemExit("No published service: load the demo data first.")
    searches = rotating_searches()
    return [
        ("trivial Django view (reference)", "/bench/trivial/", "", None),
        ("home page", "/", "", None),
        ("directory search", "/annuaire/?q=hebergement+urgence", "", None),
        (
            f"directory search, {len(searches):,} rotating queries",
            searches[0],
            "",
            searches,
        ),
        ("service page", service.get_absolute_url(), "", None),
        ("orientation result (POST)", "/orientation/", orientation_body(), None),
        ("API list (HSDS services)", "/api/v1/hsds/services?size=20", "", None),
    ]


def prepare() -> str:
    """Production settings in this process, the database migrated, the Angers demo loaded when
    missing and the static files collected into a temporary folder (returned)."""
    os.environ.update(ENV)
    static_root = tempfile.mkdtemp(prefix="maillage-bench-static-")
    os.environ["STATIC_ROOT"] = static_root
    django.setup()
    from django.core.management import call_command

    from maillage.core.models import Territory

    call_command("migrate", verbosity=0)
    if not Territory.objects.filter(slug="angers-loire-metropole").exists():
        call_command("demo-data", force=True, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


def start_server(port: int, workers: int) -> subprocess.Popen:
    """gunicorn with bench.load_settings, returned once every worker is ready (its search index
    built: /healthz?ready)."""
    from django.db import connection

    connection.close()
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "maillage.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.load_settings"},
    )
    waited = wait_until_up(f"http://127.0.0.1:{port}")
    print(f"  every worker ready after {waited:.1f} s", file=sys.stderr, flush=True)
    return server


def wait_until_up(base: str, timeout: float = 600, in_a_row: int = 20) -> float:
    """Wait until /healthz?ready answers 200 `in_a_row` times in a row: each request goes to
    whichever worker accepts it, so 20 successes in a row mean every worker has built its search
    index (a worker still building answers 503). Returns the seconds waited."""
    started = time.monotonic()
    deadline = started + timeout
    ready = 0
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz?ready", timeout=5) as response:  # noqa: S310
                ready = ready + 1 if response.status == 200 else 0
        except OSError:  # not listening yet, or 503 (HTTPError is an OSError)
            ready = 0
        if ready >= in_a_row:
            return time.monotonic() - started
        time.sleep(0.05 if ready else 0.3)
    raise SystemExit("gunicorn's workers did not become ready (/healthz?ready)")


def warm_up(url: str, body: str, times: int) -> None:
    """Sequential requests first: each worker loads the URLconf, templates and search index on
    its first requests (seconds), which is not what the load run measures."""
    for _ in range(times):
        request = urllib.request.Request(url, data=body.encode() or None)  # noqa: S310
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            response.read()


def run_wrk(
    url: str,
    body: str,
    *,
    duration: int,
    connections: int,
    threads: int,
    paths: str = "",
    offset: int = 0,
) -> dict:
    """wrk on one URL (or, with `paths`, a file of paths requested in turn from `offset`)."""
    command = [
        "wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
        "-s", str(HERE / "wrk_report.lua"), url,
    ]  # fmt: skip
    environment = {
        **os.environ,
        "WRK_BODY": body,
        "WRK_PATHS": paths,
        "WRK_THREADS": str(threads),
        "WRK_OFFSET": str(offset),
    }
    output = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, check=True, env=environment
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    figures = json.loads(line.removeprefix("WRK_JSON "))
    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": figures["requests"],
        "rps": figures["requests"] / seconds if seconds else 0.0,
        "p50": figures["p50_us"] / 1000,
        "p95": figures["p95_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per target")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--only", help="comma-separated words: run the targets whose label has one")
    parser.add_argument(
        "--settle",
        type=int,
        default=0,
        help="seconds to wait once every worker is ready, before the first target (to compare "
        "with a run started on a warm server)",
    )
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")

    static_root = prepare()
    from django.db import connection

    chosen = targets()
    if args.only:
        words = args.only.split(",")
        chosen = [t for t in chosen if t[0].startswith("trivial") or any(w in t[0] for w in words)]
    vendor = connection.vendor

    base = f"http://127.0.0.1:{args.port}"
    server = start_server(args.port, args.workers)
    time.sleep(args.settle)
    rows = []
    # The reference is measured first and again last: the two figures say whether the machine
    # stayed the same during the run.
    chosen = [*chosen, ("trivial Django view (again, last)", *chosen[0][1:])]
    try:
        for label, path, body, paths in chosen:
            url = base + path
            listing, offset = "", 0
            if paths:
                listing = str(Path(static_root) / "paths.txt")
                Path(listing).write_text("\n".join(paths) + "\n")
                for warm in paths[-3 * args.workers :]:  # not requested again below
                    warm_up(base + warm, body, times=1)
            else:
                warm_up(url, body, times=3 * args.workers)
            warm = run_wrk(
                url, body, duration=args.warmup, connections=args.connections, threads=1,
                paths=listing,
            )  # fmt: skip
            if paths:
                offset = warm["requests"] + args.connections  # past those sent in the warm-up
            figures = run_wrk(
                url, body, duration=args.duration, connections=args.connections,
                threads=args.threads, paths=listing, offset=offset,
            )  # fmt: skip
            if paths:
                figures["distinct"] = len(paths)
                figures["repeated"] = max(0, offset + figures["requests"] - len(paths))
            rows.append((label, path, figures))
            print(f"  {label}: {figures['rps']:.0f} req/s", file=sys.stderr, flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    reference = rows[0][2]["rps"] or 1.0
    last = rows[-1][2]["rps"]
    load = os.getloadavg()
    print(
        f"\nLoad on {vendor}: gunicorn {args.workers} workers, wrk {args.threads} threads x "
        f"{args.connections} connections, {args.duration} s per target after {args.warmup} s "
        f"of warm-up (load average {load[0]:.1f}); every worker ready before the first "
        f"target{f', then {args.settle} s of rest' if args.settle else ''}; trivial view "
        f"{reference:,.0f} req/s first, {last:,.0f} last ({(last - reference) / reference:+.0%})\n"
    )
    from bench.summary import record

    for label, _path, f in rows[1:-1]:
        ratio = f["rps"] / reference
        is_search = label == "directory search"  # one query string: mostly the page cache
        note = f"trivial view {reference:,.0f} req/s"
        if "distinct" in f:
            note += (
                f"; {f['distinct']:,} distinct queries, {f['requests']:,} requests, "
                f"{f['repeated']:,} of them repeated (cache misses otherwise)"
            )
        record(
            f"load: {label}",
            engine=vendor,
            p50=f"{f['rps']:,.0f} req/s",
            value=f"p95 {f['p95']:.0f} ms, {f['errors']} errors, {ratio:.2f} of trivial",
            target="0 errors" + ("; ≥ 1/3 of the trivial view's req/s" if is_search else ""),
            met=f["errors"] == 0 and (ratio >= 1 / 3 if is_search else True),
            note=note,
        )
    print("| target | requests | req/s | ÷ trivial | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    for label, _path, f in rows:
        print(
            f"| {label} | {f['requests']:,} | {f['rps']:,.0f} | {f['rps'] / reference:.2f} | "
            f"{f['p50']:.1f} | {f['p95']:.1f} | {f['p99']:.1f} | {f['errors']} |"
        )
    for label, _path, f in rows:
        if "distinct" in f:
            print(
                f"\n{label}: {f['distinct']:,} distinct query strings (20 words alone, pages 1-3, "
                f"and within the 100 most populous communes), each requested once while the "
                f"list lasts: {f['repeated']:,} of {f['requests']:,} requests repeated one."
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
