from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Commune,
    Contract,
    MembershipRequest,
    Organisation,
    Priority,
    Signature,
    Territory,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ScopedModelForm(forms.ModelForm):
    """A form whose scope (territory, contract) is set by the view, not typed by the user.

    Django leaves out of validation the unique constraints that name a field absent from the
    form; we keep them, so that a duplicate gets a French message instead of a database error.
    """

    scope_fields: tuple[str, ...] = ()

    def _get_validation_exclusions(self) -> set[str]:
        return super()._get_validation_exclusions() - set(self.scope_fields)


class OrganisationForm(ScopedModelForm):
    scope_fields = ("territory",)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "kind",
            "siret",
            "address",
            "commune",
            "website",
            "public_phone",
            "public_email",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, territory: Territory, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["commune"].queryset = territory.communes.all() or Commune.objects.all()
        self.fields["website"].assume_scheme = "https"
        self.fields["public_phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["public_email"].widget.attrs.update(autocomplete="email")


class ContractForm(forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["title", "start_date", "end_date", "signed_on"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "signed_on": DateInput()}


class PriorityForm(ScopedModelForm):
    scope_fields = ("contract",)

    class Meta:
        model = Priority
        fields = ["code", "title", "description", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()


class SignatureForm(ScopedModelForm):
    scope_fields = ("contract",)

    class Meta:
        model = Signature
        fields = ["organisation", "signatory_title", "signed_on", "is_new"]
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.fields["organisation"].queryset = Organisation.objects.in_territory(contract.territory)
        self.fields["signed_on"].help_text = _("Par défaut, la date de signature du contrat.")


class SignatureFilterForm(forms.Form):
    """The filters of a contract's signatories: a GET form, shareable, no cookie."""

    q = forms.CharField(label=_("Rechercher"), required=False)
    kind = forms.ChoiceField(
        label=_("Type de structure"),
        required=False,
        choices=[("", _("Tous les types")), *Organisation.Kind.choices],
    )
    new = forms.ChoiceField(
        label=_("Ancienneté"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("oui", _("Nouveaux dans ce contrat")),
            ("non", _("Déjà signataires")),
        ],
    )
    commune = forms.ChoiceField(label=_("Commune"), required=False)

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        communes = (
            Commune.objects.filter(organisation__signatures__contract=contract)
            .distinct()
            .order_by("name")
        )
        self.fields["commune"].choices = [
            ("", _("Toutes les communes")),
            *((c.insee_code, c.name) for c in communes),
        ]

    def filter(self, signatures):
        if not self.is_valid():
            return signatures
        data = self.cleaned_data
        new = {"oui": True, "non": False}.get(data["new"])
        return signatures.filter_by(
            kind=data["kind"], new=new, commune=data["commune"], text=data["q"]
        )


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    kind = forms.ChoiceField(
        label=_("Type de structure"),
        required=False,
        choices=[("", _("Tous les types")), *Organisation.Kind.choices],
    )


class MembershipRequestForm(forms.Form):
    """A signed-up account asks to join an organisation."""

    organisation = forms.ModelChoiceField(
        label=_("Structure"),
        queryset=Organisation.objects.select_related("territory").order_by(
            "territory__name", "name"
        ),
        help_text=_("La structure où vous travaillez, sur le territoire de son contrat local."),
    )
    kind = forms.ChoiceField(
        label=_("Rôle demandé"),
        choices=[],
        help_text=_(
            "La personne référente gère les services, les inscriptions et les commandes de la "
            "structure."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = MembershipRequest.KINDS
        self.fields["organisation"].label_from_instance = lambda organisation: (
            f"{organisation.name} — {organisation.territory.short_name}"
        )
