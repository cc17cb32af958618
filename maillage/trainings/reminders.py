"""Reminders 7 days and 1 day before a session, to each person registered and to their
organisation's referents. Sent once: a Reminder row per registration and delay, unique."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from maillage.core.models import Role, User

from .models import Registration, Reminder, TrainingSession, local_timezone

REMINDER_DAYS = (7, 1)  # longest first
REMINDED_STATUSES = (
    TrainingSession.Status.OPEN,
    TrainingSession.Status.CONFIRMED,
    TrainingSession.Status.FULL,
)


def referent_emails(organisation_id: int) -> list[str]:
    return sorted(
        User.objects.filter(
            is_active=True, roles__kind=Role.Kind.REFERENT, roles__organisation_id=organisation_id
        )
        .values_list("email", flat=True)
        .distinct()
    )


def due_registrations(days: int, today: date) -> list[Registration]:
    """Confirmed registrations of sessions starting within `days` days (and after the next,
    shorter reminder's window), confirmed before the reminder's day, not yet reminded."""
    shorter = [d for d in REMINDER_DAYS if d < days]
    lower = today + timedelta(days=max(shorter, default=0))
    sessions = (
        TrainingSession.objects.with_dates()
        .filter(status__in=REMINDED_STATUSES)
        .filter(first_date__gt=lower, first_date__lte=today + timedelta(days=days))
    )
    due = []
    for session in sessions:
        reminder_day = datetime.combine(
            session.first_date - timedelta(days=days), time(0), tzinfo=local_timezone()
        )
        due += list(
            session.registrations.filter(
                status=Registration.Status.CONFIRMED, confirmed_at__lt=reminder_day
            )
            .exclude(reminders__days_before=days)
            .order_by("pk")
        )
    return due


def send_reminders(*, today: date | None = None) -> int:
    """Send the reminders due today; running it again sends nothing more. Returns the number
    of people reminded."""
    from .tasks import send_referent_reminder, send_registration_email

    today = today or timezone.localdate()
    sent = 0
    for days in REMINDER_DAYS:
        by_organisation: dict[tuple[int, int], list[Registration]] = defaultdict(list)
        for registration in due_registrations(days, today):
            try:
                with transaction.atomic():
                    Reminder.objects.create(registration=registration, days_before=days)
                    transaction.on_commit(
                        partial(
                            send_registration_email.enqueue,
                            registration_id=registration.pk,
                            kind="reminder",
                            days_before=days,
                        )
                    )
            except IntegrityError:  # another run sent it meanwhile
                continue
            sent += 1
            by_organisation[(registration.session_id, registration.organisation_id)].append(
                registration
            )
        for (session_id, organisation_id), registrations in by_organisation.items():
            registrant_emails = {r.email_key for r in registrations}
            to = [e for e in referent_emails(organisation_id) if e.lower() not in registrant_emails]
            if not to:
                continue
            transaction.on_commit(
                partial(
                    send_referent_reminder.enqueue,
                    session_id=session_id,
                    organisation_id=organisation_id,
                    registration_ids=[r.pk for r in registrations],
                    days_before=days,
                    to=to,
                )
            )
    return sent
