"""Orientation: the decision tree of the guide (domain.md §5), as data.

A territory's tree lives in versions (TreeVersion): one draft being prepared, one published
(what visitors walk), older ones archived. A published or archived version is never edited:
the coordinator copies it into a draft, edits, validates (tree.validate) and publishes
(services.py). Nodes are questions (single or multiple choice, or the commune) and results;
a question's answers (Choice) lead to the next node. Results, and answers too, carry what the
visitor is shown: national numbers (NationalNumber codes), directory filters (taxonomy codes
of maillage.directory), flags, advice and "what happens next".

Nothing a visitor answers is ever stored. The only thing written when a visitor walks the
guide is, if the territory turned it on, one anonymous counter per result and per month
(ResultCount).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from maillage.core.models import Territory

# Flags a result or an answer may set on the directory query (search.Query) or its ranking.
FLAGS = {
    "urgent": _("réponse en urgence d'abord (24 h/24 ou réponse en urgence)"),
    "open_now": _("ouvert maintenant"),
    "free": _("gratuit"),
    "anonymous": _("anonyme possible"),
    "minors": _("accueille les mineurs"),
    "remote": _("joignable à distance d'abord (téléphone, tchat)"),
}

short_number = RegexValidator(
    r"^[0-9 +]*$", _("Un numéro ne contient que des chiffres et des espaces, par exemple 3919.")
)


class NationalNumber(models.Model):
    """A national help number or online service (domain.md §3): 17, 112, 114, 3919, 119…

    Reference data shared by every territory, loaded by a data migration and corrected by an
    administrator (with history). The banner of every page keeps its own short list
    (core.EmergencyNumber); the guide's results pick the numbers that apply here, by code.
    """

    class Channel(models.TextChoices):
        CALL = "call", _("Appel")
        SMS = "sms", _("SMS")
        WEB = "web", _("Site ou tchat")

    code = models.SlugField(
        _("code"), max_length=40, unique=True, help_text=_("Repère stable, par exemple 3919.")
    )
    number = models.CharField(_("numéro"), max_length=30, blank=True, validators=[short_number])
    name = models.CharField(_("nom"), max_length=150)
    description = models.CharField(_("à quoi il sert"), max_length=300, blank=True)
    hours = models.CharField(_("horaires et conditions"), max_length=200, blank=True)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel, default=Channel.CALL)
    url = models.URLField(_("adresse du site"), blank=True)
    is_active = models.BooleanField(_("affiché"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("numéro national")
        verbose_name_plural = _("numéros nationaux")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.number or self.url} — {self.name}"

    def clean(self) -> None:
        if self.channel == self.Channel.WEB and not self.url:
            raise ValidationError({"url": _("Indiquez l'adresse du site.")})
        if self.channel != self.Channel.WEB and not self.number:
            raise ValidationError({"number": _("Indiquez le numéro.")})

    @property
    def href(self) -> str:
        if self.channel == self.Channel.WEB:
            return self.url
        scheme = "sms" if self.channel == self.Channel.SMS else "tel"
        return f"{scheme}:{self.number.replace(' ', '')}"


class TreeVersion(models.Model):
    """One version of a territory's decision tree."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")
        ARCHIVED = "archived", _("Archivée")

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="orientation_versions",
    )
    number = models.PositiveIntegerField(_("numéro de version"))
    status = models.CharField(_("état"), max_length=10, choices=Status, default=Status.DRAFT)
    start = models.ForeignKey(
        "Node",
        verbose_name=_("première question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("ce qui change"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copiée de"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("publiée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("version du questionnaire d'orientation")
        verbose_name_plural = _("versions du questionnaire d'orientation")
        ordering = ["territory", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "number"],
                name="tree_version_number_unique",
                violation_error_message=_("Ce territoire a déjà une version de ce numéro."),
            ),
            models.UniqueConstraint(
                fields=["territory"],
                condition=Q(status="published"),
                name="tree_version_one_published",
                violation_error_message=_("Ce territoire a déjà une version publiée."),
            ),
            models.UniqueConstraint(
                fields=["territory"],
                condition=Q(status="draft"),
                name="tree_version_one_draft",
                violation_error_message=_("Ce territoire a déjà une version en brouillon."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} — v{self.number} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        """Only a draft changes; a published or archived version stays as visitors saw it."""
        return self.status == self.Status.DRAFT


class Contacts(models.Model):
    """What a result, or an answer, adds to what the visitor is shown."""

    numbers = models.JSONField(
        _("numéros nationaux"),
        default=list,
        blank=True,
        help_text=_("Codes des numéros nationaux, dans l'ordre d'affichage (17, 112, 114…)."),
    )
    violence = models.JSONField(
        _("types de violence (annuaire)"), default=list, blank=True, help_text=_("Codes.")
    )
    help = models.JSONField(
        _("types d'aide (annuaire)"), default=list, blank=True, help_text=_("Codes.")
    )
    public = models.JSONField(_("publics (annuaire)"), default=list, blank=True)
    flags = models.JSONField(
        _("options"),
        default=list,
        blank=True,
        help_text=_("urgent, open_now, free, anonymous, minors, remote."),
    )

    class Meta:
        abstract = True

    @property
    def has_directory_filter(self) -> bool:
        return bool(self.violence or self.help or self.public)


class Node(Contacts):
    """A screen of the guide: a question or a result."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("Question à choix unique")
        MULTIPLE = "multiple", _("Question à choix multiples")
        COMMUNE = "commune", _("Question : la commune")
        RESULT = "result", _("Résultat")

    version = models.ForeignKey(
        TreeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="nodes"
    )
    key = models.SlugField(
        _("clé"), max_length=60, help_text=_("Repère stable d'une version à l'autre.")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind)
    title = models.CharField(_("intitulé"), max_length=300)
    help_text = models.TextField(_("aide"), blank=True)
    professional_notes = models.TextField(
        _("repères pour les professionnels"),
        blank=True,
        help_text=_("Montrés aux professionnels connectés seulement."),
    )
    advice = models.TextField(
        _("conseils"), blank=True, help_text=_("Un conseil par ligne (résultats).")
    )
    next_steps = models.TextField(_("et ensuite ?"), blank=True)
    next = models.ForeignKey(
        "self",
        verbose_name=_("étape suivante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Question à choix multiples ou commune : la question suivante. Résultat : la "
            "question où l'on continue ensuite (vide pour un résultat final)."
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "key"],
                name="node_key_unique",
                violation_error_message=_("Cette version a déjà une étape avec cette clé."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.key})"

    @property
    def territory_id(self) -> int:
        """The version's territory, which the permissions read (core.rules)."""
        return self.version.territory_id

    @property
    def is_question(self) -> bool:
        return self.kind != self.Kind.RESULT

    @property
    def advice_lines(self) -> list[str]:
        return [line.strip() for line in self.advice.splitlines() if line.strip()]


class Choice(Contacts):
    """An answer to a question, leading to the next node (a single choice always does)."""

    node = models.ForeignKey(
        Node, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    key = models.SlugField(_("clé"), max_length=60)
    label = models.CharField(_("libellé"), max_length=200)
    help_text = models.CharField(_("précision"), max_length=300, blank=True)
    next = models.ForeignKey(
        Node,
        verbose_name=_("étape suivante"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Obligatoire pour une question à choix unique. À choix multiples : la première "
            "réponse cochée qui mène ailleurs l'emporte sur la question suivante."
        ),
    )
    facts = models.JSONField(
        _("ce que la réponse dit de la situation"),
        default=dict,
        blank=True,
        help_text=_(
            'Clés de la situation (situation.py), par exemple {"asker": "victim"} ou '
            '{"forms": ["conjugal"]} : le résultat final est composé à partir d\'elles.'
        ),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("réponse")
        verbose_name_plural = _("réponses")
        ordering = ["node", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["node", "key"],
                name="choice_key_unique",
                violation_error_message=_("Cette question a déjà une réponse avec cette clé."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class OrientationSettings(models.Model):
    """A territory's choices for its guide. Counting is off unless the territory turns it on."""

    territory = models.OneToOneField(
        Territory,
        verbose_name=_("territoire"),
        on_delete=models.CASCADE,
        related_name="orientation_settings",
    )
    counts_enabled = models.BooleanField(
        _("compter les résultats affichés"),
        default=False,
        help_text=_(
            "Un compteur anonyme par résultat et par mois, rien d'autre : ni les réponses, ni "
            "la commune, ni l'heure."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réglages de l'orientation")
        verbose_name_plural = _("réglages de l'orientation")

    def __str__(self) -> str:
        return str(self.territory)


class ResultCount(models.Model):
    """Anonymous aggregate: how many times a result was shown in a month."""

    node = models.ForeignKey(
        Node, verbose_name=_("résultat"), on_delete=models.PROTECT, related_name="counts"
    )
    month = models.DateField(_("mois"))
    count = models.PositiveIntegerField(_("nombre"), default=0)

    class Meta:
        verbose_name = _("résultat affiché (compteur mensuel)")
        verbose_name_plural = _("résultats affichés (compteurs mensuels)")
        ordering = ["-month", "node"]
        constraints = [
            models.UniqueConstraint(fields=["node", "month"], name="result_count_once_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y} {self.node.key} ({self.count})"
