"""Projects, working groups and meetings of the contract (COPIL, COTECH, working groups), with
their decisions: who does what by when. No person's situation is ever written in minutes."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Contract, Organisation

__all__ = ["Decision", "Meeting", "WorkingGroup"]

MINUTES_HELP = _(
    "Ne rédigez jamais la situation d'une personne dans un compte rendu : ni nom, ni "
    "coordonnées, ni récit. Les échanges sur des situations se tiennent hors de l'outil."
)


class WorkingGroup(models.Model):
    """A project or working group of the contract, with its member organisations."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("contrat"), on_delete=models.CASCADE, related_name="working_groups"
    )
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("objet"), blank=True)
    pilot = models.ForeignKey(
        Organisation,
        verbose_name=_("structure pilote"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="piloted_working_groups",
    )
    members = models.ManyToManyField(
        Organisation,
        verbose_name=_("structures membres"),
        blank=True,
        related_name="working_groups",
    )
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "name"],
                name="working_group_name_unique",
                violation_error_message=_("Ce contrat a déjà un groupe de travail de ce nom."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def territory_id(self) -> int:
        return self.contract.territory_id

    def clean(self) -> None:
        if (
            self.pilot_id
            and self.contract_id
            and self.pilot.territory_id != self.contract.territory_id
        ):
            raise ValidationError(
                {"pilot": _("La structure pilote doit être du territoire du contrat.")}
            )


class MeetingQuerySet(models.QuerySet):
    def upcoming(self) -> MeetingQuerySet:
        return self.filter(starts_at__gte=timezone.now(), status=Meeting.Status.PLANNED)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        COPIL = "copil", _("COPIL")
        COTECH = "cotech", _("COTECH")
        GROUP = "group", _("Groupe de travail")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Prévue")
        HELD = "held", _("Tenue")
        CANCELLED = "cancelled", _("Annulée")

    contract = models.ForeignKey(
        Contract, verbose_name=_("contrat"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("instance"), max_length=10, choices=Kind)
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("groupe de travail"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    starts_at = models.DateTimeField(_("date et heure"))
    place = models.CharField(_("lieu"), max_length=300, blank=True)
    agenda = models.TextField(_("ordre du jour"), blank=True)
    attending_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("structures présentes"),
        blank=True,
        related_name="attended_meetings",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("personnes présentes"),
        blank=True,
        related_name="attended_meetings",
    )
    minutes = models.TextField(_("compte rendu"), blank=True, help_text=MINUTES_HELP)
    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.PLANNED)
    history = HistoricalRecords(m2m_fields=[attending_organisations, attendees])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="group", group__isnull=False) | ~Q(kind="group"),
                name="meeting_group_has_its_group",
            )
        ]

    def __str__(self) -> str:
        label = (
            self.group.name
            if self.kind == self.Kind.GROUP and self.group
            else self.get_kind_display()
        )
        return f"{label} — {timezone.localtime(self.starts_at):%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("network:meeting", args=[self.pk])

    @property
    def territory_id(self) -> int:
        return self.contract.territory_id

    @property
    def kind_label(self) -> str:
        if self.kind == self.Kind.GROUP and self.group_id:
            return f"{self.get_kind_display()} : {self.group.name}"
        return str(self.get_kind_display())

    def clean(self) -> None:
        if self.kind == self.Kind.GROUP and not self.group_id:
            raise ValidationError({"group": _("Choisissez le groupe de travail qui se réunit.")})
        if self.kind != self.Kind.GROUP and self.group_id:
            raise ValidationError(
                {"group": _("Seule une réunion de groupe de travail vise un groupe.")}
            )
        if self.group_id and self.contract_id and self.group.contract_id != self.contract_id:
            raise ValidationError({"group": _("Ce groupe de travail n'est pas de ce contrat.")})


class DecisionQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None) -> DecisionQuerySet:
        """Open decisions whose due date is past."""
        today = today or timezone.localdate()
        return self.filter(status=Decision.Status.OPEN, due_on__lt=today)


class Decision(models.Model):
    """A decision of a meeting: what, who (an organisation), by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("À faire")
        DONE = "done", _("Faite")
        DROPPED = "dropped", _("Abandonnée")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("réunion"), on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("décision"), help_text=MINUTES_HELP)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("structure responsable"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    done_on = models.DateField(_("faite le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status, default=Status.OPEN)
    history = HistoricalRecords()

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="decision_done_has_a_date",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def territory_id(self) -> int:
        return self.meeting.contract.territory_id

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == self.Status.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )

    def clean(self) -> None:
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError({"done_on": _("Indiquez la date à laquelle elle a été faite.")})
        if (
            self.owner_id
            and self.meeting_id
            and self.owner.territory_id != self.meeting.contract.territory_id
        ):
            raise ValidationError(
                {"owner": _("La structure responsable doit être du territoire du contrat.")}
            )
