"""The action plan (fédérer): the contract's priorities → action sheets (fiches action), with
their milestones, dated follow-up notes and attachments, and the reminders sent to the pilots
before each COPIL.

Status: what people declare is stored (à lancer, en cours, réalisée, reportée, abandonnée);
"en retard" is computed, never stored: an open sheet (à lancer or en cours) is late when one
of its milestones is past due and not reached, or when its end date is past. A stored "late"
would go stale the day a milestone is reached or missed (it would need a daily job to stay
true); computed, it is always right, and the plan filters on it in SQL (`with_state()`).
"""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Organisation, Priority
from maillage.core.uploads import EXTENSIONS

__all__ = ["ActionSheet", "Attachment", "FollowUpNote", "Milestone", "PlanReminder"]

NO_PERSON_HELP = _("N'écrivez jamais rien sur la situation d'une personne.")


class ActionSheetQuerySet(models.QuerySet):
    def with_state(self, today: date | None = None) -> ActionSheetQuerySet:
        """Annotate `state`: the stored status, or "late" for an open sheet past a date."""
        today = today or timezone.localdate()
        overdue = Milestone.objects.filter(
            sheet=OuterRef("pk"), done_on__isnull=True, due_on__lt=today
        )
        return self.annotate(
            has_overdue_milestone=Exists(overdue),
            state=Case(
                When(
                    Q(status__in=ActionSheet.OPEN_STATUSES)
                    & (Q(has_overdue_milestone=True) | Q(ends_on__lt=today)),
                    then=Value(ActionSheet.Status.LATE.value),
                ),
                default=F("status"),
                output_field=models.CharField(),
            ),
        )

    def of_contract(self, contract) -> ActionSheetQuerySet:
        return self.filter(priority__contract=contract)

    def search(self, text: str) -> ActionSheetQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(title__icontains=text)
            | Q(objectives__icontains=text)
            | Q(pilot__name__icontains=text)
            | Q(pilot__acronym__icontains=text)
        )


class ActionSheet(models.Model):
    """One action of the contract (fiche action), under one of its priorities."""

    class Status(models.TextChoices):
        TO_START = "to_start", _("À lancer")
        IN_PROGRESS = "in_progress", _("En cours")
        DONE = "done", _("Réalisée")
        LATE = "late", _("En retard")
        POSTPONED = "postponed", _("Reportée")
        ABANDONED = "abandoned", _("Abandonnée")

    class Governance(models.TextChoices):
        COPIL = "copil", _("Comité de pilotage (COPIL)")
        COTECH = "cotech", _("Comité technique (COTECH)")
        GROUP = "group", _("Groupe de travail")

    OPEN_STATUSES = ("to_start", "in_progress")
    # What people may set: "late" is computed (see the module's docstring).
    SETTABLE_STATUSES = ("to_start", "in_progress", "done", "postponed", "abandoned")

    priority = models.ForeignKey(
        Priority,
        verbose_name=_("priorité"),
        on_delete=models.PROTECT,
        related_name="action_sheets",
    )
    title = models.CharField(_("intitulé"), max_length=300)
    issue = models.TextField(_("constat et enjeu"), blank=True, help_text=NO_PERSON_HELP)
    objectives = models.TextField(_("objectifs"), blank=True)
    target_public = models.CharField(_("public cible"), max_length=300, blank=True)
    pilot = models.ForeignKey(
        Organisation,
        verbose_name=_("structure pilote"),
        on_delete=models.PROTECT,
        related_name="piloted_action_sheets",
    )
    partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("partenaires"),
        blank=True,
        related_name="partner_action_sheets",
    )
    funders = models.ManyToManyField(
        Organisation,
        verbose_name=_("financeurs"),
        blank=True,
        related_name="funded_action_sheets",
    )
    governance = models.CharField(
        _("instance de suivi"),
        max_length=10,
        choices=Governance,
        default=Governance.COTECH,
    )
    working_group = models.ForeignKey(
        "network.WorkingGroup",
        verbose_name=_("groupe de travail"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_sheets",
    )
    area = models.CharField(
        _("territoire concerné"),
        max_length=300,
        blank=True,
        help_text=_("Communes ou quartiers ; vide : tout le territoire du contrat."),
    )
    steps = models.TextField(_("modalités et étapes"), blank=True)
    starts_on = models.DateField(_("début"), null=True, blank=True)
    ends_on = models.DateField(_("fin prévue"), null=True, blank=True)
    resources = models.TextField(
        _("moyens et financement"),
        blank=True,
        help_text=_("Par exemple : FIPD, collectivité, État (DDFE), CAF, temps de personnel."),
    )
    budget = models.DecimalField(
        _("budget (euros)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.TO_START)
    progress = models.PositiveSmallIntegerField(
        _("avancement (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    review = models.TextField(_("bilan qualitatif"), blank=True, help_text=NO_PERSON_HELP)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[partners, funders])

    objects = ActionSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche action")
        verbose_name_plural = _("fiches action")
        ordering = ["priority__position", "priority__code", "position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="action_sheet_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="action_sheet_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:sheet", args=[self.pk])

    @property
    def territory_id(self) -> int:
        return self.priority.contract.territory_id

    @property
    def contract(self):
        return self.priority.contract

    def clean(self) -> None:
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("La fin prévue doit suivre le début.")
        if self.status == self.Status.LATE:
            errors["status"] = _(
                "« En retard » se déduit des jalons et de la fin prévue ; choisissez un autre "
                "statut."
            )
        if (
            self.priority_id
            and self.pilot_id
            and self.pilot.territory_id != self.priority.contract.territory_id
        ):
            errors["pilot"] = _("La structure pilote doit être du territoire du contrat.")
        if (
            self.working_group_id
            and self.priority_id
            and self.working_group.contract_id != self.priority.contract_id
        ):
            errors["working_group"] = _("Ce groupe de travail n'est pas celui de ce contrat.")
        if errors:
            raise ValidationError(errors)

    def current_state(self, today: date | None = None) -> str:
        """The status shown: the stored one, or "late" (same rule as `with_state()`)."""
        if hasattr(self, "state"):
            return self.state
        today = today or timezone.localdate()
        if self.status in self.OPEN_STATUSES and (
            (self.ends_on and self.ends_on < today)
            or self.milestones.filter(done_on__isnull=True, due_on__lt=today).exists()
        ):
            return self.Status.LATE
        return self.status

    @property
    def state_label(self) -> str:
        return str(self.Status(self.current_state()).label)


class Milestone(models.Model):
    """A dated step of the calendar of an action sheet."""

    sheet = models.ForeignKey(
        ActionSheet,
        verbose_name=_("fiche action"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    title = models.CharField(_("jalon"), max_length=300)
    due_on = models.DateField(_("échéance"))
    done_on = models.DateField(_("atteint le"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jalon")
        verbose_name_plural = _("jalons")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def territory_id(self) -> int:
        return self.sheet.territory_id

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class FollowUpNote(models.Model):
    """A dated note of the follow-up of an action sheet (no person's situation, ever)."""

    sheet = models.ForeignKey(
        ActionSheet, verbose_name=_("fiche action"), on_delete=models.CASCADE, related_name="notes"
    )
    written_on = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("note de suivi"), help_text=NO_PERSON_HELP)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("note de suivi")
        verbose_name_plural = _("notes de suivi")
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.written_on:%d/%m/%Y} — {self.sheet}"


def attachment_file_name(instance: Attachment, filename: str) -> str:
    """A name nobody can guess, with the extension of the type found in the file."""
    extension = EXTENSIONS.get(instance.content_type, "")
    return f"network/pieces/{secrets.token_hex(16)}{extension}"


class Attachment(models.Model):
    """A file of an action sheet (support, photo, minutes): PDF, PNG or JPEG by its content,
    served only through the workspace (its permission is checked on every download)."""

    sheet = models.ForeignKey(
        ActionSheet,
        verbose_name=_("fiche action"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(_("intitulé"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=attachment_file_name, max_length=200)
    content_type = models.CharField(_("type de fichier"), max_length=30)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def territory_id(self) -> int:
        return self.sheet.territory_id

    @property
    def download_name(self) -> str:
        return f"{self.title}{EXTENSIONS.get(self.content_type, '')}"


class PlanReminder(models.Model):
    """A reminder sent to a pilot's referents, N days before a COPIL: one per meeting, pilot
    and delay (the unique constraint makes the daily command safe to run twice)."""

    meeting = models.ForeignKey(
        "network.Meeting",
        verbose_name=_("réunion"),
        on_delete=models.CASCADE,
        related_name="plan_reminders",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("structure pilote"), on_delete=models.CASCADE, related_name="+"
    )
    days_before = models.PositiveSmallIntegerField(_("jours avant"))
    recipients = models.JSONField(_("destinataires"), default=list, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel aux pilotes")
        verbose_name_plural = _("rappels aux pilotes")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation", "days_before"],
                name="plan_reminder_once_per_meeting_pilot_delay",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.meeting} (J-{self.days_before})"
