"""The emails of the trainings, rendered by the background worker (tasks.py) from the rows as
they are when it runs: a confirmation carries the convocation (PDF) and the session (.ics)."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Organisation

from .models import Registration, TrainingSession

SUBJECTS = {
    "confirmed": _("Inscription confirmée : %(title)s"),
    "waiting": _("Liste d'attente : %(title)s"),
    "offered": _("Une place s'est libérée : %(title)s"),
    "offer_expired": _("Proposition de place expirée : %(title)s"),
    "cancelled": _("Inscription annulée : %(title)s"),
    "session_cancelled": _("Session annulée : %(title)s"),
    "reminder": _("Rappel : %(title)s, le %(date)s"),
}
KINDS = frozenset(SUBJECTS)


def site_url() -> str:
    """The public address for links in emails and feeds (SITE_URL, else the first host)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return f"https://{hosts[0]}" if hosts else "http://localhost:8000"


def file_stem(title: str) -> str:
    """A file name from a title: slug, at most 80 characters, cut between words."""
    stem = slugify(title) or "formation"
    if len(stem) > 80:
        stem = stem[:81].rsplit("-", 1)[0]
    return stem


def session_context(session: TrainingSession) -> dict:
    base = site_url()
    return {
        "session": session,
        "module": session.module,
        "slots": session.slot_list,
        "place": session.full_place,
        "session_url": base + session.get_absolute_url(),
    }


def _subject(kind: str, session: TrainingSession) -> str:
    first = session.first_slot
    values = {
        "title": session.module.title,
        "date": first.date.strftime("%d/%m/%Y") if first else "",
    }
    return f"[Maillage] {str(SUBJECTS[kind]) % values}"


def registration_message(
    registration: Registration, kind: str, *, days_before: int = 0
) -> EmailMessage:
    """The email of one step of a registration (`kind`: one of KINDS)."""
    from .ical import registration_calendar
    from .pdf import convocation_pdf

    session = registration.session
    base = site_url()
    context = {
        **session_context(session),
        "registration": registration,
        "access_url": base + registration.access_url(),
        "calendar_url": base + registration.trainee.calendar_url(),
        "position": registration.waiting_position() or 0,
        "days_before": days_before,
    }
    message = EmailMessage(
        subject=_subject(kind, session),
        body=render_to_string(f"trainings/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
    if kind == "confirmed":
        name = file_stem(session.module.title)
        message.attach(f"convocation-{name}.pdf", convocation_pdf(registration), "application/pdf")
        message.attach(
            f"{name}.ics", registration_calendar(registration), "text/calendar; charset=utf-8"
        )
    return message


def referent_reminder_message(
    *,
    session: TrainingSession,
    organisation: Organisation,
    registrations: Sequence[Registration],
    days_before: int,
    to: list[str],
) -> EmailMessage:
    """To a referent: who of their organisation goes to the session, N days before."""
    context = {
        **session_context(session),
        "organisation": organisation,
        "registrations": registrations,
        "days_before": days_before,
        "workspace_url": site_url() + reverse("trainings:workspace"),
    }
    return EmailMessage(
        subject=_subject("reminder", session),
        body=render_to_string("trainings/email/referent_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def certificate_message(certificate) -> EmailMessage:
    """To an attendee after the session: their attendance certificate (PDF attached)."""
    from .certificates import certificate_pdf, verification_url

    registration = certificate.registration
    session = registration.session
    base = site_url()
    context = {
        **session_context(session),
        "registration": registration,
        "access_url": base + registration.access_url(),
        "verification_url": verification_url(certificate),
    }
    message = EmailMessage(
        subject="[Maillage] "
        + str(_("Votre attestation de formation : %(title)s") % {"title": session.module.title}),
        body=render_to_string("trainings/email/certificate.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
    message.attach(
        f"attestation-{file_stem(session.module.title)}.pdf",
        certificate_pdf(certificate),
        "application/pdf",
    )
    return message


def evaluation_message(invitation) -> EmailMessage:
    """To an attendee after the session: the one-time link to the anonymous questionnaire."""
    registration = invitation.registration
    session = registration.session
    context = {
        **session_context(session),
        "registration": registration,
        "evaluation_url": site_url() + invitation.get_absolute_url(),
    }
    return EmailMessage(
        subject="[Maillage] "
        + str(_("Votre avis sur la formation : %(title)s") % {"title": session.module.title}),
        body=render_to_string("trainings/email/evaluation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.email],
    )
