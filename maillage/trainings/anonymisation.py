"""Registrants' personal data are kept TRAININGS_RETENTION_YEARS (3 by default) after the
session's last half-day, then anonymised by `maillage training-anonymise` or its task.

What goes: first and last name (replaced by « Personne anonymisée »), email and its key,
function, the link to an account — in the registration and in every historical row of it
(simple_history). The person's Trainee row loses its email once none of their registrations is
still within the retention time (a person trained again recently stays recognisable, so they
are not counted twice).

What stays: the registration itself with its session, organisation, commune, status and
attendance, and the Trainee row it points to. Every statistic (statistics.py) counts only those,
so the figures are exactly the same before and after.

Idempotent: an anonymised registration has an empty email (a real one never has), it is not
touched again. The rows are written with `update()`, which adds no historical row carrying the
old values.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.tasks import task
from django.utils import timezone

from .models import Registration, Trainee, TrainingSession

ANONYMISED_NAME = "Personne anonymisée"
DEFAULT_RETENTION_YEARS = 3
CLEARED = {
    "first_name": "",
    "last_name": ANONYMISED_NAME,
    "email": "",
    "email_key": "",
    "function": "",
    "user": None,
}


def retention_years() -> int:
    return int(getattr(settings, "TRAININGS_RETENTION_YEARS", DEFAULT_RETENTION_YEARS))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(today: date | None = None) -> date:
    """Sessions whose last half-day is before this date are past the retention time."""
    return years_before(today or timezone.localdate(), retention_years())


def expired_sessions(today: date | None = None):
    """Sessions past the retention time (without half-days: from their creation date)."""
    cutoff = retention_cutoff(today)
    return TrainingSession.objects.annotate(last_date=Max("slots__date")).filter(
        Q(last_date__lt=cutoff) | Q(last_date=None, created_at__date__lt=cutoff)
    )


def registrations_to_anonymise(today: date | None = None):
    return Registration.objects.filter(session__in=expired_sessions(today)).exclude(email="")


def anonymise_registrations(*, today: date | None = None) -> int:
    """Anonymise the registrations past the retention time; returns how many were."""
    with transaction.atomic():
        ids = list(registrations_to_anonymise(today).values_list("pk", flat=True))
        if not ids:
            return 0
        trainee_ids = set(
            Registration.objects.filter(pk__in=ids).values_list("trainee_id", flat=True)
        )
        for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
            chunk = ids[start : start + 500]
            Registration.objects.filter(pk__in=chunk).update(**CLEARED)
            Registration.history.filter(id__in=chunk).update(**CLEARED)
        # A person keeps their email only while one of their registrations still does.
        still_known = Registration.objects.filter(trainee_id__in=trainee_ids).exclude(email="")
        Trainee.objects.filter(pk__in=trainee_ids).exclude(
            pk__in=still_known.values("trainee_id")
        ).update(email_key=None)
    return len(ids)


@task
def anonymise_registrations_task() -> int:
    """For a scheduler that enqueues tasks rather than running `maillage training-anonymise`."""
    return anonymise_registrations()
