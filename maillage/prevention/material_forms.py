"""Forms of the campaigns and materials (the coordination's workspace) and of the library's
filters."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Organisation, Priority, Territory
from maillage.core.validators import refuse_control_characters

from .materials import MAX_RESTOCK
from .models import Audience, Campaign, Language, Material, MaterialVariant

NO_VICTIM_DATA = _(
    "N'écrivez ici aucune information qui permettrait d'identifier une victime ou une "
    "personne accompagnée."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def territory_field(form: forms.ModelForm, territories: QuerySet[Territory]) -> None:
    form.fields["territory"].queryset = territories
    if len(territories) == 1:
        form.fields["territory"].initial = territories[0]
        form.fields["territory"].widget = forms.HiddenInput()


# Campaigns


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)


class CampaignForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Publics visés"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = [
            "territory",
            "title",
            "description",
            "priority",
            "starts_on",
            "ends_on",
            "audiences",
            "partners",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "partners": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, territories: QuerySet[Territory], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        territory_field(self, territories)
        self.fields["description"].help_text = NO_VICTIM_DATA
        self.fields["priority"].queryset = Priority.objects.filter(
            contract__territory__in=territories
        ).select_related("contract")
        self.fields["priority"].help_text = _("Parmi les priorités des contrats du territoire.")
        self.fields["partners"].queryset = Organisation.objects.filter(
            territory__in=territories
        ).order_by("name")
        self.fields["partners"].help_text = _(
            "Les structures du territoire qui portent la campagne."
        )

    def clean(self) -> dict:
        data = super().clean()
        territory = data.get("territory")
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin de la campagne doit suivre son début."))
        if territory:
            priority = data.get("priority")
            if priority and priority.contract.territory_id != territory.pk:
                self.add_error(
                    "priority", _("Cette priorité n'est pas celle d'un contrat du territoire.")
                )
            foreign = [o for o in data.get("partners") or [] if o.territory_id != territory.pk]
            if foreign:
                self.add_error(
                    "partners",
                    _("Ces structures ne sont pas du territoire : %(names)s.")
                    % {"names": ", ".join(o.name for o in foreign)},
                )
        return data


# Materials


class MaterialFilterForm(forms.Form):
    SORTS = [
        ("title", _("Titre")),
        ("-created", _("Les plus récents")),
        ("stock", _("Stock croissant")),
        ("campaign", _("Campagne")),
    ]
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    campaign = forms.ModelChoiceField(
        label=_("Campagne"),
        required=False,
        queryset=Campaign.objects.none(),
        empty_label=_("Toutes les campagnes"),
    )
    kind = forms.ChoiceField(
        label=_("Type de support"),
        required=False,
        choices=[("", _("Tous les types")), *Material.Kind.choices],
    )
    state = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[("", _("Tous les états")), *Material.ReviewState.choices],
    )
    low_stock = forms.BooleanField(label=_("Stock bas seulement"), required=False)
    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=SORTS)

    def __init__(self, *args, campaigns: QuerySet[Campaign], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns


class MaterialForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Fichier principal"),
        required=False,
        help_text=_(
            "PDF, PNG ou JPEG, 10 Mo au plus ; un nouveau dépôt remplace le fichier. Les "
            "images sont ré-enregistrées sans leurs métadonnées (position GPS comprise)."
        ),
    )

    class Meta:
        model = Material
        fields = [
            "campaign",
            "kind",
            "title",
            "description",
            "audience",
            "is_public",
            "external_url",
            "licence",
            "credits",
            "shows_people_consent",
            "consent_note",
            "print_specs",
            "legal_mentions",
            "partner_logo_slot",
            "partner_logo_note",
            "stock",
            "stock_alert_threshold",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "licence": forms.Textarea(attrs={"rows": 3}),
            "consent_note": forms.Textarea(attrs={"rows": 2}),
            "print_specs": forms.Textarea(attrs={"rows": 3}),
            "legal_mentions": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"is_public": _("Public (sinon réservé aux partenaires)")}

    def __init__(self, *args, campaigns: QuerySet[Campaign], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self, "title")  # in the subject of the low-stock alert
        self.fields["campaign"].queryset = campaigns
        self.fields["external_url"].assume_scheme = "https"
        self.fields["is_public"].help_text = _(
            "Public : dans la bibliothèque ouverte à tous, une fois validé. Sinon, seuls les "
            "partenaires du territoire le voient."
        )
        self.fields["consent_note"].help_text = NO_VICTIM_DATA
        self.fields["description"].help_text = NO_VICTIM_DATA
        if self.instance.pk:
            # The stock changes through restocks and orders, which keep their history.
            del self.fields["stock"]
        else:
            self.fields["stock"].help_text = _(
                "Exemplaires imprimés disponibles ; ensuite, réapprovisionnez depuis la page "
                "du stock."
            )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("partner_logo_note") and not data.get("partner_logo_slot"):
            self.add_error(
                "partner_logo_slot",
                _("Cochez l'emplacement pour le logo d'un partenaire, ou videz sa description."),
            )
        return data


class VariantForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Usage du fichier"), choices=MaterialVariant.Purpose.choices
    )
    language = forms.ChoiceField(
        label=_("Langue"), choices=Language.choices, initial=Language.FRENCH
    )
    bleed_mm = forms.IntegerField(
        label=_("Fond perdu (mm)"),
        required=False,
        min_value=0,
        max_value=50,
        help_text=_("Pour un fichier d'impression seulement (3 mm le plus souvent)."),
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "PDF, PNG ou JPEG (vérifié d'après son contenu) : 10 Mo au plus pour le web, "
            "50 Mo pour l'impression et la source. Un fichier déjà déposé pour le même usage "
            "et la même langue est remplacé."
        ),
    )

    def clean(self) -> dict:
        data = super().clean()
        if (
            data.get("bleed_mm") is not None
            and data.get("purpose") != MaterialVariant.Purpose.PRINT
        ):
            self.add_error(
                "bleed_mm", _("Le fond perdu ne concerne que les fichiers pour l'impression.")
            )
        return data


class RestockForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Exemplaires ajoutés"), min_value=1, max_value=MAX_RESTOCK
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=60,
        help_text=_("Par exemple : réimpression de mars, imprimeur."),
    )


# The public library


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Type de support"),
        required=False,
        choices=[("", _("Tous les types")), *Material.Kind.choices],
    )
    audience = forms.ChoiceField(
        label=_("Public"), required=False, choices=[("", _("Tous les publics")), *Audience.choices]
    )
    campaign = forms.ModelChoiceField(
        label=_("Campagne"),
        required=False,
        queryset=Campaign.objects.none(),
        empty_label=_("Toutes les campagnes"),
    )
    language = forms.ChoiceField(
        label=_("Langue"),
        required=False,
        choices=[("", _("Toutes les langues")), *Language.choices],
    )

    def __init__(self, *args, campaigns: QuerySet[Campaign], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
