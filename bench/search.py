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
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
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
    ]


def page_of(results) -> tuple[int, int]:
    """What the public page reads: the count, then 20 rows and what each card shows."""
    from django.core.paginator import Paginator

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
    """The same filters, the text as `icontains` on unaccented words across fields (no FTS)."""
    from django.db.models import Q

    from maillage.directory.search import services_for
    from maillage.directory.text import STOP_WORDS, WORD, fold

    results = services_for(replace(query, text=""), now=NOW)
    for word in [w for w in WORD.findall(fold(query.text)) if w not in STOP_WORDS]:
        results = results.filter(
            Q(name__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(organisation__name__icontains=word)
        )
    return results


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


def variant(query, *, fts: bool = True, near_fix: bool = True):
    """A copy of services_for() with the changes this benchmark recommends, to measure them.

    fts: the text test as a plain predicate on the index (SQLite: `rowid IN (SELECT rowid FROM
    directory_service_fts …)` rather than `id IN (SELECT s.id … JOIN directory_service s …)`;
    PostgreSQL: `to_tsvector(…) @@ to_tsquery(…)` on the row rather than `id IN (SELECT id …)`).
    near_fix: DISTINCT, since the LEFT JOIN on places of near_filter() repeats a service once
    per place (the count and the pages hold duplicates). Measured at 150,000 services, (c) p50:
    DISTINCT 217 ms on PostgreSQL, 286 on SQLite (as is: 277 and 277); `remote AND NOT EXISTS
    (place)` in the OR: 1,269 and 221; `remote AND id NOT IN (places)`: 417 and 211; a UNION
    ALL of the candidates instead of the OR: 1,156 on PostgreSQL.
    """
    from django.db import connection
    from django.db.models import BooleanField, Case, F, FloatField, IntegerField, Value, When
    from django.db.models.expressions import RawSQL

    from maillage.directory import search
    from maillage.directory.models import Service, Term
    from maillage.directory.text import tokens

    if not fts:
        results = search.services_for(replace(query, latitude=None, longitude=None), now=NOW)
    else:
        results = Service.objects.visible_to(None).select_related("organisation")
        words = tokens(query.text)
        if words:
            if connection.vendor == "postgresql":
                sql = (
                    "to_tsvector('simple', directory_service.search_text) "
                    "@@ to_tsquery('simple', %s)"
                )
                param = " & ".join(f"{w}:*" for w in words)
            else:
                sql = (
                    "directory_service.rowid IN (SELECT rowid FROM directory_service_fts "
                    "WHERE directory_service_fts MATCH %s)"
                )
                param = " ".join(f'"{w}"*' for w in words)
            # Words are [a-z0-9]+ (text.tokens), as in search.text_match.
            results = results.filter(RawSQL(sql, [param], output_field=BooleanField()))  # noqa: S611
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
        if query.free:
            results = results.filter(is_free=True)
        if query.anonymous:
            results = results.filter(is_anonymous=True)
        if query.minors:
            results = results.filter(minors_accepted=True)
        if query.commune is not None:
            results = results.filter(search.covers_commune(query.commune))
        if query.open_now:
            results = results.filter(search.open_at(NOW))
        relevance = sum(
            (
                Case(
                    When(search_title__contains=f" {w}", then=1),
                    default=0,
                    output_field=IntegerField(),
                )
                for w in words
            ),
            Value(0, output_field=IntegerField()),
        )
        results = results.annotate(relevance=relevance)
    if query.near:
        results = results.filter(search.near_filter(query))
        if near_fix:
            results = results.distinct()
        results = results.annotate(distance2=search.nearest_place(query))
    else:
        results = results.annotate(distance2=Value(None, output_field=FloatField()))
    return results.order_by("-relevance", F("distance2").asc(nulls_last=True), "name", "pk")


def facets_in_one_statement(results) -> dict[str, dict[str, int]]:
    """The page's facet counts with the matching ids computed once (a materialised CTE)."""
    from django.db import connection

    from maillage.directory.models import Service

    ids_sql, params = results.order_by().values("pk").query.sql_with_params()
    parts = []
    for name, relation in (
        ("violence", Service.violence_types),
        ("aide", Service.help_types),
        ("public", Service.publics),
        ("langue", Service.languages),
    ):
        table = relation.through._meta.db_table
        parts.append(
            f"SELECT '{name}', t.code, COUNT(*) FROM {table} x "  # noqa: S608 - our own names
            "JOIN directory_term t ON t.id = x.term_id "
            "WHERE x.service_id IN (SELECT hit_id FROM hits) GROUP BY t.code"
        )
    sql = f"WITH hits(hit_id) AS MATERIALIZED ({ids_sql}) " + " UNION ALL ".join(parts)
    counts: dict[str, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, code, n in cursor.fetchall():
            counts.setdefault(name, {})[code] = n
    return counts


def try_variants(repeat: int, only: str = "abcd") -> None:
    """Measure the recommended changes on copies of the queries (maillage/ is left as it is)."""
    from django.db import connection, models
    from django.db.models import Q

    from maillage.directory.models import OpeningSlot, Service
    from maillage.directory.search import facet_counts, services_for

    print("\n# Variants (copies of the queries in this script; maillage/ unchanged)\n")
    print(row(["query", "variant", "results", "p50 ms", "p95 ms"]))
    print(row(["---"] * 5))

    def report(key, name, run):
        count = run()
        samples = measure(run, repeat)
        shown = f"{count[0]:,}" if isinstance(count, tuple) else "—"
        cells = [
            key,
            name,
            shown,
            f"{percentile(samples, 50):.1f}",
            f"{percentile(samples, 95):.1f}",
        ]
        print(row(cells), flush=True)

    for key, _label, query, _params in cases():
        if key not in only:
            continue
        report(key, "as is: count + page", lambda q=query: page_of(services_for(q, now=NOW)))
        report(key, "text predicate + near fix", lambda q=query: page_of(variant(q)))
        if query.near:
            report(
                key,
                "near fix only",
                lambda q=query: page_of(variant(q, fts=False, near_fix=True)),
            )
        report(
            key,
            "as is: facets (4 statements)",
            lambda q=query: facet_counts(services_for(q, now=NOW)),
        )
        report(
            key,
            "facets, 1 statement, ids once",
            lambda q=query: facets_in_one_statement(variant(q)),
        )
    # Indexes the near and open-now filters lack, created on this throwaway database only.
    indexes = [
        (Service, models.Index(fields=["coverage"], name="bench_service_coverage")),
        (
            Service,
            models.Index(fields=["id"], condition=Q(remote=True), name="bench_service_remote"),
        ),
        (
            OpeningSlot,
            models.Index(fields=["weekday", "opens", "closes"], name="bench_slot_weekday"),
        ),
    ]
    with connection.schema_editor() as editor:
        for model, index in indexes:
            editor.add_index(model, index)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    try:
        for key, _label, query, _params in cases():
            if key in only and query.open_now:
                report(
                    key,
                    "text predicate + index openingslot(weekday, opens, closes)",
                    lambda q=query: page_of(variant(q)),
                )
    finally:
        with connection.schema_editor() as editor:
            for model, index in indexes:
                editor.remove_index(model, index)


def row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--page-repeat", type=int, default=None, help="default: --repeat")
    parser.add_argument("--explain", action="store_true", help="print each statement's plan")
    parser.add_argument("--only", default="abcd", help="which queries, e.g. --only ad")
    parser.add_argument("--variants", action="store_true", help="measure the recommended fixes")
    parser.add_argument("--variants-only", action="store_true", help="skip the main table")
    parser.add_argument(
        "--sqlite-pragmas",
        default="",
        help="PRAGMAs for every SQLite connection of this run, e.g. "
        "'mmap_size=1073741824;cache_size=-262144'",
    )
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


def run(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client

    if args.sqlite_pragmas and connection.vendor == "sqlite":
        from django.db.backends.signals import connection_created

        def pragmas(sender, connection, **kwargs) -> None:
            # Every connection: a request closes its own (SQLite has CONN_MAX_AGE 0).
            with connection.cursor() as cursor:
                for pragma in filter(None, args.sqlite_pragmas.split(";")):
                    cursor.execute(f"PRAGMA {pragma.strip()}")

        connection_created.connect(pragmas, weak=False)
        connection.close()
        print(f"SQLite PRAGMAs on every connection: {args.sqlite_pragmas}")

    from maillage.directory.models import Service
    from maillage.directory.search import facet_counts, services_for

    total = Service.objects.count()
    print(
        f"# Directory search on {connection.vendor} ({connection.settings_dict['NAME']}): "
        f"{total:,} services, {Service.objects.published().count():,} published; "
        f"{args.repeat} runs after {WARMUP} warm-ups; open now = {NOW.isoformat()}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n",
        flush=True,
    )
    client = Client()
    lines = []
    for key, label, query, params in cases():
        if key not in args.only or args.variants_only:
            continue
        ours = lambda q=query: page_of(services_for(q, now=NOW))  # noqa: E731
        count, shown = ours()
        print(f"({key}) {label}: {count:,} results, {shown} shown", flush=True)
        if args.explain:
            print(f"\n## ({key}) ours: count + page")
            explain(ours)
        samples = measure(ours, args.repeat)
        facets = measure(lambda q=query: facet_counts(services_for(q, now=NOW)), args.repeat)
        baseline = None
        if query.text:
            slow = lambda q=query: page_of(naive(q))  # noqa: E731
            naive_count, _ = slow()
            print(f"    naive icontains: {naive_count:,} results", flush=True)
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
        if baseline:
            b50, b95 = percentile(baseline, 50), percentile(baseline, 95)
            cells += [f"{b50:.1f}", f"{b95:.1f}", f"{b50 / p50:.1f}x / {b95 / p95:.1f}x"]
        else:
            cells += ["—", "—", "—"]
        cells += [f"{percentile(pages, 50):.1f}", f"{percentile(pages, 95):.1f}"]
        lines.append(row(cells))
        print("   ", row(cells), flush=True)
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
    if args.variants or args.variants_only:
        try_variants(args.repeat, args.only)
    print(
        "\nours = services_for() count + first page of 20 (prefetched places, phones, help "
        "types); facets = the page's 4 facet-count queries; page = GET /annuaire/ (whole view "
        "and template, facets included)."
    )


if __name__ == "__main__":
    sys.exit(main())
