"""Directory search: French full text, filters, distance, on SQLite (FTS5) and PostgreSQL.

Both engines index the same normalised text (text.normalise: folded, stemmed) and match the
same way: every query word as a prefix of an indexed stem. SQLite keeps an FTS5 table in step
with `directory_service.search_text` through triggers; PostgreSQL has a GIN index on
`to_tsvector('simple', search_text)`. Ranking is computed the same way on both: query words
found in the service's name first, then distance, then name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from maillage.core.models import Commune

from .models import PARIS, Closure, OpeningSlot, Place, Service, Term
from .text import normalise, tokens

KM_PER_DEGREE = 111.32


def document(service: Service) -> str:
    """The normalised text indexed for a service."""
    terms = [
        *service.violence_types.all(),
        *service.help_types.all(),
        *service.publics.all(),
    ]
    parts = [
        service.name,
        service.summary,
        service.description,
        service.organisation.name,
        service.organisation.acronym,
        *(t.label for t in terms),
        *(t.public_label for t in terms),
        *(str(p.commune) for p in service.places.all()),
    ]
    return normalise(" ".join(p for p in parts if p))


def reindex(services: Iterable[Service]) -> int:
    """Recompute the indexed text of these services (after any edit of them or their terms)."""
    changed = []
    for service in services:
        service.search_title = f" {normalise(service.name)} "
        service.search_text = document(service)
        changed.append(service)
    Service.objects.bulk_update(changed, ["search_title", "search_text"], batch_size=1000)
    return len(changed)


def text_match(words: list[str]) -> Q:
    """Services whose text holds every word (as a prefix), through each engine's index.

    An id subquery, so that the condition keeps working when Django aliases the service table
    (counts, facets). On SQLite the FTS5 table shares the service table's rowid.
    """
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        sql = (
            "SELECT id FROM directory_service WHERE "
            "to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)"
        )
    else:
        query = " ".join(f'"{w}"*' for w in words)
        sql = (
            "SELECT id FROM directory_service WHERE rowid IN "
            "(SELECT rowid FROM directory_service_fts WHERE directory_service_fts MATCH %s)"
        )
    return Q(pk__in=RawSQL(sql, [query]))  # noqa: S611 - words are [a-z0-9]+ (text.tokens)


@dataclass
class Query:
    """What a visitor asks: one text box and filters (all optional)."""

    text: str = ""
    commune: Commune | None = None
    latitude: float | None = None
    longitude: float | None = None
    radius_km: float = 30
    violence: list[str] = field(default_factory=list)
    help: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    open_now: bool = False
    free: bool = False
    anonymous: bool = False
    minors: bool = False

    @property
    def near(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def services_for(query: Query, *, user=None, now: datetime | None = None):
    """The matching services, best first, as a queryset (paginate it)."""
    services = Service.objects.visible_to(user).select_related("organisation")
    words = tokens(query.text)
    if words:
        services = services.filter(text_match(words))
    for vocabulary, codes, relation in (
        (Term.Vocabulary.VIOLENCE, query.violence, "violence_types"),
        (Term.Vocabulary.HELP, query.help, "help_types"),
        (Term.Vocabulary.PUBLIC, query.public, "publics"),
        (Term.Vocabulary.LANGUAGE, query.language, "languages"),
    ):
        if codes:
            wanted = Term.objects.filter(vocabulary=vocabulary, code__in=codes)
            through = getattr(Service, relation).through.objects.filter(term__in=wanted)
            services = services.filter(pk__in=through.values("service_id"))
    if query.free:
        services = services.filter(is_free=True)
    if query.anonymous:
        services = services.filter(is_anonymous=True)
    if query.minors:
        services = services.filter(minors_accepted=True)
    if query.commune is not None:
        services = services.filter(covers_commune(query.commune))
    if query.open_now:
        services = services.filter(open_at(now or timezone.now()))
    if query.near:
        # distinct(): the join on places would list a service with two places twice (bench/
        # measured it as cheap as the NOT IN / NOT EXISTS shapes, or cheaper).
        services = (
            services.filter(near_filter(query)).distinct().annotate(distance2=nearest_place(query))
        )
    else:
        services = services.annotate(distance2=Value(None, output_field=FloatField()))
    # Relevance: how many query words the service's name holds (the same on both engines).
    relevance = sum(
        (
            Case(
                When(search_title__contains=f" {word}", then=1),
                default=0,
                output_field=IntegerField(),
            )
            for word in words
        ),
        Value(0, output_field=IntegerField()),
    )
    return services.annotate(relevance=relevance).order_by(
        "-relevance", F("distance2").asc(nulls_last=True), "name", "pk"
    )


FACETS = (
    ("violence", "violence_types"),
    ("aide", "help_types"),
    ("public", "publics"),
    ("langue", "languages"),
)


def facet_counts(results) -> dict[str, dict[str, int]]:
    """How many of the results carry each term, per vocabulary (the filters show them).

    One statement: the matching services are computed once, in a materialised common table
    expression (both engines), instead of once per vocabulary (bench/README.md: 3 to 6 times
    faster at national scale).
    """
    counts: dict[str, dict[str, int]] = {name: {} for name, _ in FACETS}
    try:
        ids_sql, params = results.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return counts
    terms = connection.ops.quote_name(Term._meta.db_table)
    parts = []
    for name, relation in FACETS:
        through = connection.ops.quote_name(getattr(Service, relation).through._meta.db_table)
        parts.append(
            # Table names come from the models, the search's values go as parameters.
            f"SELECT '{name}', t.code, COUNT(*) FROM {through} x JOIN {terms} t "  # noqa: S608
            f"ON t.id = x.term_id WHERE x.service_id IN (SELECT id FROM hits) GROUP BY t.code"
        )
    sql = f"WITH hits(id) AS MATERIALIZED ({ids_sql}) " + " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, code, count in cursor.fetchall():
            counts[name][code] = count
    return counts


def covers_commune(commune: Commune) -> Q:
    """Services for people of that commune: a place there, or a coverage that includes it."""
    covered = Service.coverage_communes.through.objects.filter(commune=commune)
    return (
        Q(coverage=Service.Coverage.NATIONAL)
        | Q(coverage=Service.Coverage.DEPARTMENT, coverage_department=commune.department)
        | Q(pk__in=covered.values("service_id"))
        | Q(pk__in=Place.objects.filter(commune=commune).values("service_id"))
    )


def open_at(moment: datetime) -> Q:
    """Open at that moment in Europe/Paris: 24/7, or a weekly slot now and no closure today."""
    local = timezone.localtime(moment, PARIS)
    slots = OpeningSlot.objects.filter(
        weekday=local.weekday(), opens__lte=local.time(), closes__gt=local.time()
    )
    closed = Closure.objects.filter(starts_on__lte=local.date(), ends_on__gte=local.date())
    return Q(is_24_7=True) | (
        Q(pk__in=slots.values("service_id")) & ~Q(pk__in=closed.values("service_id"))
    )


def _box(query: Query) -> Q:
    """Bounding box around the point: an index range scan before the exact distance."""
    dlat = query.radius_km / KM_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(query.latitude)), 0.01)
    return Q(
        latitude__range=(query.latitude - dlat, query.latitude + dlat),
        longitude__range=(query.longitude - dlon, query.longitude + dlon),
    )


def _distance2(query: Query) -> ExpressionWrapper:
    """Squared distance in degrees of latitude (equirectangular: exact enough under 100 km)."""
    k = math.cos(math.radians(query.latitude))
    dlat = F("latitude") - query.latitude
    dlon = (F("longitude") - query.longitude) * k
    return ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())


def near_filter(query: Query) -> Q:
    """Services with a place within the radius, and those that work remotely or nationwide."""
    inside = Place.objects.filter(_box(query)).annotate(d2=_distance2(query))
    inside = inside.filter(d2__lte=(query.radius_km / KM_PER_DEGREE) ** 2)
    return (
        Q(pk__in=inside.values("service_id"))
        | Q(coverage=Service.Coverage.NATIONAL)
        | Q(remote=True, places__isnull=True)
    )


def nearest_place(query: Query) -> Subquery:
    places = (
        Place.objects.filter(_box(query), service=OuterRef("pk"))
        .annotate(d2=_distance2(query))
        .order_by("d2")
        .values("d2")[:1]
    )
    return Subquery(places, output_field=FloatField())


def distance_km(distance2: float | None) -> float | None:
    return None if distance2 is None else math.sqrt(distance2) * KM_PER_DEGREE
