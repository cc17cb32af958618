"""The reminders to the pilots of the action plan: N days before each COPIL (14 and 3), the
referents of every organisation piloting an open action sheet of the contract are asked to
update their sheets. Sent once per meeting, pilot and delay: a PlanReminder row records it
(unique), so the daily command `maillage plan-reminders` is safe to run twice."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillage.core.models import Organisation, Role, User
from maillage.core.tasks import enqueue_email

from .models import ActionSheet, Meeting, PlanReminder

REMINDER_DAYS = (14, 3)  # longest first
# The sheets a pilot is asked to update: those not closed.
OPEN_FOR_UPDATE = ("to_start", "in_progress", "postponed")


def site_url() -> str:
    """The public address for links in emails (SITE_URL, else the first allowed host)."""
    if settings.SITE_URL:
        return settings.SITE_URL.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return f"https://{hosts[0]}" if hosts else "http://localhost:8000"


def referent_emails(organisation: Organisation) -> list[str]:
    return sorted(
        User.objects.filter(
            is_active=True, roles__kind=Role.Kind.REFERENT, roles__organisation=organisation
        )
        .values_list("email", flat=True)
        .distinct()
    )


def due_meetings(days: int, today: date) -> list[Meeting]:
    """Planned COPILs within `days` days, beyond the window of the next, shorter reminder."""
    shorter = [d for d in REMINDER_DAYS if d < days]
    lower = today + timedelta(days=max(shorter, default=0))
    return list(
        Meeting.objects.filter(
            kind=Meeting.Kind.COPIL,
            status=Meeting.Status.PLANNED,
            starts_at__date__gt=lower,
            starts_at__date__lte=today + timedelta(days=days),
        )
        .select_related("contract__territory")
        .order_by("starts_at", "pk")
    )


def plan_reminder_message(
    *, meeting: Meeting, organisation: Organisation, sheets: list, days_before: int, to: list[str]
) -> EmailMessage:
    base = site_url()
    starts_at = timezone.localtime(meeting.starts_at)
    context = {
        "meeting": meeting,
        "starts_at": starts_at,
        "organisation": organisation,
        "sheets": [(sheet, base + sheet.get_absolute_url()) for sheet in sheets],
        "days_before": days_before,
        "plan_url": base + reverse("network:plan", args=[meeting.contract_id]),
    }
    subject = _("Avant le COPIL du %(date)s : mettez à jour vos fiches action") % {
        "date": starts_at.strftime("%d/%m/%Y")
    }
    return EmailMessage(
        subject=f"[Maillage] {subject}",
        body=render_to_string("network/email/plan_reminder.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def send_plan_reminders(*, today: date | None = None) -> int:
    """Send the reminders due today; running it again sends nothing more. Returns the number
    of emails sent (one per meeting, pilot organisation and delay)."""
    today = today or timezone.localdate()
    sent = 0
    for days in REMINDER_DAYS:
        for meeting in due_meetings(days, today):
            sheets = (
                ActionSheet.objects.of_contract(meeting.contract)
                .filter(status__in=OPEN_FOR_UPDATE)
                .select_related("pilot", "priority")
            )
            by_pilot: dict[Organisation, list[ActionSheet]] = {}
            for sheet in sheets:
                by_pilot.setdefault(sheet.pilot, []).append(sheet)
            for organisation, pilot_sheets in sorted(by_pilot.items(), key=lambda i: i[0].name):
                to = referent_emails(organisation)
                if not to:
                    continue
                try:
                    with transaction.atomic():
                        PlanReminder.objects.create(
                            meeting=meeting,
                            organisation=organisation,
                            days_before=days,
                            recipients=to,
                        )
                        with translation.override(settings.LANGUAGE_CODE):
                            message = plan_reminder_message(
                                meeting=meeting,
                                organisation=organisation,
                                sheets=pilot_sheets,
                                days_before=days,
                                to=to,
                            )
                        transaction.on_commit(lambda message=message: enqueue_email(message))
                except IntegrityError:  # already sent (by an earlier or concurrent run)
                    continue
                sent += 1
    return sent
