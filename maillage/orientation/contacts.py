"""What a result screen shows: the national numbers that apply and the 2-3 best services of
the live directory for that situation and place.

The directory query (search.Query) gathers the result's own filters and those of the answers
on the path: types of violence (plus "toutes", the services for every kind of violence), types
of help, publics, the commune, and the conditions (open now, free, anonymous, minors). A result
without any directory filter (an emergency screen) shows numbers only.

When nothing matches, filters are relaxed in this order, so that there is something to call:
1. the visitor's conditions (open now, free, anonymous);
2. the public (and "accepts minors");
3. the type of violence;
4. the commune (services elsewhere, national ones included).
The types of help are never dropped: they carry what the result is for (a perpetrator
programme never turns into a women's shelter). When even that finds nothing, the screen says
so and the national numbers remain.

Ranking of the matches: services giving a type of help the visitor asked for first (the more
the better); with the "urgent" flag, those answering in an emergency (24/7 or urgent
response); then the nearest (a place in the commune, then in the territory or covering it,
then the département, then national); with "remote", those reachable at a distance first; then
the name. A service reached only through a national number already shown (the 3919's line) is
left out, and one organisation appears once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Avg, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Commune, Territory
from maillage.directory.models import Service
from maillage.directory.search import Query, services_for

from .models import NationalNumber
from .situation import Situation
from .tree import Walk

CANDIDATES = 200  # services read to rank (the search's own order is by name)
ALL_VIOLENCE = "toutes"

RELAXATIONS = [
    ("conditions", _("sans vos conditions (ouvert maintenant, gratuit, anonyme)")),
    ("public", _("pour tous les publics")),
    ("violence", _("pour toutes les violences")),
    ("commune", _("ailleurs qu'à proximité")),
]


@dataclass
class Suggestions:
    services: list[Service] = field(default_factory=list)
    relaxed: list[str] = field(default_factory=list)  # what was dropped, in words
    searched: bool = False  # False: the result has no directory filter


def national_numbers(codes: list[str]) -> list[NationalNumber]:
    """The active numbers of these codes, in the codes' order."""
    found = {n.code: n for n in NationalNumber.objects.filter(code__in=codes, is_active=True)}
    return [found[code] for code in codes if code in found]


def build_query(walk: Walk) -> Query:
    violence = walk.filters("violence")
    if violence and ALL_VIOLENCE not in violence:
        violence.append(ALL_VIOLENCE)
    flags = set(walk.filters("flags"))
    return Query(
        commune=walk.commune,
        violence=violence,
        help=walk.filters("help"),
        public=walk.filters("public"),
        open_now="open_now" in flags,
        free="free" in flags,
        anonymous="anonymous" in flags,
        minors="minors" in flags,
    )


def relax(query: Query, step: str) -> Query:
    if step == "conditions":
        return replace(query, open_now=False, free=False, anonymous=False)
    if step == "public":
        return replace(query, public=[], minors=False)
    if step == "violence":
        return replace(query, violence=[])
    return replace(query, commune=None)


def rows(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related("organisation").prefetch_related(
        "places__commune", "phones", "help_types"
    )


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def best_services(
    walk: Walk,
    *,
    user,
    territory: Territory | None,
    numbers: list[NationalNumber],
    limit: int = 3,
) -> Suggestions:
    """The `limit` best services for the walk's current result (see the module docstring)."""
    query = build_query(walk)
    if not (query.violence or query.help or query.public):
        return Suggestions()
    relaxed: list[str] = []
    candidates = list(services_for(query, user=user, rows=rows)[:CANDIDATES])
    for step, label in RELAXATIONS:
        if candidates:
            break
        query = relax(query, step)
        relaxed.append(str(label))
        candidates = list(services_for(query, user=user, rows=rows)[:CANDIDATES])
    shown = {digits(n.number) for n in numbers if n.number}
    candidates = [s for s in candidates if not only_a_number_shown(s, shown)]
    flags = set(walk.filters("flags"))
    area = set(territory.communes.values_list("pk", flat=True)) if territory else set()
    needs = walk.needs()

    def rank(service: Service) -> tuple:
        helps = {term.code for term in service.help_types.all()}
        urgent = "urgent" in flags and not (service.is_24_7 or service.urgent_response)
        remote = "remote" in flags and not service.remote
        return (
            -len(helps & set(needs)),
            urgent,
            nearness(service, walk.commune, area),
            remote,
            service.name.casefold(),
        )

    chosen: list[Service] = []
    organisations: set = set()
    for service in sorted(candidates, key=rank):
        if service.organisation_id in organisations:
            continue
        chosen.append(service)
        organisations.add(service.organisation_id)
        if len(chosen) == limit:
            break
    return Suggestions(services=chosen, relaxed=relaxed, searched=True)


def nearness(service: Service, commune: Commune | None, area: set[str]) -> int:
    """0 a place in the commune, 1 in the territory or covering it, 2 the département,
    3 national."""
    places = {place.commune_id for place in service.places.all()}
    if commune is not None and commune.pk in places:
        return 0
    if places & area or service.coverage in (Service.Coverage.COMMUNES, Service.Coverage.EPCI):
        return 1
    if service.coverage == Service.Coverage.DEPARTMENT:
        return 2
    return 3


def only_a_number_shown(service: Service, shown: set[str]) -> bool:
    """A phone line without a place whose every number is already on the screen."""
    phones = [digits(phone.number) for phone in service.phones.all()]
    return bool(phones) and not service.places.all() and all(p in shown for p in phones)


# -- contacts for a composed situation (composition.py) ----------------------------------------

EMERGENCY_SHORT_NUMBERS = {"15", "17", "18", "112", "114", "115", "119", "3919"}
KM_PER_DEGREE = 111.2


@dataclass
class Contact:
    service: Service
    kinds: list[str]  # the kinds it was chosen for, first the one asked
    phone: str  # its own number (never an emergency number)
    distance_km: float | None

    def as_json(self) -> dict:
        return {
            "name": self.service.name,
            "organisation": self.service.organisation.name,
            "kinds": self.kinds,
            "phone": self.phone,
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "url": self.service.get_absolute_url(),
        }


def accepts(service: Service, s: Situation) -> bool:
    """The service's public includes the person: sex, age, minors."""
    if s.asker == "author":
        return True  # a perpetrator programme is chosen by kind; its public is the author
    if service.gender == Service.Gender.WOMEN and s.victim_sex == "male":
        return False
    if service.gender == Service.Gender.MEN and s.victim_sex == "female":
        return False
    if s.victim_age is not None:
        if service.age_min is not None and s.victim_age < service.age_min:
            return False
        if service.age_max is not None and s.victim_age > service.age_max:
            return False
        # A women's service is for adult women; for a child exposed to violence in the couple
        # it is there for the mother.
        if (
            s.minor
            and service.gender == Service.Gender.WOMEN
            and not service.minors_accepted
            and "conjugal" not in s.forms
        ):
            return False
    publics = {term.code for term in service.publics.all()}
    return publics != {"auteurs"}


def own_phone(service: Service, *, professional: bool) -> str:
    """The first line the visitor may read that is the service's own (not 17, 115…)."""
    for phone in service.phones.all():
        if not professional and phone.visibility != "public":
            continue
        if digits(phone.number) in EMERGENCY_SHORT_NUMBERS:
            continue
        return phone.number
    return ""


def commune_point(commune: Commune | None) -> tuple[float, float] | None:
    """Where the commune is: the mean of the directory's places there (one query)."""
    if commune is None:
        return None
    from maillage.directory.models import Place

    point = Place.objects.filter(commune=commune, latitude__isnull=False).aggregate(
        lat=Avg("latitude"), lon=Avg("longitude")
    )
    if point["lat"] is None:
        return None
    return point["lat"], point["lon"]


def distance(service: Service, point: tuple[float, float] | None) -> float | None:
    if point is None:
        return None
    found = []
    for place in service.places.all():
        if place.latitude is None or place.longitude is None or place.hide_address:
            continue
        dlat = place.latitude - point[0]
        dlon = (place.longitude - point[1]) * math.cos(math.radians(point[0]))
        found.append(math.hypot(dlat, dlon) * KM_PER_DEGREE)
    return min(found) if found else None


def contacts_for_situation(
    kinds: list[str],
    s: Situation,
    *,
    user=None,
    territory: Territory | None = None,
    now: datetime | None = None,
    numbers: list[NationalNumber] | None = None,
    limit: int = 4,
) -> tuple[list[Contact], list[str]]:
    """One local service for each kind asked, in the kinds' order, `limit` at most: a service
    whose public excludes the person never; a service once (an organisation may answer for
    two kinds: the hospital's emergency department and its forensic unit); a line reached only by a
    national number already shown is left out. Among the services of a kind: open now (in an
    emergency, 24/7 first), the nearest, then the name. Returns the contacts and the kinds with
    no service that fits (the result then says so, the national numbers remain)."""
    from maillage.directory.models import sees_professional_records

    if not kinds:
        return [], []
    now = now or timezone.now()
    professional = sees_professional_records(user)
    services = (
        Service.objects.visible_to(user, now.date())
        .filter(kinds__code__in=kinds)
        .distinct()
        .select_related("organisation")
        .prefetch_related(
            "kinds",
            "publics",
            "phones",
            "places__commune",
            "closures",
            "opening_slots",
            "opening_exceptions",
        )
    )
    shown = {digits(n.number) for n in numbers or [] if n.number}
    candidates = [
        service
        for service in services
        if accepts(service, s) and not only_a_number_shown(service, shown)
    ]
    if not candidates:  # a directory without kinds of actor: nothing more to read
        return [], list(kinds)
    commune = Commune.objects.filter(pk=s.commune).first() if s.commune else None
    area = set(territory.communes.values_list("pk", flat=True)) if territory else set()
    point = commune_point(commune)
    urgent = s.danger_now or not s.can_speak

    def rank(service: Service) -> tuple:
        open_now = service.is_open_at(now)
        return (
            not (urgent and service.is_24_7),
            open_now is False,
            nearness(service, commune, area),
            distance(service, point) or 0,
            service.name.casefold(),
        )

    by_kind: dict[str, list[Service]] = {kind: [] for kind in kinds}
    for service in sorted(candidates, key=rank):
        for term in service.kinds.all():
            if term.code in by_kind:
                by_kind[term.code].append(service)
    chosen: list[Contact] = []
    taken: set = set()
    missing: list[str] = []
    for kind in kinds:
        if len(chosen) == limit:
            break
        already = next((c for c in chosen if kind in {t.code for t in c.service.kinds.all()}), None)
        if already is not None:
            if kind not in already.kinds:
                already.kinds.append(kind)
            continue
        service = next((sv for sv in by_kind[kind] if sv.pk not in taken), None)
        if service is None:
            missing.append(kind)
            continue
        taken.add(service.pk)
        chosen.append(
            Contact(
                service=service,
                kinds=[kind],
                phone=own_phone(service, professional=professional),
                distance_km=distance(service, point),
            )
        )
    return chosen, missing
