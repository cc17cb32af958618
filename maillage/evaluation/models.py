"""Indicators of the contract: definitions, targets and values per period.

An indicator's value comes from one of three sources: computed from the platform's own records
(`computations.py`), entered by the partners for a period (`IndicatorValue`), or fed by a
question of a survey of signatories (the network app links its questions to an indicator).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Contract, Organisation, Priority
from maillage.trainings.models import Module


class IndicatorQuerySet(models.QuerySet):
    def for_contract(self, contract: Contract) -> IndicatorQuerySet:
        return self.filter(contract=contract)

    def headline(self) -> IndicatorQuerySet:
        return self.filter(is_headline=True)


class Indicator(models.Model):
    """What the contract measures, how, and how much it aims for."""

    class Level(models.TextChoices):
        MEANS = "means", _("Moyens")
        OUTPUT = "output", _("Réalisation")
        OUTCOME = "outcome", _("Résultat")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Calculé par la plateforme")
        ENTERED = "entered", _("Saisi par les partenaires")
        SURVEY = "survey", _("Enquête auprès des signataires")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Mensuelle")
        QUARTERLY = "quarterly", _("Trimestrielle")
        YEARLY = "yearly", _("Annuelle")
        CONTRACT = "contract", _("Une fois par contrat")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contrat"), on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Identifiant court, unique dans le contrat, par exemple personnes-formees."),
    )
    title = models.CharField(_("intitulé"), max_length=300)
    definition = models.TextField(
        _("définition"), blank=True, help_text=_("Ce qui est compté, et ce qui ne l'est pas.")
    )
    unit = models.CharField(
        _("unité"), max_length=40, help_text=_("Par exemple personnes, sessions, exemplaires, %.")
    )
    level = models.CharField(_("niveau"), max_length=20, choices=Level, default=Level.OUTPUT)
    priority = models.ForeignKey(
        Priority,
        verbose_name=_("priorité du contrat"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source, default=Source.ENTERED)
    computation = models.CharField(
        _("calcul"),
        max_length=60,
        blank=True,
        help_text=_("Pour un indicateur calculé : le calcul fait par la plateforme."),
    )
    training_module = models.ForeignKey(
        Module,
        verbose_name=_("module de formation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Pour un calcul sur les formations : le limiter à ce module."),
    )
    cumulative = models.BooleanField(
        _("cumul depuis le début"),
        default=False,
        help_text=_(
            "Compter tous les enregistrements jusqu'à la fin de la période, y compris ceux "
            "des contrats précédents."
        ),
    )
    frequency = models.CharField(
        _("fréquence"), max_length=20, choices=Frequency, default=Frequency.YEARLY
    )
    baseline = models.DecimalField(
        _("valeur de référence"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("cible"), max_digits=14, decimal_places=2, null=True, blank=True)
    responsible = models.ForeignKey(
        Organisation,
        verbose_name=_("structure responsable"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    is_headline = models.BooleanField(
        _("résultat phare"),
        default=False,
        help_text=_("Montré en tête du bilan, dans le tableau des résultats."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["contract", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "code"],
                name="indicator_code_unique_per_contract",
                violation_error_message=_("Ce contrat a déjà un indicateur avec ce code."),
            ),
            models.CheckConstraint(
                condition=~Q(source="computed") | ~Q(computation=""),
                name="indicator_computed_has_computation",
                violation_error_message=_("Un indicateur calculé doit préciser son calcul."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:indicator", args=[self.contract_id, self.pk])

    @property
    def territory_id(self) -> int:
        return self.contract.territory_id

    def clean(self) -> None:
        from maillage.evaluation.computations import COMPUTATIONS

        errors = {}
        if self.source == self.Source.COMPUTED:
            if not self.computation:
                errors["computation"] = _("Un indicateur calculé doit préciser son calcul.")
            elif self.computation not in COMPUTATIONS:
                errors["computation"] = _("Ce calcul n'existe pas.")
        elif self.computation:
            self.computation = ""
        if self.priority_id and self.contract_id and self.priority.contract_id != self.contract_id:
            errors["priority"] = _("Cette priorité appartient à un autre contrat.")
        if (
            self.responsible_id
            and self.contract_id
            and self.responsible.territory_id != self.contract.territory_id
        ):
            errors["responsible"] = _("Cette structure n'est pas sur le territoire du contrat.")
        if (
            self.training_module_id
            and self.contract_id
            and self.training_module.territory_id != self.contract.territory_id
        ):
            errors["training_module"] = _("Ce module n'est pas proposé sur ce territoire.")
        if errors:
            raise ValidationError(errors)

    def progress(self, value: Decimal | int | None) -> int | None:
        """Share of the target reached by a value, in percent (capped at 100), or None."""
        if value is None or not self.target:
            return None
        base = self.baseline or Decimal(0)
        span = Decimal(self.target) - base
        if span <= 0:
            return 100 if Decimal(value) >= Decimal(self.target) else 0
        share = (Decimal(value) - base) / span * 100
        return max(0, min(100, int(share)))


class IndicatorValue(models.Model):
    """A value of an indicator for a period, entered by a partner or a coordinator."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicateur"), on_delete=models.CASCADE, related_name="values"
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période"))
    value = models.DecimalField(_("valeur"), max_digits=14, decimal_places=2)
    comment = models.TextField(
        _("commentaire"),
        blank=True,
        help_text=_(
            "Source, mode de calcul, réserves. N'écrivez jamais rien qui permette "
            "d'identifier une personne aidée."
        ),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("saisie le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("valeur d'indicateur")
        verbose_name_plural = _("valeurs d'indicateur")
        ordering = ["indicator", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="indicator_value_unique_per_period",
                violation_error_message=_("Une valeur existe déjà pour cette période."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="indicator_value_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.period_label} : {self.value}"

    @property
    def period_label(self) -> str:
        if (
            self.period_start.month == 1
            and self.period_start.day == 1
            and self.period_end == datetime.date(self.period_start.year, 12, 31)
        ):
            return str(self.period_start.year)
        return f"{self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("La fin de la période doit suivre son début.")})
