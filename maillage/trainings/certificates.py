"""Attendance certificates (attestations de formation): only for real attendees.

Rule: a certificate is issued for a confirmed registration of a session marked held, when the
share of half-days attended (present or late) reaches the module's threshold
(`Module.certificate_threshold`, 100 % by default). It is issued once, with a random
verification code; the PDF carries that code and a QR code to the public verification page,
which shows only the name, the module, the dates and whether it is valid.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.translation import gettext as _

from maillage.directory.pdf import render_pdf

from .attendance import registrants
from .emails import site_url
from .models import Attendance, Certificate, Registration, TrainingSession, TrainingSlot


class NotEligible(Exception):
    """No certificate for this registration; the message says why, in French."""


@dataclass(frozen=True)
class AttendedSlots:
    slots: list[TrainingSlot]
    total: int

    @property
    def hours(self) -> Decimal:
        minutes = sum((slot.ends_at - slot.starts_at).total_seconds() // 60 for slot in self.slots)
        return (Decimal(int(minutes)) / 60).quantize(Decimal("0.1"))


def attended_slots(registration: Registration) -> AttendedSlots:
    slots = registration.session.slot_list
    attended = set(
        registration.attendances.filter(status__in=Attendance.ATTENDED).values_list(
            "slot_id", flat=True
        )
    )
    return AttendedSlots([slot for slot in slots if slot.pk in attended], len(slots))


def ineligibility(registration: Registration) -> str:
    """Why this registration gets no certificate (French), or "" when it does."""
    session = registration.session
    if session.status != TrainingSession.Status.HELD:
        return _("L'attestation est délivrée une fois la session marquée réalisée.")
    if registration.status != Registration.Status.CONFIRMED:
        return _("Cette inscription n'a pas été suivie.")
    attended = attended_slots(registration)
    threshold = session.module.certificate_threshold
    if not attended.total or len(attended.slots) * 100 < threshold * attended.total:
        return _(
            "Présence insuffisante : %(attended)d demi-journée(s) sur %(total)d, il en faut "
            "%(threshold)d %% pour l'attestation."
        ) % {"attended": len(attended.slots), "total": attended.total, "threshold": threshold}
    return ""


def is_eligible(registration: Registration) -> bool:
    return not ineligibility(registration)


def issue_certificate(*, registration: Registration) -> Certificate:
    """The registration's certificate, issued now if it was not yet; NotEligible otherwise.

    A certificate once issued stays valid (attendance corrected afterwards does not revoke
    it silently: the coordination deletes it in the admin if it must be withdrawn).
    """
    existing = Certificate.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    reason = ineligibility(registration)
    if reason:
        raise NotEligible(reason)
    with transaction.atomic():
        certificate, _created = Certificate.objects.get_or_create(registration=registration)
    return certificate


def eligible_registrations(session: TrainingSession) -> list[Registration]:
    return [r for r in registrants(session) if is_eligible(r)]


def verification_url(certificate: Certificate) -> str:
    return site_url() + certificate.get_absolute_url()


def qr_code_data_uri(text: str) -> str:
    """A QR code as an SVG data: URI (no file, no network, nothing for WeasyPrint to fetch)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def certificate_pdf(certificate: Certificate) -> bytes:
    registration = certificate.registration
    session = registration.session
    module = session.module
    attended = attended_slots(registration)
    url = verification_url(certificate)
    return render_pdf(
        "trainings/pdf/certificate.html",
        {
            "certificate": certificate,
            "registration": registration,
            "session": session,
            "module": module,
            "attended": attended,
            "trainers": list(session.trainers.order_by("last_name", "first_name")),
            "territory": module.territory,
            "verification_url": url,
            "qr_code": qr_code_data_uri(url),
        },
        title=_("Attestation de formation — %(name)s") % {"name": registration.full_name},
    )
