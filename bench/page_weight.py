"""Page weight (DESIGN.md §5: a public page weighs at most 100 KB on a first visit, compressed,
HTML, CSS, JS, fonts and images included), measured in Chromium.

    DJANGO_SETTINGS_MODULE=maillage.settings MAILLAGE_VAR_DIR=/tmp/bench-weight \
        .venv/bin/python -m bench.page_weight

Prepares the database and the server as bench/load.py does (production settings, gunicorn,
WhiteNoise serving the compressed static files), then opens every public page in a new
browser context (a first visit: empty cache), waits for the network to be idle and sums the
bytes that crossed the network for every request of the page (`request.sizes()`: headers and
the encoded body, as the browser received them). Prints one Markdown row per page with the
number of requests, the bytes of each type and the total, and whether it is within 100 KB.
A request to another host would be listed too (there must be none).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import defaultdict
from pathlib import Path

from .load import prepare, start_server

CHROMIUM = Path("/usr/bin/chromium")
LIMIT = 100 * 1024


def public_pages() -> list[tuple[str, str]]:
    """(label, path) of every public page, the objects taken from the demo data."""
    from django.urls import reverse

    from maillage.core.models import Organisation, Territory
    from maillage.directory.models import Service

    territory = Territory.objects.get(slug="angers-loire-metropole")
    contract = territory.current_contract()
    organisation = Organisation.objects.filter(territory=territory).order_by("name").first()
    service = Service.objects.visible_to(None).order_by("name").first()
    pages = [
        ("home", "/"),
        ("directory", reverse("directory:search")),
        ("directory search", reverse("directory:search") + "?q=hebergement+urgence"),
        ("service page", service.get_absolute_url()),
        ("orientation guide", reverse("orientation:guide")),
        ("trainings catalogue", reverse("trainings:catalogue")),
        ("trainings calendar", reverse("trainings:calendar")),
        ("labelled venues", reverse("trainings:labelled_venues")),
        ("materials library", reverse("prevention:library")),
        ("contract", contract.get_absolute_url()),
        ("organisation", organisation.get_absolute_url()),
        ("safety", reverse("core:safety")),
        ("accessibility", reverse("core:accessibility")),
        ("legal notice", reverse("core:legal")),
        ("privacy", reverse("core:privacy")),
        ("login", reverse("account_login")),
    ]
    optional = [("agenda", "prevention:agenda")]
    for label, name in optional:
        try:
            pages.append((label, reverse(name)))
        except Exception:  # noqa: S112 (a module not installed yet)
            continue
    from maillage.prevention.models import Material
    from maillage.trainings.models import Module

    material = Material.objects.in_library().order_by("title").first()
    if material:
        pages.append(("material page", material.get_absolute_url()))
    module = Module.objects.order_by("pk").first()
    if module and hasattr(module, "get_absolute_url"):
        pages.append(("training module", module.get_absolute_url()))
    return pages


def measure(browser, base: str, path: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(base + path, wait_until="networkidle")
    by_type: dict[str, int] = defaultdict(int)
    other_hosts = set()
    for request in requests:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        by_type[request.resource_type] += size
        if not request.url.startswith(base):
            other_hosts.add(request.url.split("/")[2])
    context.close()
    return {
        "requests": len(requests),
        "by_type": dict(by_type),
        "total": sum(by_type.values()),
        "other_hosts": sorted(other_hosts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8793)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    static_root = prepare()
    pages = public_pages()
    server = start_server(args.port, 2)
    base = f"http://127.0.0.1:{args.port}"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            for label, path in pages:
                rows.append((label, path, measure(browser, base, path)))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    print("\nPage weight, first visit in Chromium (bytes received: headers + encoded bodies)\n")
    print("| page | requests | document | css | js | fonts | images | total KB | ≤ 100 KB |")
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0
    for label, path, m in rows:
        t = m["by_type"]
        worst = max(worst, m["total"])
        flag = "yes" if m["total"] <= LIMIT else "**no**"
        if m["other_hosts"]:
            flag += f" (other hosts: {', '.join(m['other_hosts'])})"
        print(
            f"| {label} (`{path}`) | {m['requests']} | {t.get('document', 0):,} | "
            f"{t.get('stylesheet', 0):,} | {t.get('script', 0):,} | {t.get('font', 0):,} | "
            f"{t.get('image', 0):,} | {m['total'] / 1024:.1f} | {flag} |"
        )
    print(f"\nHeaviest page: {worst / 1024:.1f} KB (limit {LIMIT // 1024} KB)")
    from django.db import connection

    from bench.summary import record

    heaviest = max(rows, key=lambda r: r[2]["total"])
    record(
        f"page weight, heaviest of {len(rows)} public pages",
        engine=connection.vendor,
        value=f"{worst / 1024:.1f} KB",
        target="≤ 100 KB",
        met=worst <= LIMIT and not any(r[2]["other_hosts"] for r in rows),
        note=f"{heaviest[0]}; no request to another host"
        if not any(r[2]["other_hosts"] for r in rows)
        else "requests to other hosts!",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
