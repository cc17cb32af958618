"""Background work of the trainings, run by `maillage db_worker` (immediately in the tests)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from maillage.core.models import Organisation

from .emails import KINDS, referent_reminder_message, registration_message
from .models import Registration, TrainingSession

R = Registration.Status
# What a registration must still be for its email to make sense when the worker sends it.
EXPECTED_STATUS = {
    "confirmed": R.CONFIRMED,
    "waiting": R.WAITING,
    "offered": R.OFFERED,
    "reminder": R.CONFIRMED,
}


@task
def send_registration_email(*, registration_id: int, kind: str, days_before: int = 0) -> bool:
    """Render and send one email of a registration (with its attachments). False when the
    registration is gone (nothing to say any more)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown training email: {kind}")
    registration = (
        Registration.objects.select_related(
            "session__module__territory", "session__commune", "trainee", "organisation"
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != EXPECTED_STATUS.get(
        kind, registration.status
    ):
        return False  # things moved on before the worker ran: the email would mislead
    with translation.override(settings.LANGUAGE_CODE):
        registration_message(registration, kind, days_before=days_before).send()
    return True


@task
def send_referent_reminder(
    *,
    session_id: int,
    organisation_id: int,
    registration_ids: list[int],
    days_before: int,
    to: list[str],
) -> None:
    session = TrainingSession.objects.select_related("module", "commune").get(pk=session_id)
    registrations = list(
        Registration.objects.filter(pk__in=registration_ids).order_by("last_name", "first_name")
    )
    with translation.override(settings.LANGUAGE_CODE):
        referent_reminder_message(
            session=session,
            organisation=Organisation.objects.get(pk=organisation_id),
            registrations=registrations,
            days_before=days_before,
            to=to,
        ).send()


@task
def expire_offers_task() -> int:
    """For a scheduler that enqueues tasks rather than running `maillage training-offers`."""
    from .registration import expire_offers

    return expire_offers()


@task
def send_reminders_task() -> int:
    """For a scheduler that enqueues tasks rather than running `maillage training-reminders`."""
    from .reminders import send_reminders

    return send_reminders()
