"""Partners' self-service: a referent's creation or edit of a service waits for the
territory's coordination; a coordinator's own edit applies at once.

A record travels as a flat, JSON-ready dict (service_data): the service's main fields, its
terms as codes, one place, its phones and its exceptional hours of today and later (past ones
are history: an edit never touches them). A change request keeps the record as its author saw
it ("base") and as they want it ("proposed"); approving applies only what the author changed,
so an edit made in between by someone else is not undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from maillage.core.models import Commune, Organisation, User

from .feedback import ChangeRequest
from .freshness import coordinators_of, send_email, site_url
from .geocoding import geocode_later
from .models import OpeningException, Place, Service, ServicePhone, Term, Visibility
from .search import reindex
from .services import save_service

FIELDS = [
    "name",
    "summary",
    "description",
    "is_free",
    "is_anonymous",
    "walk_in",
    "by_appointment",
    "referral_only",
    "remote",
    "email",
    "website",
    "is_24_7",
    "saturation",
    "visibility",
    "status",
    "suspended_until",
]
TERMS = {
    "violence_types": Term.Vocabulary.VIOLENCE,
    "help_types": Term.Vocabulary.HELP,
    "publics": Term.Vocabulary.PUBLIC,
}
PLACE_FIELDS = ["name", "address", "postal_code", "commune", "hide_address"]
PHONE_FIELDS = ["label", "number", "visibility"]
LABELS = {
    "place": gettext_lazy("Lieu"),
    "phones": gettext_lazy("Téléphones"),
    "exceptions": gettext_lazy("Horaires exceptionnels"),
}


class NothingChanged(Exception):
    """The proposed record is the current one."""


class AlreadyDecided(Exception):
    """The request was approved or rejected meanwhile."""


class CannotApply(Exception):
    """The proposed data no longer validates (French message)."""


# The flat record


def service_data(service: Service | None) -> dict | None:
    if service is None:
        return None
    data = {name: getattr(service, name) for name in FIELDS}
    if data["suspended_until"]:
        data["suspended_until"] = data["suspended_until"].isoformat()
    for relation in TERMS:
        data[relation] = sorted(t.code for t in getattr(service, relation).all())
    place = service.places.order_by("pk").first()
    data["place"] = (
        {
            "name": place.name,
            "address": place.address,
            "postal_code": place.postal_code,
            "commune": place.commune_id,
            "hide_address": place.hide_address,
        }
        if place
        else None
    )
    data["phones"] = [
        {"label": p.label, "number": p.number, "visibility": p.visibility}
        for p in service.phones.all()
    ]
    data["exceptions"] = exception_rows(service)
    return data


def exception_rows(service: Service, *, today: date | None = None) -> list[dict]:
    """The exceptional hours of today and later, by date and hour, JSON-ready."""
    first = today or timezone.localdate()
    return [
        {
            "on": e.on.isoformat(),
            "opens": None if e.is_closed else f"{e.opens:%H:%M}",
            "closes": None if e.is_closed else f"{e.closes:%H:%M}",
            "notice": e.notice,
        }
        for e in sorted(service.opening_exceptions.all(), key=OpeningException.sort_key)
        if e.on >= first
    ]


def changed_keys(base: dict | None, proposed: dict) -> list[str]:
    keys = [*FIELDS, *TERMS, "place", "phones", "exceptions"]
    if base is None:
        return keys
    return [key for key in keys if base.get(key) != proposed.get(key)]


# Showing a change


def label_of(key: str) -> str:
    if key in LABELS:
        return str(LABELS[key])
    return str(Service._meta.get_field(key).verbose_name).capitalize()


def display(key: str, value) -> str:
    """A value as a person reads it in the diff view."""
    if value in (None, "", []):
        return "—"
    if key in TERMS:
        labels = dict(
            Term.objects.filter(vocabulary=TERMS[key], code__in=value).values_list("code", "label")
        )
        return ", ".join(labels.get(code, code) for code in value)
    if key == "place":
        commune = Commune.objects.filter(pk=value["commune"]).first()
        parts = [value["name"], value["address"], f"{value['postal_code']} {commune or ''}"]
        text = ", ".join(p.strip() for p in parts if p.strip())
        return text + (" " + _("(adresse confidentielle)") if value["hide_address"] else "")
    if key == "phones":
        visibilities = dict(Visibility.choices)
        return " ; ".join(
            f"{p['label']} {p['number']} ({visibilities.get(p['visibility'], '')})".strip()
            for p in value
        )
    if key == "exceptions":
        return " ; ".join(
            date_format(date.fromisoformat(e["on"]), "j F Y")
            + " "
            + (f"{e['opens']}-{e['closes']}" if e["opens"] else _("fermé"))
            + (f" ({e['notice']})" if e["notice"] else "")
            for e in value
        )
    if key == "suspended_until":
        return date_format(date.fromisoformat(value), "j F Y")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    field = Service._meta.get_field(key)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


@dataclass
class DiffRow:
    key: str
    label: str
    current: str
    proposed: str
    changed_since: bool  # someone changed the field after the request was made


def diff(change: ChangeRequest) -> list[DiffRow]:
    base, proposed = change.data["base"], change.data["proposed"]
    current = service_data(change.service)
    rows = []
    for key in changed_keys(base, proposed):
        now = current.get(key) if current else None
        if current is None and proposed.get(key) in (None, "", [], False):
            continue
        rows.append(
            DiffRow(
                key=key,
                label=label_of(key),
                current=display(key, now),
                proposed=display(key, proposed.get(key)),
                changed_since=base is not None and current is not None and now != base.get(key),
            )
        )
    return rows


# Writing


def _apply_place(service: Service, data: dict | None) -> None:
    place = service.places.order_by("pk").first()
    if data is None:
        if place is not None:
            place.delete()
        return
    place = place or Place(service=service)
    moved = place.address != data["address"] or place.commune_id != data["commune"]
    for name in PLACE_FIELDS:
        setattr(place, "commune_id" if name == "commune" else name, data[name])
    if moved or place.hide_address:
        # Coordinates of an old address would place the service wrongly, and a confidential
        # place keeps none; the new address is geocoded after the commit (geocoding.py).
        place.latitude = place.longitude = None
    place.full_clean()
    place.save()
    geocode_later(place)


def _apply_phones(service: Service, phones: list[dict]) -> None:
    existing = list(service.phones.all())
    for position, data in enumerate(phones):
        phone = existing[position] if position < len(existing) else ServicePhone(service=service)
        before = [getattr(phone, name) for name in PHONE_FIELDS] + [phone.position]
        for name in PHONE_FIELDS:
            setattr(phone, name, data[name])
        phone.position = position
        if phone.pk is None or before != [data[n] for n in PHONE_FIELDS] + [position]:
            phone.full_clean()
            phone.save()
    for phone in existing[len(phones) :]:
        phone.delete()


def _apply_exceptions(service: Service, rows: list[dict]) -> None:
    """Replace the exceptions of today and later by these rows; rows that stay the same are
    left as they are (no history row), past dates are never touched."""
    today = timezone.localdate()
    wanted = [
        (
            date.fromisoformat(row["on"]),
            time.fromisoformat(row["opens"]) if row["opens"] else None,
            time.fromisoformat(row["closes"]) if row["closes"] else None,
            row["notice"],
        )
        for row in rows
        if date.fromisoformat(row["on"]) >= today
    ]
    for exception in service.opening_exceptions.filter(on__gte=today):
        key = (exception.on, exception.opens, exception.closes, exception.notice)
        if key in wanted:
            wanted.remove(key)
        else:
            exception.delete()
    for on, opens, closes, notice in wanted:
        exception = OpeningException(
            service=service, on=on, opens=opens, closes=closes, notice=notice
        )
        exception.full_clean()
        exception.save()


@transaction.atomic
def apply_data(
    *,
    organisation: Organisation,
    service: Service | None,
    data: dict,
    keys: list[str],
    by: User,
    reason: str = "",
) -> Service:
    """Write these keys of the flat record (one transaction; history records each row)."""
    service = service or Service(organisation=organisation)
    for key in keys:
        if key not in FIELDS:
            continue
        value = data[key]
        if key == "suspended_until" and value:
            value = date.fromisoformat(value)
        if key == "saturation" and value != service.saturation:
            service.saturation_updated_at = timezone.now()
        setattr(service, key, value)
    if reason:
        service._change_reason = reason
    terms = {
        relation: Term.objects.filter(vocabulary=TERMS[relation], code__in=data[relation])
        for relation in TERMS
        if relation in keys
    }
    save_service(service, terms=terms, by=by)
    if "place" in keys:
        _apply_place(service, data["place"])
    if "phones" in keys:
        _apply_phones(service, data["phones"])
    if "exceptions" in keys:
        _apply_exceptions(service, data.get("exceptions") or [])
    reindex([service])
    return service


def submit_change(
    *, organisation: Organisation, service: Service | None, base: dict | None, data: dict, by: User
) -> Service | ChangeRequest:
    """A coordinator's edit applies now; anyone else's becomes a change request."""
    keys = changed_keys(base, data)
    if not keys:
        raise NothingChanged
    if by.has_perm("directory.moderate", organisation):
        try:
            return apply_data(
                organisation=organisation, service=service, data=data, keys=keys, by=by
            )
        except ValidationError as error:
            raise CannotApply(" ".join(error.messages)) from error
    with transaction.atomic():
        change = ChangeRequest.objects.create(
            service=service,
            organisation=organisation,
            author=by,
            data={"base": base, "proposed": data},
        )
        send_email(
            subject=_("Modification à valider : « %(name)s »") % {"name": change.title},
            template="directory/workspace/email/change_submitted.txt",
            context={"change": change, "url": site_url() + change_url(change)},
            to=sorted({u.email for u in coordinators_of(organisation)}),
        )
    return change


def change_url(change: ChangeRequest) -> str:
    return reverse("directory:change", args=[change.pk])


@transaction.atomic
def approve_change(*, change: ChangeRequest, by: User, comment: str = "") -> Service:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise AlreadyDecided
    base, proposed = change.data["base"], change.data["proposed"]
    service = Service.objects.select_for_update().filter(pk=change.service_id).first()
    if change.service_id and service is None:
        raise CannotApply(_("Le service n'existe plus."))
    try:
        service = apply_data(
            organisation=change.organisation,
            service=service,
            data=proposed,
            keys=changed_keys(base, proposed),
            by=by,
            reason=_("Demande n° %(pk)s de %(author)s")
            % {"pk": change.pk, "author": change.author},
        )
    except ValidationError as error:
        raise CannotApply(" ".join(error.messages)) from error
    _decide(change, status=ChangeRequest.Status.APPROVED, by=by, comment=comment)
    change.service = service
    change.save(update_fields=["service"])
    return service


@transaction.atomic
def reject_change(*, change: ChangeRequest, by: User, comment: str) -> ChangeRequest:
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise AlreadyDecided
    if not comment.strip():
        raise CannotApply(_("Dites à l'auteur pourquoi la modification est refusée."))
    _decide(change, status=ChangeRequest.Status.REJECTED, by=by, comment=comment)
    return change


def _decide(change: ChangeRequest, *, status: str, by: User, comment: str) -> None:
    change.status = status
    change.comment = comment.strip()
    change.decided_at = timezone.now()
    change.decided_by = by
    change.save(update_fields=["status", "comment", "decided_at", "decided_by"])
    if change.author and change.author.email:
        approved = status == ChangeRequest.Status.APPROVED
        subject = (
            _("Votre modification de « %(name)s » est acceptée")
            if approved
            else _("Votre modification de « %(name)s » est refusée")
        )
        send_email(
            subject=subject % {"name": change.title},
            template="directory/workspace/email/change_decided.txt",
            context={"change": change, "approved": approved},
            to=[change.author.email],
        )
