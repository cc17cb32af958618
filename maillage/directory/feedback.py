"""What keeps the directory right: freshness reminders, error reports from visitors, counts of
the vocabulary's words in searches that found nothing, and partners' proposed changes awaiting
moderation.

None of these tables holds anything about a visitor or a person who sought help, nor anything
the public typed in a search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Organisation, Territory

from .models import Service

__all__ = ["ChangeRequest", "ErrorReport", "FreshnessReminder", "ZeroResultTermCount"]


class FreshnessReminder(models.Model):
    """A reminder sent for one verification of a service: one only per verification period."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reminders")
    verified_on = models.DateField(_("vérification rappelée"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel de vérification")
        verbose_name_plural = _("rappels de vérification")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "verified_on"], name="freshness_reminder_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.verified_on:%d/%m/%Y})"


class ErrorReportQuerySet(models.QuerySet):
    def open(self) -> ErrorReportQuerySet:
        return self.filter(status=ErrorReport.Status.OPEN)


class ErrorReport(models.Model):
    """A visitor says a record is wrong. Nothing about the visitor is kept."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Le numéro de téléphone")
        ADDRESS = "address", _("L'adresse")
        HOURS = "hours", _("Les horaires")
        CLOSED = "closed", _("Le service a fermé")
        OTHER = "other", _("Autre chose")

    class Status(models.TextChoices):
        OPEN = "open", _("À traiter")
        CLOSED = "closed", _("Traité")

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="error_reports"
    )
    kind = models.CharField(_("ce qui est faux"), max_length=20, choices=Kind)
    message = models.CharField(_("précisions"), max_length=500, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_kind_display()}"


class ZeroResultTermCount(models.Model):
    """How many public searches that found nothing held this word of the known vocabulary, in
    a territory, in a month (zero_results.py). Never what was typed: a word outside the
    vocabulary (a name, a phone number, an address) is dropped before anything is written."""

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="zero_result_counts",
    )
    month = models.DateField(_("mois"))
    term = models.CharField(_("mot du vocabulaire"), max_length=40)
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("mot des recherches sans résultat")
        verbose_name_plural = _("mots des recherches sans résultat")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "month", "term"], name="zero_result_term_once_per_month"
            )
        ]
        indexes = [models.Index(fields=["month"], name="zero_result_term_month")]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.term} ({self.count})"


class ChangeRequestQuerySet(models.QuerySet):
    def pending(self) -> ChangeRequestQuerySet:
        return self.filter(status=ChangeRequest.Status.PENDING)


class ChangeRequest(models.Model):
    """A partner's proposed creation or edit of a service, applied once a coordinator approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REJECTED = "rejected", _("Refusée")

    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        help_text=_("Vide pour un nouveau service."),
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="service_change_requests",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # {"base": the record as the author saw it (None for a new service), "proposed": the record
    # as the author wants it}, both in the flat shape of moderation.service_data().
    data = models.JSONField(_("modifications proposées"))
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.PENDING)
    comment = models.TextField(_("commentaire de la coordination"), blank=True)
    created_at = models.DateTimeField(_("proposée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de modification")
        verbose_name_plural = _("demandes de modification")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def territory_id(self) -> int:
        """Read by the permission rules: the territory of the organisation."""
        return self.organisation.territory_id

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def title(self) -> str:
        return self.data.get("proposed", {}).get("name") or str(self.service or "")
