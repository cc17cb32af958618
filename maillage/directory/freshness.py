"""Keeping the directory current: verification reminders with a one-click "still up to date"
link, error reports from visitors, and the coordinator's freshness figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import Organisation, Role, User
from maillage.core.ratelimit import within_limit
from maillage.core.tasks import enqueue_email

from .feedback import ErrorReport, FreshnessReminder
from .models import FRESHNESS, Service, ServiceQuerySet
from .services import mark_verified

REMINDER_AFTER = timedelta(days=152)  # about 5 months: a month before the record goes stale
TOKEN_MAX_AGE = timedelta(days=30)
TOKEN_SALT = "maillage.directory.still-up-to-date"  # noqa: S105 - a namespace, not a secret
REPORTS_PER_HOUR = 5  # per visitor address (hashed), against spam


class InvalidLink(Exception):
    """A "still up to date" link that cannot be used; the message says why, in French."""


def site_url() -> str:
    """The public address for links in emails (setting SITE_URL, else the first allowed host)."""
    configured = getattr(settings, "SITE_URL", "")
    if configured:
        return configured.rstrip("/")
    hosts = [h for h in settings.ALLOWED_HOSTS if h and not h.startswith(".") and h != "*"]
    return f"https://{hosts[0]}" if hosts else "http://localhost:8000"


def referents_of(organisation: Organisation):
    return User.objects.filter(
        is_active=True, roles__kind=Role.Kind.REFERENT, roles__organisation=organisation
    ).distinct()


def coordinators_of(organisation: Organisation):
    return User.objects.filter(
        is_active=True,
        roles__kind=Role.Kind.COORDINATOR,
        roles__territory_id=organisation.territory_id,
    ).distinct()


def send_email(*, subject: str, template: str, context: dict, to: list[str]) -> None:
    """Render now, send after the transaction commits (through the background worker)."""
    if not to:
        return
    message = EmailMessage(
        subject=f"[Maillage] {subject}",
        body=render_to_string(template, context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )
    transaction.on_commit(lambda: enqueue_email(message))


# One-click "still up to date" links


def make_token(service: Service, user: User) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(
        {"service": str(service.pk), "user": user.pk}
    )


def read_token(token: str) -> tuple[Service, User]:
    """The service and the referent a link was sent for, or InvalidLink with a French message."""
    try:
        payload = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(
            token, max_age=TOKEN_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise InvalidLink(
            _(
                "Ce lien a expiré : il vaut 30 jours. Connectez-vous à votre espace pour "
                "confirmer que la fiche est à jour."
            )
        ) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise InvalidLink(
            _("Ce lien n'est pas valide. Vérifiez qu'il a été copié en entier.")
        ) from error
    service = Service.objects.select_related("organisation").filter(pk=payload["service"]).first()
    user = User.objects.filter(pk=payload["user"], is_active=True).first()
    if service is None or user is None or not user.has_perm("directory.change_service", service):
        raise InvalidLink(
            _("Ce lien n'est plus valable : la fiche ou votre rôle dans la structure a changé.")
        )
    return service, user


def confirm_still_up_to_date(*, token: str) -> Service:
    service, user = read_token(token)
    return mark_verified(service, by=user)


# Reminders


def due_for_reminder(at: date | None = None) -> ServiceQuerySet:
    """Published services last verified between 5 and 6 months ago, not yet reminded."""
    today = at or timezone.localdate()
    return (
        Service.objects.published(today)
        .filter(
            last_verified_on__lte=today - REMINDER_AFTER,
            last_verified_on__gte=today - FRESHNESS,
        )
        .exclude(
            Exists(
                FreshnessReminder.objects.filter(
                    service=OuterRef("pk"), verified_on=OuterRef("last_verified_on")
                )
            )
        )
        .select_related("organisation")
        .order_by("last_verified_on", "pk")
    )


def send_freshness_reminders(*, at: date | None = None, base_url: str = "") -> int:
    """Email the referents of each service due for a reminder, once per verification period.

    Idempotent (a daily cron job): the reminder row is unique on (service, verified_on).
    """
    today = at or timezone.localdate()
    base = (base_url or site_url()).rstrip("/")
    sent = 0
    for service in due_for_reminder(today):
        referents = list(referents_of(service.organisation))
        if not referents:
            continue
        try:
            with transaction.atomic():
                FreshnessReminder.objects.create(
                    service=service, verified_on=service.last_verified_on
                )
                for referent in referents:
                    send_email(
                        subject=_("La fiche « %(name)s » est-elle toujours à jour ?")
                        % {"name": service.name},
                        template="directory/workspace/email/reminder.txt",
                        context={
                            "service": service,
                            "stale_on": service.last_verified_on + FRESHNESS,
                            "confirm_url": base
                            + reverse(
                                "directory:still_up_to_date", args=[make_token(service, referent)]
                            ),
                            "edit_url": base + reverse("directory:service_edit", args=[service.pk]),
                        },
                        to=[referent.email],
                    )
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


# Figures for the coordinator


@dataclass
class Freshness:
    published: int
    fresh: int

    @property
    def stale(self) -> int:
        return self.published - self.fresh

    @property
    def percent(self) -> int:
        return round(100 * self.fresh / self.published) if self.published else 100


def freshness_of(services: ServiceQuerySet, at: date | None = None) -> Freshness:
    published = services.published(at)
    total = published.count()
    return Freshness(published=total, fresh=total - published.stale(at).count())


# Error reports


class TooManyReports(Exception):
    """The same address sent too many reports within the hour."""


def check_report_rate(client_address: str) -> None:
    """At most REPORTS_PER_HOUR per address (only a keyed hash of it is kept, for the hour)."""
    if not within_limit("reports", client_address, limit=REPORTS_PER_HOUR, window_seconds=3600):
        raise TooManyReports


@transaction.atomic
def report_error(*, service: Service, kind: str, message: str) -> ErrorReport:
    """Record a visitor's report and tell the referents and the territory's coordination."""
    report = ErrorReport(service=service, kind=kind, message=message.strip())
    report.full_clean()
    report.save()
    recipients = {u.email for u in referents_of(service.organisation)}
    recipients |= {u.email for u in coordinators_of(service.organisation)}
    send_email(
        subject=_("Erreur signalée sur la fiche « %(name)s »") % {"name": service.name},
        template="directory/workspace/email/error_report.txt",
        context={
            "report": report,
            "service": service,
            "reports_url": site_url() + reverse("directory:reports"),
            "edit_url": site_url() + reverse("directory:service_edit", args=[service.pk]),
        },
        to=sorted(recipients),
    )
    return report


@transaction.atomic
def close_report(*, report: ErrorReport, by: User) -> ErrorReport:
    report.status = ErrorReport.Status.CLOSED
    report.closed_at = timezone.now()
    report.closed_by = by
    report.save(update_fields=["status", "closed_at", "closed_by"])
    return report
