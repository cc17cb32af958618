"""Export in the data·inclusion v1 schema (package `data-inclusion-schema`): structures and
services, as the national platform and DORA exchange them.

Pure functions: a model in, a dict out, valid for `data_inclusion.schema.v1.Structure` and
`Service` (checked in the tests). Identifiers take the `<source>--<id>` form: a service keeps
its own (`Service.external_id`, so an imported service goes back out under its source's id);
an organisation has no source of its own and goes out as `maillage--<pk>`.

What the schema cannot hold (known losses):
- types of violence: no such vocabulary in data·inclusion; our types of help and publics go
  out only where the term is mapped (`Term.di_thematique`, `di_type`, `di_public`), a service
  has one `type` (the first mapped type of help) where we allow several;
- the summary (there is one description; the summary stands in when it is empty), the
  website of a service (it goes out as `lien_mobilisation` when there is no chat link),
  the SMS number, saturation, urgent response, 24/7 (kept in `horaires_accueil` as "24/7"),
  languages, accessibility (wheelchair, LSF, 114), age range and gender beyond the
  "femmes"/"jeunes" publics, which go out in words in `publics_precisions`;
- a single address and phone per service: the first place and the first public phone;
  the other places and phones are lost;
- coverage "EPCI" goes out as the EPCI's SIREN when the organisation's territory has one,
  else as the communes covered;
- who verified a record (`date_maj` is the day it was last verified, else last changed).
By design, never exported: services, phones and emails for professionals only; the address,
postal code and coordinates of a place whose address is hidden (its commune and INSEE code
only, with the extra field `maillage_adresse_confidentielle: true`, which the schema ignores and
our importer reads so that a round trip keeps the place hidden).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from maillage.core.models import Organisation

from ..models import Service
from .hsds import PREFETCH, opening_hours, public_email, public_phones

SOURCE = "maillage"
HIDDEN_ADDRESS = "maillage_adresse_confidentielle"


def structure_id(organisation) -> str:
    return f"{SOURCE}--{organisation.pk}"


def e164(number: str) -> str:
    """02 41 05 40 00 → +33241054000; short numbers (3919, 115) stay as they are."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    if len(digits) == 10 and digits.startswith("0"):
        return "+33" + digits[1:]
    return digits


def _date_maj(moment, verified_on: date | None = None) -> date:
    """The day the record was last verified, else last changed; never after today."""
    today = date.today()
    if verified_on is not None:
        return min(verified_on, today)
    if moment is None:
        return today
    return min(timezone.localdate(moment), today)


def _nom(name: str, fallback: str) -> str:
    """3 to 150 characters, not ending with a full stop."""
    name = name.strip().rstrip(".").strip() or fallback
    if len(name) < 3:
        name = f"{name} - {fallback}"
    return name[:150].rstrip(".")


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def with_last_change(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Annotate each organisation with the date of its last change (from its history)."""
    changes = Organisation.history.model.objects.filter(id=OuterRef("pk"))
    last = changes.order_by("-history_date").values("history_date")[:1]
    return organisations.annotate(last_change=Subquery(last))


def structure_record(organisation) -> dict[str, Any]:
    """A data·inclusion structure. `last_change` may be annotated on the organisation."""
    description = organisation.description.strip()
    record: dict[str, Any] = {
        "source": SOURCE,
        "id": structure_id(organisation),
        "nom": _nom(organisation.name, organisation.acronym or "Structure"),
        "date_maj": _date_maj(
            getattr(organisation, "last_change", None) or organisation.created_at
        ).isoformat(),
        "description": description[:10000] if len(description) >= 5 else None,
        "siret": organisation.siret,
        "site_web": organisation.website,
        "telephone": e164(organisation.public_phone) if organisation.public_phone else None,
        "courriel": organisation.public_email,
    }
    commune = organisation.commune
    if commune is not None:
        record["commune"] = commune.name
        record["code_insee"] = commune.insee_code
        record["adresse"] = organisation.address
        if len(commune.postal_codes or []) == 1:
            record["code_postal"] = commune.postal_codes[0]
    return _clean(record)


def _terms(terms: Iterable, attribute: str) -> list[str]:
    values = []
    for term in terms:
        value = getattr(term, attribute)
        if value and value not in values:
            values.append(value)
    return values


def _publics(service: Service) -> tuple[list[str] | None, str]:
    terms = list(service.publics.all())
    publics = _terms(terms, "di_public")
    if service.gender == Service.Gender.WOMEN and "femmes" not in publics:
        publics.append("femmes")
    words = []
    if terms:
        words.append("Publics : " + ", ".join(t.display_label for t in terms) + ".")
    if service.gender != Service.Gender.ALL:
        words.append(f"Réservé : {service.get_gender_display().lower()}.")
    if service.age_min is not None or service.age_max is not None:
        low = service.age_min if service.age_min is not None else 0
        words.append(
            f"De {low} à {service.age_max} ans."
            if service.age_max is not None
            else f"À partir de {low} ans."
        )
    if service.minors_accepted:
        words.append("Mineurs acceptés.")
    if not terms and service.gender == Service.Gender.ALL:
        return ["tous-publics"], " ".join(words)
    return (sorted(publics) or None), " ".join(words)


def _zone(service: Service) -> list[str] | None:
    if service.coverage == Service.Coverage.NATIONAL:
        return ["france"]
    if service.coverage == Service.Coverage.DEPARTMENT and service.coverage_department:
        return [service.coverage_department]
    if service.coverage == Service.Coverage.EPCI:
        siren = service.organisation.territory.epci_siren
        if siren:
            return [siren]
    codes = [c.insee_code for c in service.coverage_communes.all()]
    codes = codes or [p.commune_id for p in service.places.all()]
    return sorted(set(codes)) or None


def _place(service: Service) -> dict[str, Any]:
    """The first place: its commune always, its address and coordinates only when public."""
    place = min(service.places.all(), key=lambda p: p.pk, default=None)
    if place is None:
        return {}
    fields: dict[str, Any] = {"commune": place.commune.name, "code_insee": place.commune_id}
    if place.hide_address:
        # Not in the schema (ignored by it): tells our importer to keep the address hidden.
        fields[HIDDEN_ADDRESS] = True
    else:
        fields.update(
            adresse=place.address,
            code_postal=place.postal_code,
            latitude=place.latitude,
            longitude=place.longitude,
        )
    return fields


def service_record(service: Service, *, link: str = "") -> dict[str, Any]:
    """A data·inclusion service; `link` is the absolute URL of the service page, if known."""
    helps = list(service.help_types.all())
    phones = public_phones(service)
    email = public_email(service)
    lien = service.chat_url or service.website
    modes_mobilisation = []
    if phones:
        modes_mobilisation.append("telephoner")
    if email:
        modes_mobilisation.append("envoyer-un-courriel")
    if service.walk_in:
        modes_mobilisation.append("se-presenter")
    if lien:
        modes_mobilisation.append("utiliser-lien-mobilisation")
    modes_accueil = []
    if service.places.all():
        modes_accueil.append("en-presentiel")
    if service.remote:
        modes_accueil.append("a-distance")
    conditions = []
    if service.referral_only:
        conditions.append("Sur orientation ou réquisition seulement.")
    if service.is_anonymous:
        conditions.append("Anonymat possible.")
    precisions = []
    if service.by_appointment:
        precisions.append("Sur rendez-vous.")
    if service.walk_in:
        precisions.append("Sans rendez-vous.")
    if service.sms_number:
        precisions.append(f"SMS : {service.sms_number}.")
    publics, publics_precisions = _publics(service)
    description = (service.description or service.summary).strip()
    if len(description) < 5:
        description = f"{service.name} ({service.organisation.name})"
    types = _terms(helps, "di_type")
    record: dict[str, Any] = {
        "source": service.source,
        "id": service.external_id,
        "structure_id": structure_id(service.organisation),
        "nom": _nom(service.name, service.organisation.name),
        "description": description[:10000],
        "lien_source": link,
        "date_maj": _date_maj(service.updated_at, service.last_verified_on).isoformat(),
        "type": types[0] if types else None,
        "thematiques": sorted(_terms(helps, "di_thematique")) or None,
        "frais": "gratuit" if service.is_free else "payant",
        "publics": publics,
        "publics_precisions": publics_precisions,
        "conditions_acces": " ".join(conditions),
        **_place(service),
        "telephone": e164(phones[0].number) if phones else None,
        "courriel": email,
        "modes_accueil": modes_accueil,
        "zone_eligibilite": _zone(service),
        "lien_mobilisation": lien,
        "modes_mobilisation": modes_mobilisation,
        "mobilisable_par": (
            ["professionnels"] if service.referral_only else ["professionnels", "usagers"]
        ),
        "mobilisation_precisions": " ".join(precisions),
        "horaires_accueil": opening_hours(service),
    }
    return _clean(record)


def export_data_inclusion(services, *, base_url: str = "") -> dict[str, list[dict[str, Any]]]:
    """Structures and services of a queryset of services: {"structures": […], "services": […]}.

    `base_url` (https://host) makes `lien_source` point to each service's public page.
    """
    services = list(
        services.select_related("organisation__commune", "organisation__territory")
        .prefetch_related(*PREFETCH)
        .order_by("name", "pk")
    )
    organisations = with_last_change(
        Organisation.objects.filter(pk__in={s.organisation_id for s in services})
    ).select_related("commune")
    base = base_url.rstrip("/")
    return {
        "structures": [structure_record(o) for o in organisations.order_by("name", "pk")],
        "services": [
            service_record(s, link=f"{base}{s.get_absolute_url()}" if base else "")
            for s in services
        ],
    }
