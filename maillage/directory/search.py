"""Directory search: French full text, filters, distance, the same on SQLite and PostgreSQL.

Documents and queries are normalised the same way (text.normalise: folded, stemmed); every
query word matches as a prefix of a stem. The search itself runs on the in-memory index of the
published services (index.py: national scale in a few milliseconds), kept in step with the
database by a version token; the rows shown are read from the database. Ranking: query words
found in the service's name first, then distance, then name.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from maillage.core.models import Commune

from . import index
from .index import Results
from .models import PARIS, Closure, OpeningSlot, Service
from .text import normalise

KM_PER_DEGREE = index.KM_PER_DEGREE


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
    index.bump()  # bulk_update sends no signal
    return len(changed)


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
    thematique: str = ""  # a data·inclusion thématique (the API's filter)

    @property
    def near(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def services_for(
    query: Query,
    *,
    user=None,
    now: datetime | None = None,
    rows: Callable[[QuerySet[Service]], QuerySet[Service]] | None = None,
) -> Results:
    """The matching services, best first (paginate them; each page is read on demand).

    Best first: the query words found in the name, then the distance to the nearest place
    (with a point), then the name. `rows` shapes the query that reads a page (prefetches).
    """
    return index.search(query, user=user, now=now, rows=rows)


def facet_counts(results: Results) -> dict[str, dict[str, int]]:
    """How many of the results carry each term, per vocabulary (the filters show them)."""
    return results.facets()


def open_at(moment: datetime) -> Q:
    """Open at that moment in Europe/Paris, by Service.is_open_at()'s rule: no closure today;
    then today's exceptions if it has any (open within their hours, else closed); otherwise
    24/7, or a weekly slot now."""
    from .models import OpeningException

    local = timezone.localtime(moment, PARIS)
    day, clock = local.date(), local.time()
    slots = OpeningSlot.objects.filter(weekday=day.weekday(), opens__lte=clock, closes__gt=clock)
    closed = Closure.objects.filter(starts_on__lte=day, ends_on__gte=day)
    exceptional = OpeningException.objects.filter(on=day)  # today's hours are exceptional
    open_exceptionally = exceptional.filter(opens__lte=clock, closes__gt=clock)
    regular = Q(is_24_7=True) | Q(pk__in=slots.values("service_id"))
    return ~Q(pk__in=closed.values("service_id")) & (
        Q(pk__in=open_exceptionally.values("service_id"))
        | (regular & ~Q(pk__in=exceptional.values("service_id")))
    )


def distance_km(distance2: float | None) -> float | None:
    return None if distance2 is None else math.sqrt(distance2) * KM_PER_DEGREE
