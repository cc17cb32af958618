"""The emails of the surveys: the invitation with the personal link, and the reminder.

Sent by the background worker (`send_survey_email`, enqueued on commit), from the rows as they
are when it runs: an invitation goes once (its `sent_at` is claimed first), a reminder only if
the organisation has still not answered.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from maillage.core.tasks import deliver

from .models import Invitation, Response

SUBJECTS = {
    "invitation": _("Enquête des signataires : %(title)s"),
    "reminder": _("Rappel — enquête des signataires : %(title)s"),
}


def site_url() -> str:
    """The public address for links in emails (SITE_URL, else the first allowed host)."""
    configured = settings.SITE_URL
    if configured:
        return configured.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return f"https://{hosts[0]}" if hosts else "http://localhost:8000"


def answer_url(invitation: Invitation) -> str:
    return site_url() + invitation.get_absolute_url()


def survey_message(invitation: Invitation, kind: str) -> EmailMessage:
    survey = invitation.survey
    context = {
        "survey": survey,
        "organisation": invitation.organisation.name,
        "answer_url": answer_url(invitation),
    }
    return EmailMessage(
        subject="[Maillage] " + str(SUBJECTS[kind] % {"title": survey.title}),
        body=render_to_string(f"network/surveys/email/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
    )


@task
def send_survey_email(*, invitation_id: int, kind: str) -> bool:
    """Send an invitation (once) or a reminder; False when there is nothing to say any more."""
    if kind not in SUBJECTS:
        raise ValueError(f"Unknown survey email: {kind}")
    invitation = (
        Invitation.objects.select_related("survey__contract__territory", "organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.survey.accepts_answers():
        return False
    if Response.objects.filter(
        survey_id=invitation.survey_id, organisation_id=invitation.organisation_id
    ).exists():
        return False
    if kind == "invitation" and not Invitation.objects.filter(
        pk=invitation.pk, sent_at=None
    ).update(sent_at=timezone.now()):
        return False  # already sent by another worker
    with translation.override(settings.LANGUAGE_CODE):
        deliver(survey_message(invitation, kind))
    return True
