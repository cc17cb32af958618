"""Directory search benchmark on the database given by the environment (DESIGN.md §5).

    DJANGO_SETTINGS_MODULE=maillage.settings DEBUG=1 MAILLAGE_VAR_DIR=/tmp/bench \
        .venv/bin/python -m bench.search --repeat 30

Four typical queries through maillage.directory.search.services_for, each evaluated as the
public page does (the count, then the first page of 20 rows with their organisation, places,
phones and help types), then the facet counts the page adds; the same text queries as a naive
`icontains` scan (unaccented words, each in any of name, summary, description or structure name,
with the same filters); and the public page's HTML through Django's test client. It prints
figures (p50/p95 in ms), never asserts them: this is a shared machine. --explain prints every
SQL statement of each query with its own time and the engine's plan.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from unittest import mock

import django

REPEAT = 30
WARMUP = 3
# "Open now" is evaluated at a fixed moment, a Tuesday morning, so runs compare.
NOW = datetime.fromisoformat("2026-01-13T10:30:00+01:00")
LYON = (45.7640, 4.8357)


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def measure(run: Callable[[], object], repeat: int, warmup: int = WARMUP) -> list[float]:
    for _ in range(warmup):
        run()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def cases():
    """(key, label, Query, GET parameters of the public page)."""
    from maillage.core.models import Commune
    from maillage.directory.search import Query

    nantes = (
        Commune.objects.filter(pk="44109").first()
        or Commune.objects.order_by("-population").first()
    )
    return [
        (
            "a",
            "texte « hebergement urgence »",
            Query(text="hebergement urgence"),
            {"q": "hebergement urgence"},
        ),
        (
            "b",
            f"« violences conjugales » + commune ({nantes.name})",
            Query(text="violences conjugales", commune=nantes),
            {"q": "violences conjugales", "commune": nantes.pk},
        ),
        (
            "c",
            "autour de Lyon, 30 km + aide « hébergement d'urgence »",
            Query(latitude=LYON[0], longitude=LYON[1], radius_km=30, help=["hebergement-urgence"]),
            {"lat": LYON[0], "lon": LYON[1], "rayon": 30, "aide": "hebergement-urgence"},
        ),
        (
            "d",
            "« ecoute » + public mineurs + ouvert maintenant",
            Query(text="ecoute", public=["mineurs"], open_now=True),
            {"q": "ecoute", "public": "mineurs", "ouvert": "on"},
        ),
        (
            "e",
            "« accueil » autour de Lyon, 30 km + violences conjugales + public femmes",
            Query(
                text="accueil",
                latitude=LYON[0],
                longitude=LYON[1],
                radius_km=30,
                violence=["conjugales"],
                public=["femmes"],
            ),
            {
                "q": "accueil",
                "lat": LYON[0],
                "lon": LYON[1],
                "rayon": 30,
                "violence": "conjugales",
                "public": "femmes",
            },
        ),
    ]


def page_of(results) -> tuple[int, int]:
    """What the public page reads: the count, then 20 rows and what each card shows."""
    from django.core.paginator import Paginator
    from django.db.models import QuerySet

    if isinstance(results, QuerySet):  # the naive baseline
        results = results.prefetch_related("places__commune", "phones", "help_types")
    page = Paginator(results, 20).get_page(1)
    rows = list(page)
    for service in rows:
        _ = service.organisation.name
        _ = [p.public_address for p in service.places.all()]
        _ = [p.number for p in service.phones.all()]
        _ = [t.display_label for t in service.help_types.all()]
    return page.paginator.count, len(rows)


def naive(query):
    """The same search as plain SQL: the filters as joins and subqueries, the text as
    `icontains` on unaccented words across fields (no index can serve it), in name order."""
    import math

    from django.db.models import ExpressionWrapper, F, FloatField, OuterRef, Q, Subquery

    from maillage.directory.models import Place, Service, Term
    from maillage.directory.search import KM_PER_DEGREE, open_at
    from maillage.directory.text import STOP_WORDS, WORD, fold

    results = Service.objects.visible_to(None).select_related("organisation")
    for word in [w for w in WORD.findall(fold(query.text)) if w not in STOP_WORDS]:
        results = results.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    for vocabulary, codes, relation in (
        (Term.Vocabulary.VIOLENCE, query.violence, "violence_types"),
        (Term.Vocabulary.HELP, query.help, "help_types"),
        (Term.Vocabulary.PUBLIC, query.public, "publics"),
        (Term.Vocabulary.LANGUAGE, query.language, "languages"),
    ):
        if codes:
            wanted = Term.objects.filter(vocabulary=vocabulary, code__in=codes)
            through = getattr(Service, relation).through.objects.filter(term__in=wanted)
            results = results.filter(pk__in=through.values("service_id"))
    if query.minors:
        results = results.filter(minors_accepted=True)
    if query.commune is not None:
        commune = query.commune
        covered = Service.coverage_communes.through.objects.filter(commune=commune)
        results = results.filter(
            Q(coverage=Service.Coverage.NATIONAL)
            | Q(coverage=Service.Coverage.DEPARTMENT, coverage_department=commune.department)
            | Q(pk__in=covered.values("service_id"))
            | Q(pk__in=Place.objects.filter(commune=commune).values("service_id"))
        )
    if query.open_now:
        results = results.filter(open_at(NOW))
    if query.near:
        dlat = query.radius_km / KM_PER_DEGREE
        k = math.cos(math.radians(query.latitude))
        box = Q(
            latitude__range=(query.latitude - dlat, query.latitude + dlat),
            longitude__range=(query.longitude - dlat / k, query.longitude + dlat / k),
        )
        d2 = ExpressionWrapper(
            (F("latitude") - query.latitude) ** 2 + ((F("longitude") - query.longitude) * k) ** 2,
            output_field=FloatField(),
        )
        inside = Place.objects.filter(box).annotate(d2=d2).filter(d2__lte=dlat**2)
        nearest = Place.objects.filter(box, service=OuterRef("pk")).annotate(d2=d2)
        results = (
            results.filter(
                Q(pk__in=inside.values("service_id"))
                | Q(coverage=Service.Coverage.NATIONAL)
                | Q(remote=True, places__isnull=True)
            )
            .distinct()
            .annotate(distance2=Subquery(nearest.order_by("d2").values("d2")[:1]))
            .order_by(F("distance2").asc(nulls_last=True), "name", "pk")
        )
    return results.order_by("name", "pk") if not query.near else results


def explain(run: Callable[[], object]) -> None:
    """Every statement of one evaluation, its own median time, and the engine's plan."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    for number, entry in enumerate(captured.captured_queries, 1):
        sql = entry["sql"]
        with connection.cursor() as cursor:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            cursor.execute(prefix + sql)
            plan = cursor.fetchall()
        print(f"\n--- statement {number}: median {statistics.median(times):.1f} ms")
        print(sql if len(sql) < 4000 else sql[:4000] + " […]")
        for row in plan:
            print("   ", row[-1] if connection.vendor == "sqlite" else row[0])


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--page-repeat", type=int, default=None, help="default: --repeat")
    parser.add_argument("--explain", action="store_true", help="print each statement's plan")
    parser.add_argument("--only", default="abcde", help="which queries, e.g. --only ad")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    django.setup()
    from django.conf import settings

    # Production-like: no SQL logging, no template debugging (the bench env sets DEBUG=1 only
    # to get a development SECRET_KEY and e-mail backend).
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    run(args)
    return 0


def rss_mb() -> float:
    """The process's resident memory now (Linux)."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client

    from bench.summary import record
    from maillage.directory import index
    from maillage.directory.models import Service
    from maillage.directory.search import services_for

    total = Service.objects.count()
    print(
        f"# Directory search on {connection.vendor} ({connection.settings_dict['NAME']}): "
        f"{total:,} services, {Service.objects.published().count():,} published; "
        f"{args.repeat} runs after {WARMUP} warm-ups; open now = {NOW.isoformat()}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n",
        flush=True,
    )
    held_before = rss_mb()
    started = time.perf_counter()
    current = index.current()  # this process's index, as a server worker builds it
    builds = [time.perf_counter() - started]
    gc.collect()
    held = rss_mb() - held_before
    for _ in range(2):
        started = time.perf_counter()
        index.SearchIndex.build(current.token, current.day)
        builds.append(time.perf_counter() - started)
    print(
        f"Index build (3 runs): median {statistics.median(builds):.1f} s, "
        f"{len(current):,} services, {len(current.stems):,} stems; the process grew by "
        f"{held:.0f} MB with the first (what a worker holds); peak memory {peak_rss_mb():.0f} MB"
        "\n",
        flush=True,
    )
    client = Client()
    lines = []
    for key, label, query, params in cases():
        if key not in args.only:
            continue
        ours = lambda q=query: page_of(services_for(q, now=NOW))  # noqa: E731
        count, shown = ours()
        print(f"({key}) {label}: {count:,} results, {shown} shown", flush=True)
        if args.explain:
            print(f"\n## ({key}) ours: count + page")
            explain(ours)
        samples = measure(ours, args.repeat)
        facets = measure(lambda q=query: services_for(q, now=NOW).facets(), args.repeat)
        # The baseline: the same filters in plain SQL, the text as icontains.
        slow = lambda q=query: page_of(naive(q))  # noqa: E731
        naive_count, _ = slow()
        print(f"    naive: {naive_count:,} results", flush=True)
        if args.explain:
            print(f"\n## ({key}) naive: count + page")
            explain(slow)
        baseline = measure(slow, max(args.repeat // 3, 5), warmup=1)
        with mock.patch("django.utils.timezone.now", return_value=NOW):
            response = client.get("/annuaire/", params)
            assert response.status_code == 200, response.status_code
            pages = measure(
                lambda p=params: client.get("/annuaire/", p), args.page_repeat or args.repeat
            )
        p50, p95 = percentile(samples, 50), percentile(samples, 95)
        cells = [
            f"({key}) {label}",
            f"{count:,}",
            f"{p50:.1f}",
            f"{p95:.1f}",
            f"{percentile(facets, 50):.1f} / {percentile(facets, 95):.1f}",
        ]
        b50, b95 = percentile(baseline, 50), percentile(baseline, 95)
        cells += [f"{b50:.1f}", f"{b95:.1f}", f"{b50 / p50:.0f} / {b95 / p95:.0f}"]
        cells += [f"{percentile(pages, 50):.1f}", f"{percentile(pages, 95):.1f}"]
        lines.append(row(cells))
        print("   ", row(cells), flush=True)
        engine = connection.vendor
        record(
            f"directory search ({key}), {count:,} results",
            engine=engine, p50=f"{p50:.1f} ms", value=f"{p95:.1f} ms", target="p95 ≤ 50 ms",
            met=p95 <= 50, note=f"{total:,} services",
        )  # fmt: skip
        # The target compares the text search with an icontains scan; a query without words
        # has no scan to compare with (its baseline is indexed SQL): printed for information.
        record(
            f"naive icontains ÷ ours ({key})",
            engine=engine, p50=f"{b50 / p50:.0f} x", value=f"{b95 / p95:.1f} x",
            target="≥ 10 x",
            met=b50 / p50 >= 10 and b95 / p95 >= 10 if query.text else None,
            note="" if query.text else "no text in the query: for information",
        )  # fmt: skip
        page50, page95 = percentile(pages, 50), percentile(pages, 95)
        record(
            f"search page HTML ({key})",
            engine=engine, p50=f"{page50:.1f} ms", value=f"{page95:.1f} ms",
            target="p95 ≤ 150 ms", met=page95 <= 150,
        )  # fmt: skip
        if query.open_now:
            current = index.current()

            def cold(q=query, current=current) -> None:
                current.open_cache = {}  # no search in the minute before: read at once
                page_of(services_for(q, now=NOW))

            first = measure(cold, max(args.repeat // 3, 5), warmup=1)
            print(
                f"    ({key}) first search of a minute after a minute without search (the open-now "
                "set read from the database at once; otherwise the previous minute's answers "
                "while a thread reads it): "
                f"p50 {percentile(first, 50):.1f} ms, p95 {percentile(first, 95):.1f} ms",
                flush=True,
            )
    print()
    print(
        row(
            [
                "query",
                "results",
                "ours p50 ms",
                "ours p95 ms",
                "facets p50 / p95 ms",
                "naive p50 ms",
                "naive p95 ms",
                "naive ÷ ours (p50 / p95)",
                "page HTML p50 ms",
                "page HTML p95 ms",
            ]
        )
    )
    print(row(["---"] * 10))
    print("\n".join(lines))
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} (a shared machine: figures vary)")
    print(
        "\nours = services_for() count + first page of 20 (organisation, places, phones, help "
        "types); facets = the page's facet counts; naive = the same filters as SQL, the text as "
        "icontains; page = GET /annuaire/ (whole view and template, facets included)."
    )


if __name__ == "__main__":
    sys.exit(main())
