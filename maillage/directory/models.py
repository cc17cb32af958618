"""The directory: who helps with what, for whom, where, when and how to reach them.

A superset of data·inclusion v1 and Open Referral HSDS 3 (see exchange/ for the mappings and
their documented losses): UUID keys, `<source>--<id>` external ids, SIRET kept on the
organisation.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Commune, Organisation, validate_french_phone

PARIS = ZoneInfo("Europe/Paris")
FRESHNESS = timedelta(days=183)  # a published service is verified at least every 6 months


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PROFESSIONALS = "professionals", _("Professionnels seulement")


class Term(models.Model):
    """A term of the taxonomy (domain.md §6), mapped onto data·inclusion where it can be."""

    class Vocabulary(models.TextChoices):
        VIOLENCE = "violence", _("Type de violence")
        HELP = "help", _("Type d'aide")
        PUBLIC = "public", _("Public")
        LANGUAGE = "language", _("Langue")
        KIND = "kind", _("Type d'acteur")

    vocabulary = models.CharField(_("vocabulaire"), max_length=20, choices=Vocabulary)
    code = models.SlugField(_("code"), max_length=80)
    label = models.CharField(_("libellé"), max_length=150)
    public_label = models.CharField(
        _("libellé public"),
        max_length=150,
        blank=True,
        help_text=_("Un libellé neutre pour le public, si le libellé professionnel stigmatise."),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    di_thematique = models.CharField(_("thématique data·inclusion"), max_length=150, blank=True)
    di_type = models.CharField(_("type de service data·inclusion"), max_length=50, blank=True)
    di_public = models.CharField(_("public data·inclusion"), max_length=80, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("terme")
        verbose_name_plural = _("taxonomie")
        ordering = ["vocabulary", "position", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["vocabulary", "code"],
                name="term_code_unique",
                violation_error_message=_("Ce code existe déjà dans ce vocabulaire."),
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        return self.public_label or self.label


def sees_professional_records(user) -> bool:
    """A logged-in professional (any role, or an administrator) sees what is for professionals."""
    return bool(
        user is not None and user.is_authenticated and (user.is_superuser or user.roles.exists())
    )


class ServiceQuerySet(models.QuerySet):
    def published(self, at: date | None = None) -> ServiceQuerySet:
        today = at or timezone.localdate()
        return self.filter(
            Q(status=Service.Status.PUBLISHED)
            | Q(status=Service.Status.SUSPENDED, suspended_until__lt=today)
        )

    def visible_to(self, user, at: date | None = None) -> ServiceQuerySet:
        """Published services; those for professionals only to a logged-in professional."""
        services = self.published(at)
        if not sees_professional_records(user):
            services = services.for_everyone()
        return services

    def for_everyone(self) -> ServiceQuerySet:
        """The records anyone may see (not those for professionals only)."""
        return self.filter(visibility=Visibility.PUBLIC)

    def stale(self, at: date | None = None) -> ServiceQuerySet:
        today = at or timezone.localdate()
        return self.filter(
            Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=today - FRESHNESS)
        )


class Service(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        SUSPENDED = "suspended", _("Suspendu")
        ARCHIVED = "archived", _("Archivé")

    class Gender(models.TextChoices):
        ALL = "all", _("Tout le monde")
        WOMEN = "women", _("Femmes")
        MEN = "men", _("Hommes")

    class Coverage(models.TextChoices):
        COMMUNES = "communes", _("Communes")
        EPCI = "epci", _("Intercommunalité")
        DEPARTMENT = "department", _("Département")
        NATIONAL = "national", _("France entière")

    class Saturation(models.TextChoices):
        UNKNOWN = "", _("Non renseignée")
        LOW = "low", _("Places disponibles")
        MODERATE = "moderate", _("Peu de places")
        HIGH = "high", _("Complet")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    name = models.CharField(_("nom"), max_length=150)
    summary = models.CharField(_("résumé"), max_length=280, blank=True)
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Ce que propose le service. N'écrivez jamais rien sur une personne aidée."),
    )
    violence_types = models.ManyToManyField(
        Term,
        verbose_name=_("types de violence"),
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.VIOLENCE},
        blank=True,
    )
    help_types = models.ManyToManyField(
        Term,
        verbose_name=_("types d'aide"),
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.HELP},
        blank=True,
    )
    publics = models.ManyToManyField(
        Term,
        verbose_name=_("publics"),
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.PUBLIC},
        blank=True,
    )
    kinds = models.ManyToManyField(
        Term,
        verbose_name=_("types d'acteur"),
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.KIND},
        blank=True,
        help_text=_(
            "Ce qu'est le service pour le guide d'orientation : association spécialisée, unité "
            "médico-judiciaire, commissariat…"
        ),
    )
    languages = models.ManyToManyField(
        Term,
        verbose_name=_("langues"),
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.LANGUAGE},
        blank=True,
    )
    age_min = models.PositiveSmallIntegerField(
        _("âge minimum"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("âge maximum"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    minors_accepted = models.BooleanField(_("mineurs acceptés"), default=False)
    gender = models.CharField(_("genre"), max_length=10, choices=Gender, default=Gender.ALL)
    # Access modes (data·inclusion: frais, modes d'accueil, modes de mobilisation).
    is_free = models.BooleanField(_("gratuit"), default=True)
    is_anonymous = models.BooleanField(_("anonyme possible"), default=False)
    walk_in = models.BooleanField(_("sans rendez-vous"), default=False)
    by_appointment = models.BooleanField(_("sur rendez-vous"), default=False)
    referral_only = models.BooleanField(
        _("sur orientation ou réquisition seulement"), default=False
    )
    remote = models.BooleanField(_("à distance (téléphone, chat, visio)"), default=False)
    # Contact channels (phones are ServicePhone rows, each with its visibility).
    email = models.EmailField(_("courriel"), blank=True)
    email_visibility = models.CharField(
        _("visibilité du courriel"), max_length=20, choices=Visibility, default=Visibility.PUBLIC
    )
    website = models.URLField(_("site web"), blank=True)
    chat_url = models.URLField(_("lien du tchat"), blank=True)
    sms_number = models.CharField(
        _("numéro SMS"), max_length=30, blank=True, validators=[validate_french_phone]
    )
    # Accessibility
    wheelchair_accessible = models.BooleanField(_("accessible en fauteuil roulant"), default=False)
    sign_language = models.BooleanField(_("accueil en langue des signes (LSF)"), default=False)
    reachable_by_114 = models.BooleanField(_("joignable par le 114"), default=False)
    # Urgency and saturation
    is_24_7 = models.BooleanField(_("24 h/24, 7 j/7"), default=False)
    urgent_response = models.BooleanField(_("réponse en urgence"), default=False)
    saturation = models.CharField(
        _("places ce soir"), max_length=10, choices=Saturation, default="", blank=True
    )
    saturation_updated_at = models.DateTimeField(_("places mises à jour le"), null=True, blank=True)
    # Coverage
    coverage = models.CharField(
        _("zone couverte"), max_length=20, choices=Coverage, default=Coverage.COMMUNES
    )
    coverage_communes = models.ManyToManyField(
        Commune, verbose_name=_("communes couvertes"), related_name="+", blank=True
    )
    coverage_department = models.CharField(_("département couvert"), max_length=3, blank=True)
    # Life cycle
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=Visibility, default=Visibility.PUBLIC
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status, default=Status.DRAFT)
    suspended_until = models.DateField(_("suspendu jusqu'au"), null=True, blank=True)
    last_verified_on = models.DateField(_("vérifié le"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vérifié par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.SlugField(_("source"), max_length=50, default="maillage")
    source_id = models.CharField(_("identifiant à la source"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Normalised text (folded, stemmed) of name, summary, description, terms and organisation:
    # what the full-text index holds (search.py keeps it in step).
    search_title = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    history = HistoricalRecords(excluded_fields=["search_title", "search_text", "updated_at"])

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~Q(source_id=""),
                name="service_source_id_unique",
                violation_error_message=_("Un service porte déjà cet identifiant à la source."),
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=models.F("age_min")),
                name="service_age_range_ordered",
                violation_error_message=_("L'âge maximum doit suivre l'âge minimum."),
            ),
        ]
        indexes = [models.Index(fields=["status", "visibility"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:service", args=[self.pk])

    def clean(self) -> None:
        if self.status == self.Status.SUSPENDED and not self.suspended_until:
            raise ValidationError(
                {"suspended_until": _("Indiquez jusqu'à quand le service est suspendu.")}
            )
        if self.coverage == self.Coverage.DEPARTMENT and not self.coverage_department:
            raise ValidationError({"coverage_department": _("Indiquez le département couvert.")})

    @property
    def external_id(self) -> str:
        """`<source>--<id>`, the data·inclusion form of the identifier."""
        return f"{self.source}--{self.source_id or self.pk}"

    @property
    def is_fresh(self) -> bool:
        return bool(
            self.last_verified_on and self.last_verified_on >= timezone.localdate() - FRESHNESS
        )

    def is_open_at(self, moment: datetime) -> bool | None:
        """Open at that moment (Europe/Paris)? None when the service gives no hours that day.

        The rules, in this order (search.open_at() is the same rule in SQL, and the
        OpenStreetMap export in exchange/hsds.py writes it so):
        1. a closure covering the day closes the service, 24/7 or not;
        2. a day with exceptions (OpeningException) follows them alone: closed all day, or
           open within their hours only. They replace the regular hours of that day, whether
           weekly slots or 24/7 (as a dated rule does in `24/7; 2026 Dec 24 09:00-12:00`);
        3. any other day: 24/7 is open; otherwise the weekly slots (None when there are none).
        """
        local = moment.astimezone(PARIS)
        day, clock = local.date(), local.time()
        if any(c.starts_on <= day <= c.ends_on for c in self.closures.all()):
            return False
        exceptions = [e for e in self.opening_exceptions.all() if e.on == day]
        if exceptions:
            return any(e.covers(day, clock) for e in exceptions)
        if self.is_24_7:
            return True
        slots = list(self.opening_slots.all())
        if not slots:
            return None
        return any(slot.covers(day, clock) for slot in slots)

    def upcoming_exceptions(
        self, *, days: int = 60, today: date | None = None
    ) -> list[tuple[date, list[OpeningException]]]:
        """The dates with special hours from today to `days` days ahead, each with its rows
        (split hours in order; one row without hours when closed all day)."""
        first = today or timezone.localdate()
        last = first + timedelta(days=days)
        by_day: dict[date, list[OpeningException]] = {}
        for exception in sorted(self.opening_exceptions.all(), key=OpeningException.sort_key):
            if first <= exception.on <= last:
                by_day.setdefault(exception.on, []).append(exception)
        return list(by_day.items())

    def current_closure(self, at: date | None = None) -> Closure | None:
        day = at or timezone.localdate()
        return next((c for c in self.closures.all() if c.starts_on <= day <= c.ends_on), None)


class ServicePhone(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="phones")
    label = models.CharField(_("libellé"), max_length=100, blank=True)
    number = models.CharField(_("numéro"), max_length=30, validators=[validate_french_phone])
    visibility = models.CharField(
        _("visibilité"), max_length=20, choices=Visibility, default=Visibility.PUBLIC
    )
    position = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("téléphone")
        verbose_name_plural = _("téléphones")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label} {self.number}".strip()

    @property
    def href(self) -> str:
        return "tel:" + self.number.replace(" ", "")


class Place(models.Model):
    """Where a service receives people. A shelter hides its address: it never leaves publicly."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="places")
    name = models.CharField(_("nom du lieu"), max_length=150, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    hide_address = models.BooleanField(
        _("adresse confidentielle"),
        default=False,
        help_text=_("Lieu d'hébergement ou de mise à l'abri : seule la commune est montrée."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        indexes = [models.Index(fields=["latitude", "longitude"])]
        constraints = [
            # A confidential place keeps no coordinates: a distance would give it away.
            models.CheckConstraint(
                condition=Q(hide_address=False) | Q(latitude__isnull=True, longitude__isnull=True),
                name="hidden_place_has_no_coordinates",
                violation_error_message=_(
                    "Une adresse confidentielle ne garde pas de coordonnées GPS."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.public_address

    @property
    def public_address(self) -> str:
        """What anyone may read: the commune alone when the address is confidential."""
        if self.hide_address:
            return str(self.commune)
        parts = [self.address, f"{self.postal_code} {self.commune}".strip()]
        return ", ".join(p for p in parts if p)


class OpeningSlot(models.Model):
    """A weekly slot: Monday 9:00-12:30."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_slots")
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday)
    opens = models.TimeField(_("ouvre à"))
    closes = models.TimeField(_("ferme à"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("créneau d'ouverture")
        verbose_name_plural = _("horaires")
        ordering = ["weekday", "opens"]
        # "Open now" looks slots up by day and time (bench/: a full scan without it).
        indexes = [models.Index(fields=["weekday", "opens", "closes"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")),
                name="slot_closes_after_opening",
                violation_error_message=_("L'heure de fermeture doit suivre l'ouverture."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    def covers(self, day: date, clock: time) -> bool:
        return day.weekday() == self.weekday and self.opens <= clock < self.closes


class Closure(models.Model):
    """A dated temporary closure (holidays, works), with a notice for visitors."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    notice = models.CharField(_("message"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture temporaire")
        verbose_name_plural = _("fermetures temporaires")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_start",
                violation_error_message=_("La fin de la fermeture doit suivre son début."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} → {self.ends_on:%d/%m/%Y}"


def check_exception_day(day: date, hours: list[tuple[time | None, time | None]]) -> None:
    """The rows of one date together: closed all day stands alone; hours do not overlap.

    `hours` holds (opens, closes) per row, (None, None) for closed all day. The model's
    clean() and the workspace's formset both check a date with it.
    """
    when = date_format(day, "j F Y")
    if any(opens is None for opens, _closes in hours) and len(hours) > 1:
        raise ValidationError(
            _(
                "Le %(date)s est indiqué fermé toute la journée : il ne peut pas avoir "
                "d'autres horaires exceptionnels ce jour-là."
            )
            % {"date": when},
            code="closed_all_day_alone",
        )
    spans = sorted((opens, closes) for opens, closes in hours if opens is not None)
    for (_opens, closes), (next_opens, _next_closes) in itertools.pairwise(spans):
        if closes is not None and next_opens < closes:
            raise ValidationError(
                _("Les horaires exceptionnels du %(date)s se chevauchent.") % {"date": when},
                code="overlap",
            )


class OpeningException(models.Model):
    """Special hours on one date: 24 December 9:00-12:00 only, a public holiday open
    exceptionally, or closed all day (no hours). They replace the regular hours of that date
    (Service.is_open_at says how they combine with slots, 24/7 and closures).

    Several rows on the same date give split hours; a row closed all day stands alone.
    """

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="opening_exceptions"
    )
    on = models.DateField(_("date"))
    opens = models.TimeField(
        _("ouvre à"), null=True, blank=True, help_text=_("Vide : fermé toute la journée.")
    )
    closes = models.TimeField(_("ferme à"), null=True, blank=True)
    notice = models.CharField(
        _("message"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple « Veille de Noël ». Visible de tous."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("horaire exceptionnel")
        verbose_name_plural = _("horaires exceptionnels")
        ordering = ["on", "opens"]
        # "Open now" looks up the exceptions of the day (search.open_at).
        indexes = [models.Index(fields=["on", "opens", "closes"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False),
                name="exception_hours_both_or_none",
                violation_error_message=_(
                    "Indiquez l'heure d'ouverture et celle de fermeture, ou aucune des deux "
                    "si le service est fermé toute la journée."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opens__isnull=True) | Q(closes__gt=models.F("opens")),
                name="exception_closes_after_opening",
                violation_error_message=_("L'heure de fermeture doit suivre l'ouverture."),
            ),
        ]

    def __str__(self) -> str:
        if self.is_closed:
            return f"{self.on:%d/%m/%Y} " + str(_("fermé"))
        return f"{self.on:%d/%m/%Y} {self.opens:%H:%M}-{self.closes:%H:%M}"

    @property
    def is_closed(self) -> bool:
        """Closed all day (no hours)."""
        return self.opens is None

    def covers(self, day: date, clock: time) -> bool:
        return (
            self.on == day
            and self.opens is not None
            and self.closes is not None
            and self.opens <= clock < self.closes
        )

    def sort_key(self) -> tuple[date, time]:
        return (self.on, self.opens or time.min)

    def clean(self) -> None:
        if (self.opens is None) != (self.closes is None):
            raise ValidationError(
                _(
                    "Indiquez l'heure d'ouverture et celle de fermeture, ou aucune des deux "
                    "si le service est fermé toute la journée."
                )
            )
        if self.opens is not None and self.closes <= self.opens:
            raise ValidationError({"closes": _("L'heure de fermeture doit suivre l'ouverture.")})
        if self.service_id is None or self.on is None:
            return
        others = OpeningException.objects.filter(service_id=self.service_id, on=self.on)
        if self.pk is not None:
            others = others.exclude(pk=self.pk)
        check_exception_day(
            self.on, [*others.values_list("opens", "closes"), (self.opens, self.closes)]
        )


class ImportJob(models.Model):
    """An import started from the back office, run by the worker, its progress shown live."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    territory = models.ForeignKey(
        "core.Territory", verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(_("fichier"), upload_to="imports/%Y/%m/")
    format = models.CharField(_("format"), max_length=20)
    dry_run = models.BooleanField(_("vérification seulement"), default=True)
    valid_rows_only = models.BooleanField(_("lignes valides seulement"), default=False)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.WAITING)
    done = models.PositiveIntegerField(_("lignes traitées"), default=0)
    total = models.PositiveIntegerField(_("lignes à traiter"), null=True, blank=True)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file.name} ({self.get_status_display()})"

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return None
        return min(99, round(100 * self.done / self.total))


class SearchVersion(models.Model):
    """One row whose token changes with every change of what the search reads (index.py).

    A random token rather than a counter: a rolled-back transaction (a test, a failed import)
    brings back an older token, which no process holds an index for.
    """

    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("version de l'index de recherche")

    def __str__(self) -> str:
        return str(self.token)


from .feedback import *  # noqa: E402, F403  (models of feedback.py)
