"""Export in Open Referral HSDS 3.0 (https://docs.openreferral.org), and opening hours as
OpenStreetMap `opening_hours` strings.

Records are strictly valid against the HSDS 3.0 JSON schemas (checked in the tests with
`additionalProperties: false` everywhere). HSDS wants UUIDs for every object: services keep
their own; organisations, places, phones, slots and terms get stable UUIDs derived from their
primary key (`stable_id`), so that two exports of the same data carry the same ids.

What HSDS cannot hold, or what we choose not to give it:
- addresses and coordinates of places whose address is hidden: the location keeps the
  commune (name and INSEE code as external identifier) and nothing else, by design;
- phones and an email for professionals only, and services for professionals only: never
  exported (the export is public);
- saturation ("places ce soir"), urgent response and the SMS/chat channels have no HSDS field:
  the SMS number becomes a phone of type "text", the chat link a virtual location, the rest
  is lost;
- summary: HSDS has a single description (the summary is used only when the description is
  empty); dated closures: the current and coming ones are written in `alert`;
- exceptional hours (OpeningException) of today and later: one schedule per row, valid on
  that date only (`valid_from` = `valid_to` = `dtstart`, weekly on its weekday, `count` 1),
  its hours in `opens_at`/`closes_at`, none when closed all day; `notes` says that they
  replace the usual hours of that date (HSDS has no way to say it) and `description` gives
  the date's OpenStreetMap rule. An exception on a day of closure is left out: the closure
  wins (Service.is_open_at);
- the taxonomy (types of violence, of help, publics) goes out as `attributes` pointing to
  our own taxonomy terms (taxonomy "maillage-<vocabulary>"); the data·inclusion mapping of the
  terms is not repeated here;
- who verified a record (a person) is never exported, only the date (`assured_date`).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.utils import timezone

from ..models import (
    Closure,
    OpeningException,
    OpeningSlot,
    Place,
    Service,
    ServicePhone,
    Term,
    Visibility,
)

NAMESPACE = uuid.UUID("9a6b8a4e-3c55-4f2e-9a59-2f0f1e6f4d11")  # Maillage's UUID namespace
OSM_DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
OSM_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
ISO_639 = {"lsf": "fsl"}  # our language codes that are not ISO 639 codes


def stable_id(kind: str, pk: object) -> str:
    """A UUID that stays the same from one export to the next for the same row."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{pk}"))


def _clock(moment) -> str:
    return f"{moment:%H:%M}"


def _days(weekdays: list[int]) -> str:
    """Mo-Fr for runs of three days or more, Mo,We otherwise."""
    parts: list[str] = []
    runs: list[list[int]] = []
    for day in sorted(weekdays):
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{OSM_DAYS[run[0]]}-{OSM_DAYS[run[-1]]}")
        else:
            parts.extend(OSM_DAYS[day] for day in run)
    return ",".join(parts)


def _osm_date(day: date) -> str:
    return f"{day.year} {OSM_MONTHS[day.month - 1]} {day.day:02d}"


def weekly_rules(slots: list[OpeningSlot]) -> list[tuple[list[int], list[tuple[str, str]]]]:
    """Days sharing the same hours, by first day: [([0, 2], [("09:00", "12:00")])]."""
    hours_by_day: dict[int, list[tuple[str, str]]] = {}
    for slot in sorted(slots, key=lambda s: (s.weekday, s.opens)):
        hours_by_day.setdefault(slot.weekday, []).append((_clock(slot.opens), _clock(slot.closes)))
    rules: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for day, hours in sorted(hours_by_day.items()):
        rules.setdefault(tuple(hours), []).append(day)
    return [(days, list(hours)) for hours, days in rules.items()]


def _spans(exceptions: list[OpeningException]) -> str:
    """The hours of one exceptional date: "09:00-12:00,14:00-16:00", or "off"."""
    if any(exception.is_closed for exception in exceptions):
        return "off"
    return ",".join(f"{_clock(e.opens)}-{_clock(e.closes)}" for e in exceptions)


def opening_hours(service: Service, *, today: date | None = None) -> str:
    """The OpenStreetMap `opening_hours` string: "Mo,We 09:00-12:00; Tu 14:00-17:30", "24/7".

    The weekly rules (or 24/7) come first; then, by date, the dated rules of today and later,
    which override them on their dates as the syntax wants (a later rule replaces what an
    earlier one says of the same day): each exceptional date with its hours ("2026 Dec 24
    09:00-12:00", "2027 May 01 off"), each closure ("2026 Aug 01-2026 Aug 15 off"). An
    exception on a day of closure is left out (the closure wins), so the dated rules never
    overlap. Empty when the service gives no regular hours: a dated rule alone would say
    "closed every other day".
    """
    if service.is_24_7:
        rules = ["24/7"]
    else:
        rules = [
            f"{_days(days)} {','.join(f'{opens}-{closes}' for opens, closes in hours)}"
            for days, hours in weekly_rules(list(service.opening_slots.all()))
        ]
    if not rules:
        return ""
    dated: list[tuple[date, str]] = [
        (day, f"{_osm_date(day)} {_spans(exceptions)}")
        for day, exceptions in coming_exceptions(service, today=today).items()
    ]
    for closure in coming_closures(service, today=today):
        if closure.starts_on == closure.ends_on:
            dated.append((closure.starts_on, f"{_osm_date(closure.starts_on)} off"))
        else:
            span = f"{_osm_date(closure.starts_on)}-{_osm_date(closure.ends_on)}"
            dated.append((closure.starts_on, f"{span} off"))
    rules += [rule for _day, rule in sorted(dated, key=lambda item: item[0])]
    return "; ".join(rules)


def coming_closures(service: Service, *, today: date | None = None) -> list[Closure]:
    day = today or timezone.localdate()
    return [closure for closure in service.closures.all() if closure.ends_on >= day]


def coming_exceptions(
    service: Service, *, today: date | None = None
) -> dict[date, list[OpeningException]]:
    """Exceptional dates from today on, in order, each with its rows; those on a day of
    closure are left out (the closure wins)."""
    first = today or timezone.localdate()
    closures = coming_closures(service, today=first)
    by_day: dict[date, list[OpeningException]] = {}
    for exception in sorted(service.opening_exceptions.all(), key=OpeningException.sort_key):
        day = exception.on
        if day >= first and not any(c.starts_on <= day <= c.ends_on for c in closures):
            by_day.setdefault(day, []).append(exception)
    return by_day


def public_phones(service: Service) -> list[ServicePhone]:
    return [phone for phone in service.phones.all() if phone.visibility == Visibility.PUBLIC]


def public_email(service: Service) -> str:
    return service.email if service.email_visibility == Visibility.PUBLIC else ""


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """HSDS fields are optional but typed: leave out the empty ones rather than send nulls."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def address_record(*, kind: str, pk: object, street: str, postal_code: str, commune) -> dict:
    return {
        "id": stable_id(f"{kind}-address", pk),
        "address_1": street,
        "city": commune.name,
        "state_province": commune.department,
        "postal_code": postal_code,
        "country": "FR",
        "address_type": "physical",
    }


def location_record(place: Place, *, wheelchair: bool = False) -> dict[str, Any]:
    """A place; a hidden one says its commune and nothing that would let anyone find it."""
    location_id = stable_id("place", place.pk)
    record: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        # A hidden place's own name could give it away (a shelter's residence): commune only.
        "name": place.commune.name if place.hide_address else (place.name or place.commune.name),
        "external_identifier": place.commune.insee_code,
        "external_identifier_type": "code INSEE de la commune",
    }
    if place.hide_address:
        record["description"] = (
            f"Adresse confidentielle, communiquée par téléphone. Commune : {place.commune.name}."
        )
        return record
    record["latitude"] = place.latitude
    record["longitude"] = place.longitude
    if place.address:
        address = address_record(
            kind="place",
            pk=place.pk,
            street=place.address,
            postal_code=place.postal_code,
            commune=place.commune,
        )
        record["addresses"] = [{**address, "location_id": location_id}]
    if wheelchair:
        record["accessibility"] = [
            {
                "id": stable_id("place-accessibility", place.pk),
                "location_id": location_id,
                "description": "Accessible en fauteuil roulant",
            }
        ]
    return _compact(record)


def organization_record(organisation) -> dict[str, Any]:
    """An HSDS organization: identity, public contacts, SIRET, public address."""
    organization_id = stable_id("organisation", organisation.pk)
    record: dict[str, Any] = {
        "id": organization_id,
        "name": organisation.name,
        "alternate_name": organisation.acronym,
        "description": organisation.description or organisation.name,
        "email": organisation.public_email,
        "website": organisation.website,
    }
    if organisation.public_phone:
        record["phones"] = [
            {
                "id": stable_id("organisation-phone", organisation.pk),
                "organization_id": organization_id,
                "number": organisation.public_phone,
                "type": "voice",
            }
        ]
    if organisation.siret:
        record["organization_identifiers"] = [
            {
                "id": stable_id("organisation-siret", organisation.pk),
                "organization_id": organization_id,
                "identifier_scheme": "FR-SIRET",
                "identifier_type": "SIRET",
                "identifier": organisation.siret,
            }
        ]
    if organisation.address and organisation.commune:
        location_id = stable_id("organisation-location", organisation.pk)
        postal_codes = organisation.commune.postal_codes or [""]
        address = address_record(
            kind="organisation",
            pk=organisation.pk,
            street=organisation.address,
            postal_code=postal_codes[0],
            commune=organisation.commune,
        )
        record["locations"] = [
            {
                "id": location_id,
                "location_type": "physical",
                "organization_id": organization_id,
                "name": organisation.name,
                "addresses": [{**address, "location_id": location_id}],
            }
        ]
    return _compact(record)


def _status(service: Service, today: date) -> str:
    if service.status == Service.Status.PUBLISHED:
        return "active"
    if service.status == Service.Status.SUSPENDED:
        if service.suspended_until and service.suspended_until < today:
            return "active"
        return "temporarily closed"
    if service.status == Service.Status.ARCHIVED:
        return "defunct"
    return "inactive"


def exception_schedule_records(
    service: Service, *, today: date | None = None
) -> list[dict[str, Any]]:
    """Exceptional hours of today and later as HSDS schedules valid on their date only."""
    service_id = str(service.pk)
    records = []
    for day, exceptions in coming_exceptions(service, today=today).items():
        for exception in exceptions:
            when = day.isoformat()
            record: dict[str, Any] = {
                "id": stable_id("schedule-exception", exception.pk),
                "service_id": service_id,
                "valid_from": when,
                "valid_to": when,
                "dtstart": when,
                "freq": "WEEKLY",
                "wkst": "MO",
                "count": 1,
                "byday": RRULE_DAYS[day.weekday()],
            }
            if exception.is_closed:
                record["description"] = f"{_osm_date(day)} off"
                notes = "Fermé toute la journée, exceptionnellement."
            else:
                hours = f"{_clock(exception.opens)}-{_clock(exception.closes)}"
                record.update(
                    opens_at=_clock(exception.opens),
                    closes_at=_clock(exception.closes),
                    description=f"{_osm_date(day)} {hours}",
                )
                notes = "Horaires exceptionnels : ils remplacent les horaires habituels ce jour-là."
            record["notes"] = f"{notes} {exception.notice}" if exception.notice else notes
            records.append(record)
    return records


def schedule_records(service: Service, *, today: date | None = None) -> list[dict[str, Any]]:
    """Weekly slots as HSDS schedules (one per set of days sharing the same hours), then the
    exceptional hours of today and later (exception_schedule_records)."""
    return _weekly_schedule_records(service) + exception_schedule_records(service, today=today)


def _weekly_schedule_records(service: Service) -> list[dict[str, Any]]:
    service_id = str(service.pk)
    if service.is_24_7:
        return [
            {
                "id": stable_id("schedule-24-7", service.pk),
                "service_id": service_id,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": ",".join(RRULE_DAYS),
                "opens_at": "00:00",
                "closes_at": "23:59",
                "description": "24/7",
                "notes": "Ouvert 24 h/24, 7 j/7.",
            }
        ]
    slots = list(service.opening_slots.all())
    records = []
    for days, hours in weekly_rules(slots):
        for opens, closes in hours:
            first = next(s for s in slots if s.weekday == days[0] and _clock(s.opens) == opens)
            records.append(
                {
                    "id": stable_id("schedule", first.pk),
                    "service_id": service_id,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": ",".join(RRULE_DAYS[day] for day in days),
                    "opens_at": opens,
                    "closes_at": closes,
                    # The same rule in the OpenStreetMap `opening_hours` syntax.
                    "description": f"{_days(days)} {opens}-{closes}",
                }
            )
    return records


def _attribute(service: Service, term: Term) -> dict[str, Any]:
    term_id = stable_id("term", term.pk)
    return {
        "id": stable_id(f"service-term:{service.pk}", term.pk),
        "link_id": str(service.pk),
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": term_id,
        "value": term.code,
        "taxonomy_term": {
            "id": term_id,
            "code": term.code,
            "name": term.display_label,
            "description": term.description or term.label,
            "taxonomy": f"maillage-{term.vocabulary}",
            "language": "fr",
        },
    }


def _eligibility(service: Service) -> str:
    parts = []
    publics = [t.display_label for t in service.publics.all()]
    if publics:
        parts.append("Publics : " + ", ".join(publics) + ".")
    if service.gender != Service.Gender.ALL:
        parts.append(f"Réservé : {service.get_gender_display().lower()}.")
    if service.minors_accepted:
        parts.append("Mineurs acceptés.")
    return " ".join(parts)


def _application_process(service: Service) -> str:
    parts = []
    if service.walk_in:
        parts.append("Sans rendez-vous.")
    if service.by_appointment:
        parts.append("Sur rendez-vous.")
    if service.referral_only:
        parts.append("Sur orientation ou réquisition seulement.")
    if service.is_anonymous:
        parts.append("Anonymat possible.")
    return " ".join(parts)


def _interpretation(service: Service) -> str:
    parts = []
    if service.sign_language:
        parts.append("Accueil en langue des signes (LSF).")
    if service.reachable_by_114:
        parts.append("Joignable par le 114 (personnes sourdes ou malentendantes).")
    return " ".join(parts)


def _alert(service: Service, today: date) -> str:
    notices = []
    for closure in coming_closures(service, today=today):
        notice = f"Fermé du {closure.starts_on:%d/%m/%Y} au {closure.ends_on:%d/%m/%Y}"
        notices.append(f"{notice} : {closure.notice}" if closure.notice else f"{notice}.")
    return " ".join(notices)


def _service_areas(service: Service) -> list[dict[str, Any]]:
    service_id = str(service.pk)
    if service.coverage == Service.Coverage.NATIONAL:
        areas = [("france", "France entière")]
    elif service.coverage == Service.Coverage.DEPARTMENT and service.coverage_department:
        areas = [(service.coverage_department, f"Département {service.coverage_department}")]
    else:
        areas = [(c.insee_code, c.name) for c in service.coverage_communes.all()]
    return [
        {
            "id": stable_id(f"service-area:{service.pk}", code),
            "service_id": service_id,
            "name": name,
            "extent_type": "text",
            "extent": code,
        }
        for code, name in areas
    ]


def service_record(service: Service, *, today: date | None = None) -> dict[str, Any]:
    """An HSDS service with its organization, locations, phones, schedules and taxonomy."""
    today = today or timezone.localdate()
    service_id = str(service.pk)
    phones = [
        _compact(
            {
                "id": stable_id("phone", phone.pk),
                "service_id": service_id,
                "number": phone.number,
                "type": "voice",
                "description": phone.label,
            }
        )
        for phone in public_phones(service)
    ]
    if service.sms_number:
        phones.append(
            {
                "id": stable_id("service-sms", service.pk),
                "service_id": service_id,
                "number": service.sms_number,
                "type": "text",
                "description": "SMS",
            }
        )
    places = sorted(service.places.all(), key=lambda p: p.pk)
    at_locations = []
    for place in places:
        location = location_record(place, wheelchair=service.wheelchair_accessible)
        at_locations.append(
            {
                "id": stable_id("service-at-place", place.pk),
                "service_id": service_id,
                "location_id": location["id"],
                "location": location,
            }
        )
    if service.remote and service.chat_url:
        location_id = stable_id("service-chat", service.pk)
        at_locations.append(
            {
                "id": stable_id("service-at-chat", service.pk),
                "service_id": service_id,
                "location_id": location_id,
                "location": {
                    "id": location_id,
                    "location_type": "virtual",
                    "name": "Tchat",
                    "url": service.chat_url,
                },
            }
        )
    terms = [
        *service.violence_types.all(),
        *service.help_types.all(),
        *service.publics.all(),
    ]
    record = {
        "id": service_id,
        "organization_id": stable_id("organisation", service.organisation_id),
        "name": service.name,
        "description": service.description or service.summary or service.name,
        "url": service.website,
        "email": public_email(service),
        "status": _status(service, today),
        "interpretation_services": _interpretation(service),
        "application_process": _application_process(service),
        "fees_description": "Gratuit" if service.is_free else "Payant",
        "eligibility_description": _eligibility(service),
        "minimum_age": service.age_min,
        "maximum_age": service.age_max,
        "assured_date": service.last_verified_on.isoformat() if service.last_verified_on else "",
        "alert": _alert(service, today),
        "last_modified": service.updated_at.isoformat() if service.updated_at else "",
        "phones": phones,
        "schedules": schedule_records(service, today=today),
        "service_areas": _service_areas(service),
        "service_at_locations": at_locations,
        "languages": [
            {
                "id": stable_id(f"service-language:{service.pk}", language.pk),
                "service_id": service_id,
                "name": language.label,
                "code": ISO_639.get(language.code, language.code),
            }
            for language in service.languages.all()
        ],
        "organization": organization_record(service.organisation),
        "attributes": [_attribute(service, term) for term in terms],
    }
    return _compact(record)


PREFETCH = [
    "phones",
    "places__commune",
    "opening_slots",
    "closures",
    "opening_exceptions",
    "coverage_communes",
    "violence_types",
    "help_types",
    "publics",
    "languages",
]


def export_hsds(services) -> dict[str, list[dict[str, Any]]]:
    """The organizations and services of a queryset of services, in HSDS 3.0."""
    services = list(services.select_related("organisation__commune").prefetch_related(*PREFETCH))
    organisations = {s.organisation_id: s.organisation for s in services}
    ordered = sorted(organisations.values(), key=lambda o: (o.name, o.pk))
    return {
        "organizations": [organization_record(o) for o in ordered],
        "services": [service_record(s) for s in services],
    }
