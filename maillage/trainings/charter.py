"""The nightlife charter (charte de la qualité de la vie nocturne, « Pas de soirée sans
respect »): bars, clubs and concert halls apply each year, the follow-up committee grants the
label or not, and their staff are trained through the ordinary trainings.

A venue is an Organisation of kind "nightlife" (core): no model of its own, so its staff
register like anyone's and the statistics count them as venue staff. These models are imported
at the end of models.py.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Organisation

__all__ = ["CharterApplication", "CharterCommitment", "LabelDecision", "venues"]


def venues(territories=None) -> models.QuerySet[Organisation]:
    """The organisations that are nightlife venues (bars, clubs…), in `territories` if given."""
    queryset = Organisation.objects.filter(kind=Organisation.Kind.NIGHTLIFE)
    if territories is not None:
        queryset = queryset.filter(territory__in=territories)
    return queryset


class CharterCommitment(models.TextChoices):
    """What a venue commits to when it applies (the charter's articles)."""

    TRAINING = "training", _("Former le personnel au repérage des violences sexistes et sexuelles")
    CAMPAIGN = "campaign", _("Afficher la campagne « Pas de soirée sans respect »")
    REFERENT = "referent", _("Désigner une personne référente dans l'équipe")
    SHELTER = "shelter", _("Mettre à l'abri une personne qui se sent en danger")
    ALERT = "alert", _("Appliquer le protocole d'alerte (17, 112, 114)")
    DRINKS = "drinks", _("Proposer des protections de verre et de l'eau gratuite")
    RIDE_HOME = "ride_home", _("Aider au retour en sécurité (taxi, transports)")


class LabelDecision(models.TextChoices):
    PENDING = "pending", _("En attente du comité")
    GRANTED = "granted", _("Label accordé")
    REFUSED = "refused", _("Label refusé")
    WITHDRAWN = "withdrawn", _("Label retiré")


class CharterApplicationQuerySet(models.QuerySet):
    def labelled(self, year: int | None = None) -> CharterApplicationQuerySet:
        """The applications granted the label for `year` (this year by default)."""
        return self.filter(year=year or timezone.localdate().year, decision=LabelDecision.GRANTED)

    def in_territories(self, territories) -> CharterApplicationQuerySet:
        return self.filter(venue__territory__in=territories)


class CharterApplication(models.Model):
    """A venue's application to the charter for one year, and the committee's decision."""

    Decision = LabelDecision
    Commitment = CharterCommitment

    venue = models.ForeignKey(
        Organisation,
        verbose_name=_("établissement"),
        on_delete=models.PROTECT,
        related_name="charter_applications",
        limit_choices_to={"kind": Organisation.Kind.NIGHTLIFE},
    )
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    contact_name = models.CharField(
        _("contact"), max_length=200, help_text=_("La personne qui porte la candidature.")
    )
    contact_email = models.EmailField(_("courriel du contact"), blank=True)
    commitments = models.JSONField(_("engagements"), default=list, blank=True)
    staff_count = models.PositiveSmallIntegerField(
        _("effectif"), default=0, help_text=_("Nombre de personnes travaillant dans le lieu.")
    )
    submitted_on = models.DateField(_("candidature déposée le"), default=timezone.localdate)
    decision = models.CharField(
        _("décision du comité"),
        max_length=20,
        choices=LabelDecision,
        default=LabelDecision.PENDING,
    )
    decided_on = models.DateField(_("décision du"), null=True, blank=True)
    decision_comment = models.TextField(
        _("commentaire"),
        blank=True,
        help_text=_("N'écrivez jamais rien sur une personne ni sur une situation."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords()

    objects = CharterApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidature à la charte de la vie nocturne")
        verbose_name_plural = _("candidatures à la charte de la vie nocturne")
        ordering = ["-year", "venue__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "year"],
                name="charter_application_once_a_year",
                violation_error_message=_("Cet établissement a déjà candidaté cette année-là."),
            ),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_on__isnull=False),
                name="charter_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue} — {self.year}"

    @property
    def territory_id(self) -> int:
        return self.venue.territory_id

    @property
    def is_labelled(self) -> bool:
        return self.decision == LabelDecision.GRANTED

    def commitment_labels(self) -> list[str]:
        labels = dict(CharterCommitment.choices)
        return [str(labels[code]) for code in self.commitments if code in labels]


def decide_label(
    *, application: CharterApplication, decision: str, on: date, comment: str = ""
) -> CharterApplication:
    """Record the follow-up committee's decision on an application (granted, refused,
    withdrawn, or back to pending, which clears the date)."""
    if decision not in LabelDecision.values:
        raise ValueError(f"Unknown label decision: {decision}")
    with transaction.atomic():
        application.decision = decision
        application.decided_on = None if decision == LabelDecision.PENDING else on
        application.decision_comment = comment.strip()
        application.save(update_fields=["decision", "decided_on", "decision_comment"])
    return application
