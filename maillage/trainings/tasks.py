"""Background work of the trainings, run by `maillage db_worker` (immediately in the tests)."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.utils import translation

from maillage.core.models import Organisation
from maillage.core.tasks import deliver

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
        deliver(registration_message(registration, kind, days_before=days_before))
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
        deliver(
            referent_reminder_message(
                session=session,
                organisation=Organisation.objects.get(pk=organisation_id),
                registrations=registrations,
                days_before=days_before,
                to=to,
            )
        )


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


@task
def follow_up_session(*, session_id: int) -> dict[str, int]:
    """After a session is held: certificates to those who qualify, the questionnaire to every
    attendee. Idempotent: run again after a late attendance correction, it sends only what
    was not sent yet."""
    from django.utils import timezone

    from .certificates import eligible_registrations, issue_certificate
    from .emails import certificate_message, evaluation_message
    from .evaluation import invite_attendees
    from .models import Certificate, EvaluationInvitation

    session = TrainingSession.objects.select_related("module__territory").get(pk=session_id)
    if session.status != TrainingSession.Status.HELD:
        return {"certificates": 0, "invitations": 0}
    sent = {"certificates": 0, "invitations": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for registration in eligible_registrations(session):
            certificate = issue_certificate(registration=registration)
            # Claim the sending first, so two workers never send the same certificate twice.
            if Certificate.objects.filter(pk=certificate.pk, emailed_at=None).update(
                emailed_at=timezone.now()
            ):
                deliver(certificate_message(certificate))
                sent["certificates"] += 1
        invite_attendees(session)
        pending = EvaluationInvitation.objects.filter(
            registration__session=session, sent_at=None
        ).select_related("registration__session__module")
        for invitation in pending:
            if EvaluationInvitation.objects.filter(pk=invitation.pk, sent_at=None).update(
                sent_at=timezone.now()
            ):
                deliver(evaluation_message(invitation))
                sent["invitations"] += 1
    return sent
