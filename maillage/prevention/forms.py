from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Commune, Organisation

from .models import Material


class PrintOrderForm(forms.Form):
    material = forms.ModelChoiceField(label=_("Support"), queryset=Material.objects.none())
    organisation = forms.ModelChoiceField(
        label=_("Pour la structure"), queryset=Organisation.objects.none()
    )
    quantity = forms.IntegerField(label=_("Nombre d'exemplaires"), min_value=1, max_value=100000)
    commune = forms.ModelChoiceField(
        label=_("Commune de diffusion"),
        queryset=Commune.objects.none(),
        required=False,
        help_text=_("Laissée vide : la commune de la structure."),
    )

    def __init__(self, *args, organisations, materials, communes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["material"].queryset = materials
        self.fields["commune"].queryset = communes
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


class RefusalForm(forms.Form):
    comment = forms.CharField(
        label=_("Motif du refus"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Livrée le"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class MaterialFileForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier du support"), help_text=_("PDF, PNG ou JPEG, 10 Mo au plus.")
    )
