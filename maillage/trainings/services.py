"""The life of a session, decided by the coordination: save it with its half-days, open
registrations, confirm it, mark it held, cancel it (which cancels its registrations and tells
the people registered)."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import User

from .models import InvalidTransition, Registration, TrainingSession
from .registration import lock_session, notify, offer_free_seats, sync_fullness

S = TrainingSession.Status
R = Registration.Status


def save_session(*, form, slots) -> TrainingSession:
    """Write the session and its half-days together (valid forms), then settle the seats."""
    with transaction.atomic():
        session = form.save()
        slots.instance = session
        slots.save()
        locked = lock_session(session.pk)
        offer_free_seats(locked)
        sync_fullness(locked)
    session.refresh_from_db()
    return session


def open_registrations(*, session: TrainingSession) -> TrainingSession:
    with transaction.atomic():
        locked = lock_session(session.pk)
        locked.set_status(S.OPEN)
        locked.save(update_fields=["status"])
        sync_fullness(locked)
    return locked


def confirm_session(*, session: TrainingSession) -> TrainingSession:
    """The session will take place: allowed once the module's minimum of registrants is met."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        if locked.confirmed_at and locked.status in (S.CONFIRMED, S.FULL):
            raise InvalidTransition(_("Cette session est déjà confirmée."))
        if locked.status != S.FULL:  # a full session stays full, now confirmed
            locked.set_status(S.CONFIRMED)
        minimum = locked.module.min_registrants
        confirmed = locked.count(R.CONFIRMED)
        if confirmed < minimum:
            raise InvalidTransition(
                _(
                    "Il faut au moins %(minimum)d inscrits pour confirmer la session "
                    "(%(count)d pour l'instant)."
                )
                % {"minimum": minimum, "count": confirmed}
            )
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
    return locked


def mark_held(*, session: TrainingSession) -> TrainingSession:
    """The session took place (its last half-day is today or past)."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        last = locked.last_slot
        if last is None or last.date > timezone.localdate():
            raise InvalidTransition(
                _("Une session ne peut être marquée réalisée qu'à partir de sa dernière date.")
            )
        locked.set_status(S.HELD)
        locked.save(update_fields=["status"])
        # Offers not taken in time are moot now.
        locked.registrations.filter(status=R.OFFERED).update(
            status=R.EXPIRED, offer_expires_at=None
        )
        # Certificates to those who qualify, the questionnaire to every attendee.
        from .tasks import follow_up_session

        transaction.on_commit(partial(follow_up_session.enqueue, session_id=locked.pk))
    return locked


def cancel_session(*, session: TrainingSession, by: User | None, reason: str) -> TrainingSession:
    """Cancel the session and every registration in it; each person gets an email."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        locked.set_status(S.CANCELLED)
        now = timezone.now()
        locked.cancelled_at = now
        locked.cancellation_reason = reason.strip()
        locked.save(update_fields=["status", "cancelled_at", "cancellation_reason"])
        for registration in locked.registrations.active().select_for_update():
            registration.status = R.CANCELLED
            registration.cancelled_at = now
            registration.cancelled_by = by
            registration.offer_expires_at = None
            registration.save(
                update_fields=["status", "cancelled_at", "cancelled_by", "offer_expires_at"]
            )
            notify(registration, "session_cancelled")
    return locked
