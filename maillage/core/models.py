"""Territories, contracts, organisations, signatures, accounts and roles."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import validate_single_line

hex_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Saisissez une couleur au format #RRVVBB, par exemple #5b2a86.")
)
insee_code = RegexValidator(
    r"^(\d{5}|2[AB]\d{3})$", _("Un code INSEE compte cinq caractères, par exemple 49007.")
)


def validate_french_phone(value: str) -> None:
    """A French number (02 41 05 40 00, +33 2 41 05 40 00) or a short one (115, 3919, 116 006)."""
    digits = re.sub(r"[\s.\-]", "", value)
    if not re.fullmatch(r"(\+33|0)[1-9]\d{8}|1\d{2}(\d{3})?|3\d{3}", digits):
        raise ValidationError(
            _(
                "Saisissez un numéro français, par exemple 02 41 05 40 00, "
                "ou un numéro court comme 3919."
            ),
            code="invalid_phone",
        )


def contrast_with_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio between a #RRGGBB colour and white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def validate_readable_on_white(colour: str) -> None:
    if re.fullmatch(r"#[0-9a-fA-F]{6}", colour) and contrast_with_white(colour) < 4.5:
        raise ValidationError(
            _(
                "Cette couleur ne contraste pas assez avec le blanc (%(ratio).1f:1 ; il faut au "
                "moins 4,5:1 pour que textes et liens restent lisibles)."
            ),
            params={"ratio": contrast_with_white(colour)},
            code="low_contrast",
        )


class Commune(models.Model):
    """A French commune, from INSEE's official geographic code (never edited by hand)."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    department = models.CharField(_("département"), max_length=3)
    postal_codes = models.JSONField(_("codes postaux"), default=list, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TerritoryQuerySet(models.QuerySet):
    def visible_to(self, user) -> TerritoryQuerySet:
        """The territories where the user holds a role (all of them for an administrator)."""
        if user.is_superuser:
            return self.all()
        return self.filter(Q(roles__user=user) | Q(organisations__roles__user=user)).distinct()


class Territory(models.Model):
    """The area of a contract (an EPCI or a commune), with its look on the public pages."""

    name = models.CharField(_("nom"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("identifiant d'URL"), unique=True)
    epci_siren = models.CharField(_("SIREN de l'EPCI"), max_length=9, blank=True)
    communes = models.ManyToManyField(Commune, verbose_name=_("communes"), blank=True)
    display_name = models.CharField(
        _("nom affiché"),
        max_length=200,
        blank=True,
        help_text=_("Nom court, dans l'en-tête."),
        validators=[validate_single_line],
    )
    logo = models.ImageField(_("logo"), upload_to="territories/", blank=True)
    primary_colour = models.CharField(
        _("couleur principale"),
        max_length=7,
        default="#5b2a86",
        validators=[hex_colour, validate_readable_on_white],
    )
    accent_colour = models.CharField(
        _("couleur d'accent"),
        max_length=7,
        default="#0b6e4f",
        validators=[hex_colour, validate_readable_on_white],
    )
    history = HistoricalRecords()

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.display_name or self.name

    def current_contract(self) -> Contract | None:
        return self.contracts.order_by("-start_date").first()


class Contract(models.Model):
    territory = models.ForeignKey(
        Territory, verbose_name=_("territoire"), on_delete=models.PROTECT, related_name="contracts"
    )
    title = models.CharField(_("intitulé"), max_length=300)
    start_date = models.DateField(_("début"))
    end_date = models.DateField(_("fin"))
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")), name="contract_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period})"

    def get_absolute_url(self) -> str:
        return reverse("core:contract", args=[self.territory.slug, self.pk])

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("La fin du contrat doit suivre son début.")})

    @property
    def period(self) -> str:
        return f"{self.start_date.year}-{self.end_date.year}"


class Priority(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contrat"), on_delete=models.CASCADE, related_name="priorities"
    )
    code = models.CharField(
        _("code"), max_length=20, help_text=_("Par exemple FORMER, PRÉVENIR ou FÉDÉRER.")
    )
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("priorité")
        verbose_name_plural = _("priorités")
        ordering = ["contract", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "code"],
                name="priority_code_unique",
                violation_error_message=_("Ce contrat a déjà une priorité avec ce code."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def territory_id(self) -> int:
        return self.contract.territory_id


class OrganisationQuerySet(models.QuerySet):
    def in_territory(self, territory: Territory) -> OrganisationQuerySet:
        return self.filter(territory=territory)

    def search(self, text: str) -> OrganisationQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(acronym__icontains=text))


class Organisation(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("État")
        LOCAL_AUTHORITY = "local_authority", _("Collectivité")
        JUSTICE = "justice", _("Justice")
        POLICE = "police", _("Police, gendarmerie")
        HEALTH = "health", _("Santé")
        EDUCATION = "education", _("Éducation, enseignement supérieur")
        SOCIAL_PROTECTION = "social_protection", _("Protection sociale")
        ASSOCIATION = "association", _("Association")
        NIGHTLIFE = "nightlife", _("Établissement de nuit")
        COMPANY = "company", _("Entreprise")
        OTHER = "other", _("Autre")

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name = models.CharField(_("nom"), max_length=300, validators=[validate_single_line])
    acronym = models.CharField(
        _("sigle"), max_length=50, blank=True, validators=[validate_single_line]
    )
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", _("Un SIRET compte 14 chiffres."))],
    )
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    website = models.URLField(_("site web"), blank=True)
    public_phone = models.CharField(
        _("téléphone public"), max_length=30, blank=True, validators=[validate_french_phone]
    )
    public_email = models.EmailField(_("courriel public"), blank=True)
    description = models.TextField(
        _("présentation"),
        blank=True,
        help_text=_("Ce que fait la structure. N'écrivez jamais rien sur une personne aidée."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "name"],
                name="organisation_name_unique",
                violation_error_message=_("Une structure porte déjà ce nom sur ce territoire."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:organisation", args=[self.territory.slug, self.pk])

    def clean(self) -> None:
        self.public_phone = normalise_phone(self.public_phone)


def normalise_phone(number: str) -> str:
    """Write a French number as 02 41 05 40 00 (short numbers such as 3919 stay as they are)."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    if len(digits) == 10 and digits.startswith("0"):
        return " ".join(digits[i : i + 2] for i in range(0, 10, 2))
    return (number or "").strip()


class SignatureQuerySet(models.QuerySet):
    def filter_by(
        self, *, kind: str = "", new: bool | None = None, commune: str = "", text: str = ""
    ) -> SignatureQuerySet:
        queryset = self
        if kind:
            queryset = queryset.filter(organisation__kind=kind)
        if new is not None:
            queryset = queryset.filter(is_new=new)
        if commune:
            queryset = queryset.filter(organisation__commune_id=commune)
        if text.strip():
            queryset = queryset.filter(
                Q(organisation__name__icontains=text.strip())
                | Q(organisation__acronym__icontains=text.strip())
                | Q(signatory_title__icontains=text.strip())
            )
        return queryset


class Signature(models.Model):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contrat"), on_delete=models.CASCADE, related_name="signatures"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    signed_on = models.DateField(_("date de signature"), null=True, blank=True)
    signatory_title = models.CharField(
        _("qualité du signataire"),
        max_length=300,
        blank=True,
        help_text=_("La fonction, pas le nom : « Le préfet de Maine-et-Loire »."),
    )
    is_new = models.BooleanField(_("nouveau dans ce contrat"), default=False)
    history = HistoricalRecords()

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "organisation"],
                name="signature_unique_per_contract",
                violation_error_message=_("Cette structure a déjà signé ce contrat."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.contract}"

    @property
    def territory_id(self) -> int:
        return self.contract.territory_id


class EmergencyNumber(models.Model):
    """A number of the emergency banner shown on every page (17, 112, 114 by SMS, 3919)."""

    class Channel(models.TextChoices):
        CALL = "call", _("Appel")
        SMS = "sms", _("SMS")

    number = models.CharField(_("numéro"), max_length=20)
    label = models.CharField(_("libellé"), max_length=120)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel, default=Channel.CALL)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("affiché"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("numéro d'urgence")
        verbose_name_plural = _("numéros d'urgence")
        ordering = ["position", "number"]

    def __str__(self) -> str:
        return f"{self.number} — {self.label}"

    @property
    def href(self) -> str:
        scheme = "sms" if self.channel == self.Channel.SMS else "tel"
        return f"{scheme}:{self.number.replace(' ', '')}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A professional account, identified by email. Administrators are superusers."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    # AbstractUser's name fields, on one line: they end up in emails.
    first_name = models.CharField(
        _("prénom"), max_length=150, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("nom"), max_length=150, blank=True, validators=[validate_single_line]
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("compte")
        verbose_name_plural = _("comptes")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser

    def coordinated_territories(self) -> models.QuerySet[Territory]:
        return Territory.objects.filter(
            roles__user=self, roles__kind=Role.Kind.COORDINATOR
        ).distinct()

    def organisations(self, *kinds: str) -> models.QuerySet[Organisation]:
        roles = self.roles.exclude(organisation=None)
        if kinds:
            roles = roles.filter(kind__in=kinds)
        return Organisation.objects.filter(pk__in=roles.values("organisation"))

    @property
    def requires_second_factor(self) -> bool:
        """Coordinators and administrators cannot reach their pages without a second factor."""
        return self.is_superuser or self.roles.filter(kind=Role.Kind.COORDINATOR).exists()


class Role(models.Model):
    """What an account may do: coordinate a territory, or act for an organisation."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordination du territoire")
        REFERENT = "referent", _("Référent·e de la structure")
        TRAINER = "trainer", _("Formateur·rice")
        PROFESSIONAL = "professional", _("Professionnel·le")

    user = models.ForeignKey(
        User, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("rôle"), max_length=20, choices=Kind)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="roles",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rôle")
        verbose_name_plural = _("rôles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="coordinator", territory__isnull=False, organisation__isnull=True)
                    | (
                        ~Q(kind="coordinator")
                        & Q(territory__isnull=True, organisation__isnull=False)
                    )
                ),
                name="role_scope_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["user", "territory"],
                condition=Q(kind="coordinator"),
                name="role_unique_coordinator",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "organisation"],
                condition=~Q(kind="coordinator"),
                name="role_unique_in_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} — {self.territory or self.organisation}"

    def clean(self) -> None:
        if self.kind == self.Kind.COORDINATOR and not self.territory_id:
            raise ValidationError({"territory": _("Un rôle de coordination vise un territoire.")})
        if self.kind != self.Kind.COORDINATOR and not self.organisation_id:
            raise ValidationError({"organisation": _("Ce rôle vise une structure.")})


# The audit log's model lives beside its helper (maillage/core/audit.py); imported here so
# that Django registers it with the core app.
from .audit import AuditEvent  # noqa: E402, F401


class MembershipRequestQuerySet(models.QuerySet):
    def pending(self) -> MembershipRequestQuerySet:
        return self.filter(status=MembershipRequest.Status.PENDING)

    def in_territories(self, territories) -> MembershipRequestQuerySet:
        return self.filter(organisation__territory__in=territories)


class MembershipRequest(models.Model):
    """A signed-up account asks to join an organisation; the territory's coordination approves
    (the role is created then) or refuses. Until then the account sees nothing of the
    workspace."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REFUSED = "refused", _("Refusée")

    KINDS = [
        (Role.Kind.PROFESSIONAL, Role.Kind.PROFESSIONAL.label),
        (Role.Kind.REFERENT, Role.Kind.REFERENT.label),
        (Role.Kind.TRAINER, Role.Kind.TRAINER.label),
    ]

    user = models.ForeignKey(
        User, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("structure"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    kind = models.CharField(_("rôle demandé"), max_length=20, choices=KINDS)
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("décidée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande d'accès")
        verbose_name_plural = _("demandes d'accès")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="membership_request_one_pending",
                violation_error_message=_(
                    "Vous avez déjà une demande en attente pour cette structure."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation}"

    @property
    def territory_id(self) -> int:
        """Read by the permission rules: the territory of the organisation."""
        return self.organisation.territory_id
