"""Registering people for sessions.

- Seats hold under concurrency: every change of a session's registrations first locks the
  session's row (`SELECT … FOR UPDATE` on PostgreSQL), so two registrations for the last seat
  are served one after the other. SQLite ignores FOR UPDATE but opens every transaction with
  BEGIN IMMEDIATE (settings: `transaction_mode`), which serialises writers: same result.
- No person twice in a session: checked under the lock for a clear French message, and held
  by a unique constraint on (session, normalised email) for the active registrations.
- Waiting list: when a seat frees, the first in line gets an offer valid for
  `TRAININGS_OFFER_HOURS` hours (48 by default); an offer not taken in time expires
  (`maillage training-offers`, or the task) and passes to the next.
- Emails leave after the transaction commits, through the background worker (tasks.py).

Views, commands, tasks and the demo all call these functions: a rule is written once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Commune, Organisation, Role, Territory, User

from .models import REGISTERING, Registration, Trainee, TrainingSession, normalise_email

R = Registration.Status
S = TrainingSession.Status


class RegistrationError(Exception):
    """A registration step refused; str(error) is a French message for the person."""


class RegistrationClosed(RegistrationError):
    """The session takes no registration now (status, deadline, already started)."""


class AlreadyRegistered(RegistrationError):
    """The person is already registered (or waiting, or offered a seat) for this session."""


class OfferUnavailable(RegistrationError):
    """The seat offered is no longer there (expired, taken, session cancelled)."""


class CannotCancel(RegistrationError):
    """The registration cannot be cancelled (already cancelled, session over)."""


@dataclass(frozen=True)
class Person:
    """Who is being registered. They need no account: `user` is set when they have one."""

    first_name: str
    last_name: str
    email: str
    function: str
    organisation: Organisation
    commune: Commune | None = None
    user: User | None = None


def staff_organisations(user: User, territory: Territory) -> QuerySet[Organisation]:
    """The organisations whose staff the user may register for a session of `territory`:
    all of them for its coordination (and administrators), their own for a referent."""
    in_territory = Organisation.objects.filter(territory=territory)
    if user.is_superuser or user.coordinated_territories().filter(pk=territory.pk).exists():
        return in_territory.order_by("name")
    return user.organisations(Role.Kind.REFERENT).order_by("name")


def offer_duration() -> timedelta:
    return timedelta(hours=getattr(settings, "TRAININGS_OFFER_HOURS", 48))


def lock_session(session_id: int) -> TrainingSession:
    """The session, its row locked until the end of the transaction (PostgreSQL)."""
    return TrainingSession.objects.select_for_update().get(pk=session_id)


def notify(registration: Registration, kind: str) -> None:
    """Email the person once the transaction commits, through the background worker."""
    from .tasks import send_registration_email

    transaction.on_commit(
        partial(send_registration_email.enqueue, registration_id=registration.pk, kind=kind)
    )


def sync_fullness(session: TrainingSession) -> None:
    """FULL when no seat is left, back to OPEN (or CONFIRMED) when one frees. Under the lock."""
    taken = session.count(*Registration.HOLDING_SEAT)
    if session.status in (S.OPEN, S.CONFIRMED) and taken >= session.capacity:
        session.status = S.FULL
    elif session.status == S.FULL and taken < session.capacity:
        session.status = S.CONFIRMED if session.confirmed_at else S.OPEN
    else:
        return
    session.save(update_fields=["status"])


def register_people(
    *,
    session: TrainingSession,
    people: Sequence[Person],
    by: User | None,
    notify_people: bool = True,
    now: datetime | None = None,
) -> list[Registration]:
    """Register several people at once (a referent's staff), all or none.

    Each gets a seat while there are some and nobody is waiting, else a place on the waiting
    list, in the order given. Raises RegistrationClosed or AlreadyRegistered (nothing written).
    """
    if not people:
        return []
    now = now or timezone.now()
    keys = [normalise_email(person.email) for person in people]
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise AlreadyRegistered(
                _("L'adresse %(email)s figure deux fois dans la liste.") % {"email": key}
            )
        seen.add(key)
    with transaction.atomic():
        locked = lock_session(session.pk)
        reason = locked.registration_closed_reason(now)
        if reason:
            raise RegistrationClosed(reason)
        already = list(
            locked.registrations.active()
            .filter(email_key__in=keys)
            .order_by("last_name")
            .values_list("first_name", "last_name", "email")
        )
        if already:
            names = ", ".join(f"{first} {last} ({email})" for first, last, email in already)
            raise AlreadyRegistered(
                _("Déjà inscrit·e à cette session : %(names)s.") % {"names": names}
                if len(already) == 1
                else _("Déjà inscrits à cette session : %(names)s.") % {"names": names}
            )
        seats = locked.capacity - locked.count(*Registration.HOLDING_SEAT)
        queue = locked.registrations.filter(status=R.WAITING).exists()
        created = []
        try:
            for person, key in zip(people, keys, strict=True):
                confirmed = seats > 0 and not queue
                if confirmed:
                    seats -= 1
                else:
                    queue = True
                trainee, _created = Trainee.objects.get_or_create(email_key=key)
                registration = Registration(
                    session=locked,
                    trainee=trainee,
                    user=person.user,
                    first_name=person.first_name.strip(),
                    last_name=person.last_name.strip(),
                    email=person.email.strip(),
                    email_key=key,
                    function=person.function.strip(),
                    organisation=person.organisation,
                    commune=person.commune or person.organisation.commune,
                    status=R.CONFIRMED if confirmed else R.WAITING,
                    confirmed_at=now if confirmed else None,
                    registered_by=by,
                    created_at=now,
                )
                registration.full_clean(validate_unique=False, validate_constraints=False)
                registration.save()
                created.append(registration)
        except IntegrityError as error:  # the constraint behind the check above
            raise AlreadyRegistered(
                _("Cette personne est déjà inscrite à cette session.")
            ) from error
        sync_fullness(locked)
        if notify_people:
            for registration in created:
                notify(
                    registration, "confirmed" if registration.status == R.CONFIRMED else "waiting"
                )
    return created


def register_person(
    *, session: TrainingSession, person: Person, by: User | None, notify_people: bool = True
) -> Registration:
    """Register one person (a professional registering themself)."""
    return register_people(session=session, people=[person], by=by, notify_people=notify_people)[0]


def offer_deadline(session: TrainingSession, now: datetime) -> datetime:
    """An offer lasts TRAININGS_OFFER_HOURS, and never past the start of the session."""
    deadline = now + offer_duration()
    starts_at = session.starts_at
    return min(deadline, starts_at) if starts_at else deadline


def offer_free_seats(
    session: TrainingSession, *, now: datetime | None = None, notify_people: bool = True
) -> list[Registration]:
    """Offer each free seat to the next in line. Call it with the session locked."""
    now = now or timezone.now()
    starts_at = session.starts_at
    if session.status not in REGISTERING or (starts_at and now >= starts_at):
        return []
    free = session.capacity - session.count(*Registration.HOLDING_SEAT)
    if free <= 0:
        return []
    offered = []
    for registration in session.registrations.waiting_line().select_for_update()[:free]:
        registration.status = R.OFFERED
        registration.offer_expires_at = offer_deadline(session, now)
        registration.save(update_fields=["status", "offer_expires_at"])
        if notify_people:
            notify(registration, "offered")
        offered.append(registration)
    return offered


def refresh_seats(session: TrainingSession) -> list[Registration]:
    """After a change of capacity: offer the new seats, or mark the session full."""
    with transaction.atomic():
        locked = lock_session(session.pk)
        offered = offer_free_seats(locked)
        sync_fullness(locked)
    return offered


def cancel_registration(
    *, registration: Registration, by: User | None, notify_person: bool = True
) -> Registration:
    """Cancel a registration (or decline an offer, or leave the waiting list).

    A freed seat is offered at once to the first in line.
    """
    with transaction.atomic():
        session = lock_session(registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in Registration.ACTIVE:
            raise CannotCancel(_("Cette inscription est déjà annulée."))
        if session.status == S.HELD:
            raise CannotCancel(_("La session a eu lieu : l'inscription ne peut plus être annulée."))
        freed = registration.status in Registration.HOLDING_SEAT
        registration.status = R.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.cancelled_by = by
        registration.offer_expires_at = None
        registration.save(
            update_fields=["status", "cancelled_at", "cancelled_by", "offer_expires_at"]
        )
        if notify_person:
            notify(registration, "cancelled")
        if freed:
            offer_free_seats(session)
        sync_fullness(session)
    return registration


def accept_offer(*, registration: Registration, now: datetime | None = None) -> Registration:
    """The person takes the seat offered to them, before the offer expires."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(registration.session_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == R.CONFIRMED:
            return registration
        if registration.status != R.OFFERED or session.status not in REGISTERING:
            raise OfferUnavailable(_("Cette proposition de place n'est plus valable."))
        if registration.offer_expires_at and registration.offer_expires_at <= now:
            raise OfferUnavailable(
                _("Cette proposition a expiré le %(date)s : la place est passée à la suite.")
                % {
                    "date": timezone.localtime(registration.offer_expires_at).strftime(
                        "%d/%m/%Y à %H:%M"
                    )
                }
            )
        registration.status = R.CONFIRMED
        registration.confirmed_at = now
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
        notify(registration, "confirmed")
        sync_fullness(session)
    return registration


def expire_offers(*, now: datetime | None = None) -> int:
    """Expire the offers not taken in time and pass each seat to the next in line.

    Idempotent: a periodic job (`maillage training-offers`) may run it as often as it likes.
    Returns the number of offers expired.
    """
    now = now or timezone.now()
    session_ids = (
        Registration.objects.filter(status=R.OFFERED, offer_expires_at__lte=now)
        .values_list("session_id", flat=True)
        .distinct()
    )
    expired = 0
    for session_id in list(session_ids):
        with transaction.atomic():
            session = lock_session(session_id)
            due = session.registrations.filter(
                status=R.OFFERED, offer_expires_at__lte=now
            ).select_for_update()
            for registration in due:
                registration.status = R.EXPIRED
                registration.save(update_fields=["status"])
                notify(registration, "offer_expired")
                expired += 1
            offer_free_seats(session, now=now)
            sync_fullness(session)
    return expired
