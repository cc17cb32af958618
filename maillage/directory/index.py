"""The directory's search index: the published services held in memory as compressed bitmaps.

Why: at national scale (150,000 services) the words people type match a large share of the
directory ("violences conjugales" matches half of it), and a database answers count + page +
facets by reading every matching row, several times (bench/README.md measured 200 ms to 2 s
on both engines). Here each word stem, each taxonomy term, each flag and each commune is a
set of service positions (a Roaring bitmap, pyroaring); a search is a few set operations, the
count is a cardinality, each facet an intersection count, and only the page's 20 rows are read
from the database.

Positions follow the default order (name without accents or case, then id), so a set iterated
in order is already sorted; relevance (query words found in the name) splits the hits into
tiers. What the index holds comes from the database through the same rules as everywhere else
(ServiceQuerySet.published, for_everyone, text.normalise, search.open_at), and the rows shown
are read through Service.objects.visible_to(): a service withdrawn a second ago never shows.

Freshness: each process keeps one index, labelled with SearchVersion's token and the day.
Every change of what the search reads gives a new token (signals below; bulk writers call
bump() or search.reindex()); the next search sees it and rebuilds. Small directories rebuild
at once; above SYNC_LIMIT services a thread rebuilds while the previous index keeps answering
(counts may lag a few seconds, never the rows).
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.db import connections
from django.db.models import QuerySet
from django.utils import timezone
from pyroaring import BitMap, FrozenBitMap

from maillage.core.models import Organisation

from .models import PARIS, Place, SearchVersion, Service, Term, sees_professional_records
from .text import fold, tokens

if TYPE_CHECKING:
    from .search import Query

logger = logging.getLogger(__name__)

# Above this many services, a stale index keeps answering while a thread builds the next one.
SYNC_LIMIT = 20_000
# Places are bucketed in cells of this many degrees for "near me".
CELL = 0.2
KM_PER_DEGREE = 111.32
EMPTY = FrozenBitMap()

# (facet name on the page, Service relation, taxonomy vocabulary)
FACETS = (
    ("violence", "violence_types", Term.Vocabulary.VIOLENCE),
    ("aide", "help_types", Term.Vocabulary.HELP),
    ("public", "publics", Term.Vocabulary.PUBLIC),
    ("langue", "languages", Term.Vocabulary.LANGUAGE),
)


def read_token() -> UUID | None:
    return SearchVersion.objects.values_list("token", flat=True).first()


def bump() -> None:
    """Say that what the search reads has changed (in the writer's transaction)."""
    if not SearchVersion.objects.filter(pk=1).update(token=uuid4()):
        SearchVersion.objects.get_or_create(pk=1)


def _order_key(name: str, pk: Any) -> tuple[str, str, str]:
    return (fold(name), name, str(pk))


def _prefixed(stems: list[str], postings: dict[str, FrozenBitMap], word: str) -> BitMap:
    """The services holding a stem that starts with the word (as the engines' `word*`)."""
    start = bisect.bisect_left(stems, word)
    found = []
    for stem in stems[start:]:
        if not stem.startswith(word):
            break
        found.append(postings[stem])
    return BitMap.union(*found) if found else BitMap()


class SearchIndex:
    """Every published service of the day, as sets of positions (see the module docstring)."""

    def __init__(self, token: UUID | None, day: date) -> None:
        self.token = token
        self.day = day
        self.ids: list[UUID] = []
        self.position: dict[UUID, int] = {}
        self.organisation_of: list[Any] = []
        self.everyone = EMPTY  # records for everyone (not professionals only)
        self.published = EMPTY
        self.stems: list[str] = []
        self.text: dict[str, FrozenBitMap] = {}
        self.title_stems: list[str] = []
        self.title: dict[str, FrozenBitMap] = {}
        self.terms: dict[tuple[str, str], FrozenBitMap] = {}  # (relation, code)
        self.thematique: dict[str, FrozenBitMap] = {}
        self.flags: dict[str, FrozenBitMap] = {}
        self.department: dict[str, FrozenBitMap] = {}
        self.commune: dict[str, FrozenBitMap] = {}
        self.cells: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
        self.organisation_rank: dict[Any, tuple] = {}
        self.open_cache: dict[datetime, FrozenBitMap] = {}
        self._open_reading: set[datetime] = set()
        self.built_in = 0.0

    def __len__(self) -> int:
        return len(self.ids)

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, token: UUID | None, day: date) -> SearchIndex:
        started = time.perf_counter()
        index = cls(token, day)
        published = Service.objects.published(at=day).order_by()
        rows = sorted(
            published.values_list(
                "pk",
                "name",
                "organisation_id",
                "is_free",
                "is_anonymous",
                "minors_accepted",
                "remote",
                "coverage",
                "coverage_department",
            ),
            key=lambda row: _order_key(row[1], row[0]),
        )
        flags: dict[str, list[int]] = defaultdict(list)
        departments: dict[str, list[int]] = defaultdict(list)
        for position, row in enumerate(rows):
            pk, _name, organisation, free, anonymous, minors, remote, coverage, department = row
            index.ids.append(pk)
            index.position[pk] = position
            index.organisation_of.append(organisation)
            for flag, value in (("free", free), ("anonymous", anonymous), ("minors", minors)):
                if value:
                    flags[flag].append(position)
            if remote:
                flags["remote"].append(position)
            if coverage == Service.Coverage.NATIONAL:
                flags["national"].append(position)
            elif coverage == Service.Coverage.DEPARTMENT:
                departments[department].append(position)
        position = index.position
        index.published = FrozenBitMap(range(len(rows)))
        index.everyone = index._positions(published.for_everyone().values_list("pk", flat=True))
        index._index_text(published)
        index._index_terms()
        communes, has_place = index._index_places()
        for pk, commune in Service.coverage_communes.through.objects.values_list(
            "service_id", "commune_id"
        ).iterator(chunk_size=5000):
            if (at := position.get(pk)) is not None:
                communes[commune].append(at)
        index.commune = {code: FrozenBitMap(found) for code, found in communes.items()}
        index.department = {code: FrozenBitMap(found) for code, found in departments.items()}
        index.flags = {flag: FrozenBitMap(found) for flag, found in flags.items()}
        # A remote service without any place: near everyone (search.near_filter's rule).
        index.flags["remote_nowhere"] = FrozenBitMap(index.flag("remote") - BitMap(has_place))
        organisations = Organisation.objects.filter(pk__in=set(index.organisation_of)).values_list(
            "pk", "name"
        )
        index.organisation_rank = {pk: _order_key(name, pk) for pk, name in organisations}
        index.built_in = time.perf_counter() - started
        return index

    def _positions(self, pks: Iterable[Any]) -> FrozenBitMap:
        position = self.position
        return FrozenBitMap(p for pk in pks if (p := position.get(pk)) is not None)

    def _index_text(self, published: QuerySet[Service]) -> None:
        text: dict[str, list[int]] = defaultdict(list)
        title: dict[str, list[int]] = defaultdict(list)
        position = self.position
        rows = published.values_list("pk", "search_title", "search_text")
        for pk, search_title, search_text in rows.iterator(chunk_size=2000):
            if (at := position.get(pk)) is None:
                continue
            for stem in set(search_text.split()):
                text[stem].append(at)
            for stem in set(search_title.split()):
                title[stem].append(at)
        self.text = {stem: FrozenBitMap(found) for stem, found in text.items()}
        self.stems = sorted(self.text)
        self.title = {stem: FrozenBitMap(found) for stem, found in title.items()}
        self.title_stems = sorted(self.title)

    def _index_terms(self) -> None:
        terms = {
            pk: (code, thematique)
            for pk, code, thematique in Term.objects.values_list("pk", "code", "di_thematique")
        }
        position = self.position
        thematique: dict[str, BitMap] = defaultdict(BitMap)
        for _name, relation, _vocabulary in FACETS:
            found: dict[str, list[int]] = defaultdict(list)
            through = getattr(Service, relation).through.objects.values_list(
                "service_id", "term_id"
            )
            for pk, term in through.iterator(chunk_size=5000):
                if (at := position.get(pk)) is not None and term in terms:
                    found[terms[term][0]].append(at)
            for code, positions in found.items():
                self.terms[relation, code] = FrozenBitMap(positions)
            if relation == "help_types":
                for code, theme in terms.values():
                    if theme and (relation, code) in self.terms:
                        thematique[theme] |= self.terms[relation, code]
        self.thematique = {theme: FrozenBitMap(found) for theme, found in thematique.items()}

    def _index_places(self) -> tuple[dict[str, list[int]], set[int]]:
        communes: dict[str, list[int]] = defaultdict(list)
        cells: dict[tuple[int, int], list[tuple[float, float, int]]] = defaultdict(list)
        has_place: set[int] = set()
        position = self.position
        places = Place.objects.values_list("service_id", "commune_id", "latitude", "longitude")
        for pk, commune, latitude, longitude in places.iterator(chunk_size=5000):
            if (at := position.get(pk)) is None:
                continue
            has_place.add(at)
            if commune:
                communes[commune].append(at)
            if latitude is not None and longitude is not None:
                cell = (math.floor(latitude / CELL), math.floor(longitude / CELL))
                cells[cell].append((latitude, longitude, at))
        self.cells = dict(cells)
        return communes, has_place

    # -- searching --------------------------------------------------------------------------

    def flag(self, name: str) -> FrozenBitMap:
        return self.flags.get(name, EMPTY)

    def open_at(self, moment: datetime) -> FrozenBitMap:
        """Services open at that minute (search.open_at's rule, read once a minute).

        At national scale reading the set takes about half a second: when the previous
        minute's set is at hand, it answers while a thread reads the new one (a service may
        show as open up to a minute after it closes).
        """
        minute = timezone.localtime(moment, PARIS).replace(second=0, microsecond=0)
        found = self.open_cache.get(minute)
        if found is not None:
            return found
        previous = self.open_cache.get(minute - timedelta(minutes=1))
        if previous is not None and len(self) > SYNC_LIMIT:
            self._read_open_in_background(minute)
            return previous
        return self._read_open(minute)

    def _read_open(self, minute: datetime) -> FrozenBitMap:
        from .search import open_at

        found = self._positions(
            Service.objects.filter(open_at(minute)).values_list("pk", flat=True)
        )
        # This minute and the one before (what answers while the next one is read).
        kept = {m: s for m, s in self.open_cache.items() if m == minute - timedelta(minutes=1)}
        self.open_cache = {**kept, minute: found}
        return found

    def _read_open_in_background(self, minute: datetime) -> None:
        with _open_lock:
            if minute in self._open_reading:
                return
            self._open_reading.add(minute)

        def read() -> None:
            try:
                self._read_open(minute)
            except Exception:
                logger.exception("open-now set not read")
            finally:
                self._open_reading.discard(minute)
                connections.close_all()

        threading.Thread(target=read, name="search-open-now", daemon=True).start()

    def near(self, latitude: float, longitude: float, radius_km: float) -> dict[int, float]:
        """Squared distance (degrees of latitude) of each service's nearest place in the box
        around the point (equirectangular: exact enough under 100 km)."""
        dlat = radius_km / KM_PER_DEGREE
        k = math.cos(math.radians(latitude))
        dlon = dlat / max(k, 0.01)
        nearest: dict[int, float] = {}
        lat_cells = range(
            math.floor((latitude - dlat) / CELL), math.floor((latitude + dlat) / CELL) + 1
        )
        lon_cells = range(
            math.floor((longitude - dlon) / CELL), math.floor((longitude + dlon) / CELL) + 1
        )
        for i in lat_cells:
            for j in lon_cells:
                for lat, lon, at in self.cells.get((i, j), ()):
                    if abs(lat - latitude) > dlat or abs(lon - longitude) > dlon:
                        continue
                    d2 = (lat - latitude) ** 2 + ((lon - longitude) * k) ** 2
                    if d2 < nearest.get(at, math.inf):
                        nearest[at] = d2
        return nearest

    def search(self, query: Query, *, professional: bool, now: datetime) -> Hits:
        hits = BitMap(self.published if professional else self.everyone)
        words = tokens(query.text)
        for word in words:
            hits &= _prefixed(self.stems, self.text, word)
        for _name, relation, codes in (
            ("violence", "violence_types", query.violence),
            ("aide", "help_types", query.help),
            ("public", "publics", query.public),
            ("langue", "languages", query.language),
        ):
            if codes:
                hits &= BitMap.union(*(self.terms.get((relation, c), EMPTY) for c in codes))
        if query.thematique:
            hits &= self.thematique.get(query.thematique, EMPTY)
        for flag, wanted in (
            ("free", query.free),
            ("anonymous", query.anonymous),
            ("minors", query.minors),
        ):
            if wanted:
                hits &= self.flag(flag)
        if query.commune is not None:
            hits &= BitMap.union(
                self.flag("national"),
                self.department.get(query.commune.department, EMPTY),
                self.commune.get(query.commune.pk, EMPTY),
            )
        if query.open_now:
            hits &= self.open_at(now)
        distances: dict[int, float] = {}
        if query.near:
            nearest = self.near(query.latitude, query.longitude, query.radius_km)
            limit = (query.radius_km / KM_PER_DEGREE) ** 2
            inside = BitMap(at for at, d2 in nearest.items() if d2 <= limit)
            hits &= BitMap.union(inside, self.flag("national"), self.flag("remote_nowhere"))
            distances = {at: nearest[at] for at in hits if at in nearest}
        # Relevance: how many query words the name holds. tiers[k] = hits holding at least k.
        at_least = [hits] + [BitMap() for _ in words]
        for word in words:
            in_title = _prefixed(self.title_stems, self.title, word)
            for k in range(len(words), 0, -1):
                at_least[k] |= at_least[k - 1] & in_title
        tiers = [
            (k, at_least[k] - at_least[k + 1] if k < len(words) else at_least[k])
            for k in range(len(words), -1, -1)
        ]
        return Hits(self, hits, [(k, tier) for k, tier in tiers if tier], distances)


@dataclass
class Hits:
    """The matching positions, best first: relevance tiers, then distance, then name."""

    index: SearchIndex
    positions: BitMap
    tiers: list[tuple[int, BitMap]]
    distances: dict[int, float]

    def __len__(self) -> int:
        return len(self.positions)

    def ordered(self, start: int, stop: int) -> list[tuple[int, int]]:
        """(position, relevance) of the hits start..stop-1 in the result order."""
        found: list[tuple[int, int]] = []
        for relevance, tier in self.tiers:
            if stop <= 0:
                break
            size = len(tier)
            if start < size:
                if self.distances:
                    far = math.inf
                    chosen = sorted(tier, key=lambda at: (self.distances.get(at, far), at))
                    chosen = chosen[start:stop]
                else:
                    chosen = list(tier[start : min(stop, size)])
                found += [(at, relevance) for at in chosen]
            start, stop = max(start - size, 0), stop - size
        return found

    def facets(self) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {name: {} for name, _relation, _v in FACETS}
        if not self.positions:
            return counts
        for (relation, code), members in self.index.terms.items():
            name = next(n for n, r, _v in FACETS if r == relation)
            if count := self.positions.intersection_cardinality(members):
                counts[name][code] = count
        return counts

    def organisation_ids(self) -> list[Any]:
        """The distinct organisations of the hits, in name order."""
        organisation_of = self.index.organisation_of
        found = {organisation_of[at] for at in self.positions}
        rank = self.index.organisation_rank
        return sorted(found, key=lambda pk: rank.get(pk, ("", "", str(pk))))


class Results(Sequence):
    """A search's services, best first, read from the database a page at a time.

    Works with Django's Paginator (count() and slices). Each service carries `relevance` and
    `distance2` (squared degrees, None when the search has no point or the service no place
    near it).
    """

    def __init__(
        self,
        hits: Hits | None,
        *,
        user=None,
        rows: Callable[[QuerySet[Service]], QuerySet[Service]] | None = None,
    ) -> None:
        self.hits = hits
        self.user = user
        self.rows = rows or default_rows

    def count(self) -> int:
        return len(self.hits) if self.hits is not None else 0

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return bool(self.count())

    def __iter__(self) -> Iterator[Service]:
        for start in range(0, self.count(), 100):
            yield from self[start : start + 100]

    def __getitem__(self, item):
        if isinstance(item, int):
            found = self[item : item + 1] if item >= 0 else self[self.count() + item :][:1]
            if not found:
                raise IndexError(item)
            return found[0]
        start, stop, step = item.indices(self.count())
        if self.hits is None or start >= stop:
            return []
        chosen = self.hits.ordered(start, stop)[::step]
        ids = [self.hits.index.ids[at] for at, _relevance in chosen]
        queryset = self.rows(Service.objects.visible_to(self.user).filter(pk__in=ids))
        found = {service.pk: service for service in queryset}
        services = []
        for (at, relevance), pk in zip(chosen, ids, strict=True):
            if (service := found.get(pk)) is not None:
                service.relevance = relevance
                service.distance2 = self.hits.distances.get(at)
                services.append(service)
        return services

    def facets(self) -> dict[str, dict[str, int]]:
        if self.hits is None:
            return {name: {} for name, _relation, _v in FACETS}
        return self.hits.facets()

    def none(self) -> Results:
        return Results(None, user=self.user, rows=self.rows)

    def organisation_ids(self) -> list[Any]:
        return self.hits.organisation_ids() if self.hits is not None else []


def default_rows(services: QuerySet[Service]) -> QuerySet[Service]:
    """What a result card shows."""
    return services.select_related("organisation").prefetch_related(
        "places__commune", "phones", "help_types"
    )


# -- one index per process --------------------------------------------------------------------

_current: SearchIndex | None = None
_build_lock = threading.Lock()
_open_lock = threading.Lock()
_background: threading.Thread | None = None


def current() -> SearchIndex:
    """This process's index, rebuilt when the data or the day has changed."""
    global _current
    token, day = read_token(), timezone.localdate()
    index = _current
    if index is not None and index.token == token and index.day == day:
        return index
    if index is not None and len(index) > SYNC_LIMIT and index.day == day:
        _rebuild_in_background(token, day)
        return index
    with _build_lock:
        index = _current
        if index is None or index.token != token or index.day != day:
            index = SearchIndex.build(token, day)
            _current = index
    return index


def _rebuild_in_background(token: UUID | None, day: date) -> None:
    global _background
    if _background is not None and _background.is_alive():
        return

    def rebuild() -> None:
        global _current
        try:
            with _build_lock:
                _current = SearchIndex.build(token, day)
            logger.info("search index rebuilt: %s services", len(_current))
        except Exception:
            logger.exception("search index rebuild failed")
        finally:
            connections.close_all()

    _background = threading.Thread(target=rebuild, name="search-index", daemon=True)
    _background.start()


def warm_up() -> None:
    """Build the index ahead of the first search (in a thread of its own: start_warm_up)."""
    try:
        current()
    except Exception:  # the first search will try again, and say why
        logger.exception("search index warm-up failed")
    finally:
        connections.close_all()  # this thread's connections


_warming: threading.Thread | None = None
_warming_lock = threading.Lock()


def start_warm_up() -> None:
    """Build the index in a thread of its own, unless one is at it (a server worker calls this
    when it starts)."""
    global _warming
    with _warming_lock:
        if _warming is not None and _warming.is_alive():
            return
        _warming = threading.Thread(target=warm_up, name="search-index-warm-up", daemon=True)
        _warming.start()


def is_ready() -> bool:
    """This process holds an index: a search is answered at full speed (from the previous
    version while a newer one builds). If none is being built, a build starts."""
    if _current is not None:
        return True
    start_warm_up()
    return False


def search(
    query: Query,
    *,
    user=None,
    now: datetime | None = None,
    rows: Callable[[QuerySet[Service]], QuerySet[Service]] | None = None,
) -> Results:
    index = current()
    hits = index.search(
        query, professional=sees_professional_records(user), now=now or timezone.now()
    )
    return Results(hits, user=user, rows=rows)


def _changed(sender, **kwargs) -> None:
    bump()


def _m2m_changed(sender, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        bump()


def connect_signals() -> None:
    """Any change, through the ORM, of what the search reads gives a new token."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from . import models

    for name in ("Service", "Place", "OpeningSlot", "Closure", "OpeningException", "Term"):
        if (model := getattr(models, name, None)) is not None:
            post_save.connect(_changed, sender=model, dispatch_uid=f"search-index-{name}")
            post_delete.connect(_changed, sender=model, dispatch_uid=f"search-index-{name}-d")
    post_save.connect(_changed, sender=Organisation, dispatch_uid="search-index-organisation")
    for relation in ("violence_types", "help_types", "publics", "languages", "coverage_communes"):
        m2m_changed.connect(
            _m2m_changed,
            sender=getattr(Service, relation).through,
            dispatch_uid=f"search-index-{relation}",
        )
