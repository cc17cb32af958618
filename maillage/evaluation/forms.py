"""Forms of the evaluation: an indicator's definition, and a value entered for a period."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DateInput, ScopedModelForm
from maillage.core.models import Contract, Organisation
from maillage.trainings.models import Module

from .computations import computation_choices
from .models import Indicator


class IndicatorForm(ScopedModelForm):
    scope_fields = ("contract",)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "definition",
            "unit",
            "level",
            "priority",
            "source",
            "computation",
            "training_module",
            "cumulative",
            "frequency",
            "baseline",
            "target",
            "responsible",
            "is_headline",
            "position",
        ]

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        self.fields["computation"] = forms.ChoiceField(
            label=_("Calcul"),
            required=False,
            choices=[("", _("— aucun (indicateur saisi ou d'enquête) —")), *computation_choices()],
            help_text=self.fields["computation"].help_text,
        )
        self.fields["priority"].queryset = contract.priorities.all()
        self.fields["responsible"].queryset = Organisation.objects.in_territory(
            contract.territory
        ).order_by("name")
        self.fields["training_module"].queryset = Module.objects.filter(
            territory=contract.territory
        ).order_by("title")


class IndicatorValueForm(forms.Form):
    period_start = forms.DateField(label=_("Début de la période"), widget=DateInput)
    period_end = forms.DateField(label=_("Fin de la période"), widget=DateInput)
    value = forms.DecimalField(label=_("Valeur"), max_digits=14, decimal_places=2)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Source, mode de calcul, réserves. N'écrivez jamais rien qui permette "
            "d'identifier une personne aidée."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {})
        last_year = timezone.localdate().year - 1
        kwargs["initial"].setdefault("period_start", date(last_year, 1, 1))
        kwargs["initial"].setdefault("period_end", date(last_year, 12, 31))
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période doit suivre son début."))
        return data


class ReviewYearForm(forms.Form):
    annee = forms.TypedChoiceField(label=_("Période"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        years = range(contract.start_date.year, contract.end_date.year + 1)
        self.fields["annee"].choices = [
            ("", _("Tout le contrat (%(period)s)") % {"period": contract.period}),
            *[(year, str(year)) for year in years],
        ]
