"""Trainings (former): the catalogue of modules, sessions made of half-day slots, and the
registrations with their waiting list.

What comes next in issue 5 hangs on these models: attendance is recorded per registration and
per TrainingSlot (the half-day is the unit of attendance), certificates and evaluations per
registration or session, statistics count Trainee rows (one per person, kept when the
registrations are anonymised, so the counts stay exact) and organisations (a nightlife venue is
an organisation of kind "nightlife"). Business rules that touch several rows live in
`registration.py` and `services.py`; the instance rules (seats, transitions) live here.
"""

from __future__ import annotations

import base64
import secrets
import uuid
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Commune, Organisation, Territory


def new_token() -> str:
    """An unguessable token for links sent by email and calendar feeds (256 bits)."""
    return secrets.token_urlsafe(32)


def normalise_email(email: str) -> str:
    """The key that says two registrations are the same person: trimmed, lower case."""
    return (email or "").strip().lower()


def local_timezone():
    return timezone.get_default_timezone()  # Europe/Paris (settings.TIME_ZONE)


class ModuleQuerySet(models.QuerySet):
    def published(self) -> ModuleQuerySet:
        return self.filter(is_published=True)

    def search(self, text: str) -> ModuleQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(title__icontains=text) | Q(audience__icontains=text))


class Module(models.Model):
    """A training in the catalogue: what it teaches, to whom, for how long, by whom."""

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="training_modules",
    )
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(
        _("identifiant d'URL"),
        max_length=80,
        unique=True,
        help_text=_("Dans l'adresse de la page publique ; laissé vide, il est tiré de l'intitulé."),
    )
    summary = models.CharField(
        _("résumé"), max_length=300, blank=True, help_text=_("Une phrase, dans le catalogue.")
    )
    objectives = models.TextField(_("objectifs"))
    programme = models.TextField(_("contenu"), blank=True)
    duration_hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5)],
        help_text=_("Par exemple 3,5 pour une demi-journée, 7 pour une journée."),
    )
    audience = models.TextField(_("public visé"))
    prerequisites = models.TextField(_("prérequis"), blank=True)
    trainer_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure formatrice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_modules",
    )
    reference_material = models.TextField(
        _("supports de référence"),
        blank=True,
        help_text=_(
            "Par exemple les kits de la MIPROF (Anna, Elisa, Tom et Léna, Protection sur "
            "ordonnance) ou le livret MIPROF-CNFPT sur l'accueil des victimes."
        ),
    )
    min_registrants = models.PositiveSmallIntegerField(
        _("minimum d'inscrits"),
        default=6,
        help_text=_("En dessous, une session ne peut pas être confirmée."),
    )
    default_capacity = models.PositiveSmallIntegerField(
        _("places par session"), default=15, validators=[MinValueValidator(1)]
    )
    certificate_threshold = models.PositiveSmallIntegerField(
        _("assiduité requise pour l'attestation (%)"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Part des demi-journées à suivre (présent·e ou en retard) pour recevoir "
            "l'attestation de formation : 100 % par défaut."
        ),
    )
    is_published = models.BooleanField(
        _("dans le catalogue public"),
        default=True,
        help_text=_("Décochez pour préparer un module sans le montrer."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ModuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("module de formation")
        verbose_name_plural = _("modules de formation")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("trainings:module", args=[self.slug])


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Programmée")
    OPEN = "open", _("Inscriptions ouvertes")
    CONFIRMED = "confirmed", _("Confirmée")
    FULL = "full", _("Complète")
    HELD = "held", _("Réalisée")
    CANCELLED = "cancelled", _("Annulée")


S = SessionStatus

# Where a session may go from each status. FULL comes and goes by itself as seats are taken
# and freed; the others are decisions of the coordination (services.py).
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED: frozenset({S.OPEN, S.CANCELLED}),
    S.OPEN: frozenset({S.CONFIRMED, S.FULL, S.HELD, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.FULL, S.HELD, S.CANCELLED}),
    S.FULL: frozenset({S.OPEN, S.CONFIRMED, S.HELD, S.CANCELLED}),
    S.HELD: frozenset(),
    S.CANCELLED: frozenset(),
}
# A session takes registrations in these statuses (FULL: on the waiting list).
REGISTERING = frozenset({S.OPEN, S.CONFIRMED, S.FULL})
# Shown on the public pages (a planned session is announced before registrations open).
PUBLIC = frozenset({S.PLANNED, S.OPEN, S.CONFIRMED, S.FULL, S.HELD, S.CANCELLED})
UPCOMING = frozenset({S.PLANNED, S.OPEN, S.CONFIRMED, S.FULL})


class InvalidTransition(Exception):
    """A session cannot go from its status to the one asked; the message says why, in French."""


class TrainingSessionQuerySet(models.QuerySet):
    def with_dates(self) -> TrainingSessionQuerySet:
        return self.annotate(first_date=Min("slots__date"), last_date=Max("slots__date"))

    def with_counts(self) -> TrainingSessionQuerySet:
        """Seats taken (confirmed and offered), the waiting list, in one query."""
        R = Registration.Status
        return self.annotate(
            confirmed_count=Count(
                "registrations", filter=Q(registrations__status=R.CONFIRMED), distinct=True
            ),
            offered_count=Count(
                "registrations", filter=Q(registrations__status=R.OFFERED), distinct=True
            ),
            waiting_count=Count(
                "registrations", filter=Q(registrations__status=R.WAITING), distinct=True
            ),
        )

    def in_territories(self, territories) -> TrainingSessionQuerySet:
        return self.filter(module__territory__in=territories)

    def search(self, text: str) -> TrainingSessionQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(module__title__icontains=text)
            | Q(place_name__icontains=text)
            | Q(commune__name__icontains=text)
        )

    def public(self) -> TrainingSessionQuerySet:
        return self.filter(status__in=PUBLIC, module__is_published=True)

    def upcoming(self, today: date | None = None) -> TrainingSessionQuerySet:
        """Not over yet: a slot on or after today (sessions without slots are left out)."""
        today = today or timezone.localdate()
        return self.filter(status__in=UPCOMING).filter(
            pk__in=TrainingSlot.objects.filter(date__gte=today).values("session")
        )


class TrainingSession(models.Model):
    """One run of a module: one or several half-day slots, a place or a link, some seats."""

    Status = SessionStatus

    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="sessions"
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.PLANNED)
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateField(
        _("date limite d'inscription"),
        null=True,
        blank=True,
        help_text=_("Inscriptions possibles jusqu'à ce jour inclus ; sans date, jusqu'au début."),
    )
    place_name = models.CharField(
        _("lieu"), max_length=200, blank=True, help_text=_("Par exemple : Maison des solidarités.")
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address_for_registrants_only = models.BooleanField(
        _("adresse communiquée aux seuls inscrits"),
        default=False,
        help_text=_(
            "Cochez si le lieu ne doit pas être public (lieu d'accueil confidentiel) : "
            "les pages publiques n'en montrent que la commune."
        ),
    )
    remote_url = models.URLField(
        _("lien de visioconférence"),
        blank=True,
        help_text=_("Envoyé aux seuls inscrits, jamais affiché sur les pages publiques."),
    )
    practical_info = models.TextField(
        _("informations pratiques"),
        blank=True,
        help_text=_(
            "Accès, repas, matériel. N'écrivez jamais rien sur une personne aidée ni sur une "
            "situation."
        ),
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("formateurs et formatrices"),
        blank=True,
        related_name="training_sessions",
    )
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancellation_reason = models.TextField(_("motif d'annulation"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[trainers])

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        first = self.first_slot
        when = first.date.strftime("%d/%m/%Y") if first else "—"
        return f"{self.module.title} — {when}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:session", args=[self.pk])

    def clean(self) -> None:
        if not self.remote_url and not (self.address and self.commune_id):
            raise ValidationError(
                _("Indiquez le lieu (adresse et commune) ou le lien de visioconférence.")
            )

    @property
    def territory_id(self) -> int:
        """For the permission rules: a session belongs to its module's territory."""
        return self.module.territory_id

    # Slots and dates

    @property
    def slot_list(self) -> list[TrainingSlot]:
        """The slots in time order (prefetch `slots` to read them without a query)."""
        return sorted(self.slots.all(), key=lambda slot: (slot.date, slot.start))

    @property
    def first_slot(self) -> TrainingSlot | None:
        slots = self.slot_list
        return slots[0] if slots else None

    @property
    def last_slot(self) -> TrainingSlot | None:
        slots = self.slot_list
        return slots[-1] if slots else None

    @property
    def starts_at(self) -> datetime | None:
        first = self.first_slot
        return first.starts_at if first else None

    @property
    def ends_at(self) -> datetime | None:
        last = self.last_slot
        return last.ends_at if last else None

    @property
    def is_remote(self) -> bool:
        return bool(self.remote_url)

    @property
    def public_place(self) -> str:
        """What a visitor may read of the place: the commune only when the address is hidden."""
        commune = str(self.commune) if self.commune_id else ""
        if self.address_for_registrants_only:
            return commune
        parts = [self.place_name, self.address, commune]
        return ", ".join(part for part in parts if part)

    @property
    def full_place(self) -> str:
        """The place for the registrants (convocation, their calendar)."""
        commune = str(self.commune) if self.commune_id else ""
        return ", ".join(part for part in [self.place_name, self.address, commune] if part)

    # Seats

    def count(self, *statuses: str) -> int:
        return self.registrations.filter(status__in=statuses).count()

    @property
    def seats_taken(self) -> int:
        """Confirmed registrations and seats offered to the waiting list (held for them)."""
        if hasattr(self, "confirmed_count"):
            return self.confirmed_count + self.offered_count
        return self.count(*Registration.HOLDING_SEAT)

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.seats_taken, 0)

    @property
    def has_waiting_list(self) -> bool:
        if hasattr(self, "waiting_count"):
            return self.waiting_count > 0
        return self.registrations.filter(status=Registration.Status.WAITING).exists()

    # Status

    def can_become(self, status: str) -> bool:
        return status in TRANSITIONS[self.status]

    def set_status(self, status: str) -> None:
        """Move to `status` (not saved), or InvalidTransition."""
        if not self.can_become(status):
            raise InvalidTransition(
                _("Une session « %(current)s » ne peut pas passer à « %(target)s ».")
                % {"current": self.get_status_display(), "target": S(status).label}
            )
        self.status = status

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING

    def registration_closed_reason(self, now: datetime | None = None) -> str:
        """Why nobody can register now, in French; empty when registrations are open."""
        now = now or timezone.now()
        if self.status == S.CANCELLED:
            return _("Cette session est annulée.")
        if self.status == S.HELD:
            return _("Cette session a déjà eu lieu.")
        if self.status == S.PLANNED:
            return _("Les inscriptions à cette session ne sont pas encore ouvertes.")
        starts_at = self.starts_at
        if starts_at is not None and now >= starts_at:
            return _("Cette session a commencé : les inscriptions sont closes.")
        if self.registration_deadline and timezone.localdate(now) > self.registration_deadline:
            return _("La date limite d'inscription (%(date)s) est passée.") % {
                "date": self.registration_deadline.strftime("%d/%m/%Y")
            }
        return ""

    def is_registration_open(self, now: datetime | None = None) -> bool:
        return not self.registration_closed_reason(now)


class TrainingSlot(models.Model):
    """A half-day of a session: a date and hours. Attendance is recorded per slot."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("session"), on_delete=models.CASCADE, related_name="slots"
    )
    date = models.DateField(_("date"))
    start = models.TimeField(_("début"))
    end = models.TimeField(_("fin"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("demi-journée")
        verbose_name_plural = _("demi-journées")
        ordering = ["date", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="training_slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["session", "date", "start"],
                name="training_slot_unique",
                violation_error_message=_("Cette session a déjà une demi-journée à cette heure."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.date.strftime('%d/%m/%Y')} {self.start.strftime('%H:%M')}"
            f"-{self.end.strftime('%H:%M')}"
        )

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin doit suivre le début.")})

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start, tzinfo=local_timezone())

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end, tzinfo=local_timezone())

    @property
    def half_day(self) -> str:
        return _("matin") if self.start < time(13) else _("après-midi")


class Trainee(models.Model):
    """A person registered at least once, known by their normalised email.

    Counting people trained counts these rows; the personal calendar feed hangs on them. The
    anonymisation of old registrations clears `email_key` and keeps the row, so the number of
    distinct people stays exact without keeping who they were.
    """

    email_key = models.CharField(
        _("adresse électronique normalisée"), max_length=254, unique=True, null=True, blank=True
    )
    calendar_token = models.CharField(
        _("jeton de l'agenda"), max_length=64, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("personne inscrite")
        verbose_name_plural = _("personnes inscrites")

    def __str__(self) -> str:
        return self.email_key or str(_("personne anonymisée"))

    def calendar_url(self) -> str:
        return reverse("trainings:person_calendar", args=[self.calendar_token])


class RegistrationQuerySet(models.QuerySet):
    def active(self) -> RegistrationQuerySet:
        return self.filter(status__in=Registration.ACTIVE)

    def waiting_line(self) -> RegistrationQuerySet:
        """The waiting list, first in line first."""
        return self.filter(status=Registration.Status.WAITING).order_by("created_at", "pk")

    def of_person(self, user) -> RegistrationQuerySet:
        """The registrations of an account: made for it, or under its email address."""
        return self.filter(Q(user=user) | Q(email_key=normalise_email(user.email)))

    def search(self, text: str) -> RegistrationQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(
            Q(last_name__icontains=text)
            | Q(first_name__icontains=text)
            | Q(email__icontains=text)
            | Q(organisation__name__icontains=text)
        )


class Registration(models.Model):
    """A person registered for a session, by themself or by their organisation's referent.

    The person needs no account: name, email, function, organisation and commune are kept here
    (what the attendance sheet and the certificate print). Never anything about a person helped.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Inscrit·e")
        WAITING = "waiting", _("Liste d'attente")
        OFFERED = "offered", _("Place proposée")
        CANCELLED = "cancelled", _("Annulée")
        EXPIRED = "expired", _("Proposition expirée")

    ACTIVE = (Status.CONFIRMED, Status.WAITING, Status.OFFERED)
    HOLDING_SEAT = (Status.CONFIRMED, Status.OFFERED)

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    trainee = models.ForeignKey(
        Trainee,
        verbose_name=_("personne"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
    )
    first_name = models.CharField(_("prénom"), max_length=150)
    last_name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse électronique"))
    email_key = models.CharField(_("adresse électronique normalisée"), max_length=254)
    function = models.CharField(_("fonction"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="training_registrations",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune d'exercice"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status)
    offer_expires_at = models.DateTimeField(
        _("proposition valable jusqu'au"), null=True, blank=True
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inscrit·e par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("inscrit·e le"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    access_token = models.CharField(
        _("jeton d'accès"), max_length=64, unique=True, default=new_token, editable=False
    )
    history = HistoricalRecords(excluded_fields=["access_token"])

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            # No person twice in a session (cancelled registrations are history, and an
            # anonymised one has no key left).
            models.UniqueConstraint(
                fields=["session", "email_key"],
                condition=Q(status__in=["confirmed", "waiting", "offered"]) & ~Q(email_key=""),
                name="registration_unique_person_per_session",
                violation_error_message=_("Cette personne est déjà inscrite à cette session."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.session}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def territory_id(self) -> int:
        return self.session.territory_id

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    def waiting_position(self) -> int | None:
        """1 for the first in line; None when not on the waiting list."""
        if self.status != self.Status.WAITING:
            return None
        earlier = Q(created_at__lt=self.created_at) | Q(created_at=self.created_at, pk__lt=self.pk)
        return self.session.registrations.waiting_line().filter(earlier).count() + 1

    def access_url(self) -> str:
        return reverse("trainings:registration_access", args=[self.access_token])


class Reminder(models.Model):
    """A reminder sent for a registration, N days before the session: never sent twice."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    days_before = models.PositiveSmallIntegerField(_("jours avant"))
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "days_before"], name="training_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} — J-{self.days_before}"


class Attendance(models.Model):
    """Whether a registrant attended a half-day, as the trainer marks it.

    Present and late count as attended (statistics, certificates); excused and absent do not.
    """

    class Status(models.TextChoices):
        PRESENT = "present", _("Présent·e")
        LATE = "late", _("En retard")
        EXCUSED = "excused", _("Absent·e excusé·e")
        ABSENT = "absent", _("Absent·e")

    ATTENDED = (Status.PRESENT, Status.LATE)

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    slot = models.ForeignKey(
        TrainingSlot,
        verbose_name=_("demi-journée"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    status = models.CharField(_("présence"), max_length=10, choices=Status)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("notée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("notée le"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot"],
                name="attendance_once_per_slot",
                violation_error_message=_("La présence à cette demi-journée est déjà notée."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} — {self.slot} : {self.get_status_display()}"

    @property
    def attended(self) -> bool:
        return self.status in self.ATTENDED


# Attendance sheets, certificates and evaluations (attendance.py, certificates.py,
# evaluation.py hold their rules).


def signed_sheet_name(instance: SignedSheet, filename: str) -> str:
    """A name nobody can guess (128 bits), with the extension of the type found in the file."""
    return f"trainings/emargements/{secrets.token_hex(16)}{instance.extension}"


class SignedSheet(models.Model):
    """A signed paper attendance sheet of a half-day, scanned and uploaded back.

    Several uploads of a slot are all kept (a better scan, a second page); the file is served
    only to the coordination and the trainers of the session, never by its storage URL.
    """

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"

    EXTENSIONS = {Kind.PDF: ".pdf", Kind.PNG: ".png", Kind.JPEG: ".jpg"}

    slot = models.ForeignKey(
        TrainingSlot,
        verbose_name=_("demi-journée"),
        on_delete=models.PROTECT,
        related_name="signed_sheets",
    )
    file = models.FileField(_("fichier"), upload_to=signed_sheet_name, max_length=200)
    content_type = models.CharField(_("type"), max_length=30, choices=Kind)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposée le"), default=timezone.now)

    class Meta:
        verbose_name = _("feuille d'émargement signée")
        verbose_name_plural = _("feuilles d'émargement signées")
        ordering = ["slot", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.slot} — {self.uploaded_at:%d/%m/%Y %H:%M}"

    @property
    def extension(self) -> str:
        return self.EXTENSIONS.get(self.content_type, "")


def new_certificate_code() -> str:
    """A verification code: 100 random bits in base 32, read aloud or typed in groups."""
    raw = base64.b32encode(secrets.token_bytes(15)).decode("ascii")[:20]
    return "-".join(raw[i : i + 5] for i in range(0, 20, 5))


class Certificate(models.Model):
    """The attendance certificate of a registration, issued once; its code proves it."""

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    code = models.CharField(
        _("code de vérification"),
        max_length=32,
        unique=True,
        default=new_certificate_code,
        editable=False,
    )
    issued_at = models.DateTimeField(_("délivrée le"), default=timezone.now)
    emailed_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("attestation de formation")
        verbose_name_plural = _("attestations de formation")

    def __str__(self) -> str:
        return f"{self.code} — {self.registration.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("trainings:certificate_verify", args=[self.code])


class EvaluationInvitation(models.Model):
    """The one-time link to the satisfaction questionnaire sent to an attendee.

    It says whether the link was used, not when, and nothing links it to the answer given.
    """

    registration = models.OneToOneField(
        Registration,
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="evaluation_invitation",
    )
    token = models.CharField(
        _("jeton"), max_length=64, unique=True, default=new_token, editable=False
    )
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    used = models.BooleanField(_("utilisée"), default=False)

    class Meta:
        verbose_name = _("invitation à l'évaluation")
        verbose_name_plural = _("invitations à l'évaluation")

    def __str__(self) -> str:
        return str(self.registration)

    def get_absolute_url(self) -> str:
        return reverse("trainings:evaluation", args=[self.token])


class EvaluationAnswer(models.Model):
    """One anonymous answer to the satisfaction questionnaire.

    No link to a person, a registration or an invitation; a random key (no insertion order)
    and the day only, so an answer cannot be matched with who answered.
    """

    class Expectations(models.TextChoices):
        YES = "yes", _("Oui")
        PARTLY = "partly", _("En partie")
        NO = "no", _("Non")

    SCALE = [(n, str(n)) for n in range(1, 6)]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="evaluation_answers",
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("module"),
        on_delete=models.PROTECT,
        related_name="evaluation_answers",
    )
    overall = models.PositiveSmallIntegerField(
        _("satisfaction générale"),
        choices=SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    skills = models.PositiveSmallIntegerField(
        _("mes compétences ont progressé"),
        choices=SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    expectations = models.CharField(_("attentes satisfaites"), max_length=10, choices=Expectations)
    would_recommend = models.BooleanField(_("recommanderait la formation"))
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)
    created_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        verbose_name = _("réponse à l'évaluation")
        verbose_name_plural = _("réponses à l'évaluation")
        ordering = ["created_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5, skills__gte=1, skills__lte=5),
                name="evaluation_answer_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} — {self.created_on:%d/%m/%Y}"


from .charter import *  # noqa: E402, F403  (the nightlife charter, charter.py)
