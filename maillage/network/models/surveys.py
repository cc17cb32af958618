"""Surveys of the contract's signatories: the territorial diagnostic, the yearly impact survey.

One answer per organisation, never per person: each signatory's referents receive a personal
link (an unguessable token, one per address), the first answer of the organisation counts and
any other is refused (also by a unique constraint). Nothing about persons is kept beyond the
address the invitation was sent to.
"""

from __future__ import annotations

import secrets
from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = [
    "Answer",
    "Choice",
    "Invitation",
    "MatrixRow",
    "Question",
    "Response",
    "Survey",
    "new_survey_token",
]

FREE_TEXT_WARNING = _("N'écrivez aucune information permettant d'identifier une personne.")


def new_survey_token() -> str:
    """An unguessable token for a personal survey link (256 bits)."""
    return secrets.token_urlsafe(32)


class SurveyQuerySet(models.QuerySet):
    def in_territories(self, territories) -> SurveyQuerySet:
        return self.filter(contract__territory__in=territories)


class Survey(models.Model):
    class Kind(models.TextChoices):
        DIAGNOSTIC = "diagnostic", _("Diagnostic territorial")
        IMPACT = "impact", _("Enquête d'impact annuelle")
        OTHER = "other", _("Autre enquête")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        OPEN = "open", _("Ouverte")
        CLOSED = "closed", _("Close")

    contract = models.ForeignKey(
        "core.Contract",
        verbose_name=_("contrat"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    title = models.CharField(_("titre"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind, default=Kind.OTHER)
    year = models.PositiveSmallIntegerField(_("année"))
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Le texte lu par les signataires en premier.")
    )
    opens_on = models.DateField(_("ouverture"), null=True, blank=True)
    closes_on = models.DateField(
        _("clôture"), help_text=_("Dernier jour pour répondre. Aucune réponse après cette date.")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("relance (jours avant la clôture)"),
        default=7,
        help_text=_("Les structures qui n'ont pas répondu sont relancées une fois, ce jour-là."),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.DRAFT)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("enquête précédente"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="following",
        help_text=_("Pour comparer les résultats avec ceux de l'année précédente."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    history = HistoricalRecords()

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("enquête")
        verbose_name_plural = _("enquêtes")
        ordering = ["-year", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("network:survey_detail", args=[self.pk])

    @property
    def territory_id(self) -> int:
        return self.contract.territory_id

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def accepts_answers(self, today: date | None = None) -> bool:
        """Open, and the closing day not passed (nor the opening day still to come)."""
        today = today or timezone.localdate()
        if self.status != self.Status.OPEN:
            return False
        if self.opens_on and today < self.opens_on:
            return False
        return today <= self.closes_on


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiples")
        SCALE = "scale", _("Échelle")
        MATRIX = "matrix", _("Tableau (plusieurs lignes, un choix par ligne)")
        FREE_TEXT = "free_text", _("Texte libre")

    WITH_CHOICES = (Kind.SINGLE, Kind.MULTIPLE, Kind.MATRIX)

    survey = models.ForeignKey(
        Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type de question"), max_length=20, choices=Kind)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("aide"), max_length=500, blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=True)
    scale_min = models.SmallIntegerField(_("minimum de l'échelle"), default=1)
    scale_max = models.SmallIntegerField(_("maximum de l'échelle"), default=5)
    scale_min_label = models.CharField(_("libellé du minimum"), max_length=100, blank=True)
    scale_max_label = models.CharField(_("libellé du maximum"), max_length=100, blank=True)
    positive_from = models.SmallIntegerField(
        _("positif à partir de"),
        null=True,
        blank=True,
        help_text=_("Pour une échelle : la valeur à partir de laquelle la réponse est positive."),
    )
    indicator = models.ForeignKey(
        "evaluation.Indicator",
        verbose_name=_("indicateur alimenté"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_questions",
        help_text=_("La part des structures qui répondent positivement alimente cet indicateur."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def territory_id(self) -> int:
        return self.survey.territory_id

    @property
    def has_choices(self) -> bool:
        return self.kind in self.WITH_CHOICES

    @property
    def scale_values(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))

    @property
    def can_be_positive(self) -> bool:
        """Whether an answer can be judged positive (to feed an indicator)."""
        if self.kind == self.Kind.SCALE:
            return self.positive_from is not None
        if self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE):
            return any(choice.is_positive for choice in self.choices.all())
        return False


class Choice(models.Model):
    """A possible answer; for a matrix, a column (the same choices for every row)."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    label = models.CharField(_("libellé"), max_length=300)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_positive = models.BooleanField(
        _("réponse positive"),
        default=False,
        help_text=_("Comptée comme positive pour l'indicateur alimenté par la question."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class MatrixRow(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="rows"
    )
    label = models.CharField(_("libellé"), max_length=300)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ligne du tableau")
        verbose_name_plural = _("lignes du tableau")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Invitation(models.Model):
    """A personal link sent to one address of a signatory (a referent, else the structure)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="invitations"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    email = models.EmailField(_("adresse d'envoi"))
    token = models.CharField(
        _("jeton"), max_length=64, unique=True, default=new_survey_token, editable=False
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relancée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation__name", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation", "email"], name="survey_invitation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} — {self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("network:survey_answer", args=[self.token])


class Response(models.Model):
    """The answer of one organisation to a survey (one at most)."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("enquête"), on_delete=models.CASCADE, related_name="responses"
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(_("envoyée le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation"],
                name="survey_one_response_per_organisation",
                violation_error_message=_("Cette structure a déjà répondu à l'enquête."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} — {self.organisation}"


class Answer(models.Model):
    """One element of a response: a chosen choice (one row per choice ticked; for a matrix,
    per row), a value on a scale, or a text."""

    response = models.ForeignKey(
        Response, verbose_name=_("réponse"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.ForeignKey(
        Choice,
        verbose_name=_("choix"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    row = models.ForeignKey(
        MatrixRow,
        verbose_name=_("ligne"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="answers",
    )
    value = models.SmallIntegerField(_("valeur"), null=True, blank=True)
    text = models.TextField(_("texte"), blank=True)

    class Meta:
        verbose_name = _("élément de réponse")
        verbose_name_plural = _("éléments de réponse")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.question}: {self.choice or self.value or self.text}"

    @property
    def is_positive(self) -> bool:
        if self.choice_id is not None:
            return self.choice.is_positive
        positive_from = self.question.positive_from
        return self.value is not None and positive_from is not None and self.value >= positive_from
