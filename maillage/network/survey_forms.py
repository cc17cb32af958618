"""Forms of the surveys: the builder (survey, question) and the public answer form, built from
the survey's questions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Contract
from maillage.core.validators import refuse_control_characters

from .models import Question, Survey
from .models.surveys import FREE_TEXT_WARNING
from .survey_templates import TEMPLATE_TITLES

K = Question.Kind
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_SCALE_STEPS = 11
FREE_TEXT_MAX = 3000


class SurveyFilterForm(forms.Form):
    """A GET form: shareable, no cookie."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous les états")), *Survey.Status.choices]
    )
    year = forms.IntegerField(label=_("Année"), required=False, min_value=2000, max_value=2100)


class SurveyForm(forms.ModelForm):
    template = forms.ChoiceField(
        label=_("Partir d'un modèle"),
        required=False,
        choices=[("", _("Aucun : je compose les questions")), *TEMPLATE_TITLES.items()],
        help_text=_(
            "Le modèle ajoute des questions prêtes à l'emploi, que vous pourrez modifier avant "
            "d'ouvrir l'enquête."
        ),
    )

    class Meta:
        model = Survey
        fields = [
            "contract",
            "title",
            "kind",
            "year",
            "intro",
            "opens_on",
            "closes_on",
            "reminder_days",
            "previous",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "intro": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self, "title")  # in the subject of the invitations
        self.fields["contract"].queryset = Contract.objects.filter(
            territory__in=territories
        ).select_related("territory")
        previous = Survey.objects.in_territories(territories).select_related("contract")
        if self.instance.pk:
            previous = previous.exclude(pk=self.instance.pk)
            del self.fields["template"]
            if not self.instance.is_draft:
                del self.fields["contract"]
        self.fields["previous"].queryset = previous
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        self.fields["reminder_days"].widget.attrs.update(min=1, max=60)

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Indiquez une année entre 2000 et 2100."))
        return year

    def clean_reminder_days(self) -> int:
        days = self.cleaned_data["reminder_days"]
        if not 1 <= days <= 60:
            raise forms.ValidationError(_("Entre 1 et 60 jours avant la clôture."))
        return days

    def clean(self) -> dict:
        data = super().clean()
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", _("La clôture ne peut précéder l'ouverture."))
        contract = data.get("contract") or getattr(self.instance, "contract", None)
        previous = data.get("previous")
        if previous and contract and previous.contract.territory_id != contract.territory_id:
            self.add_error("previous", _("Choisissez une enquête du même territoire."))
        if previous and data.get("year") and previous.year >= data["year"]:
            self.add_error("previous", _("L'enquête précédente doit dater d'une année antérieure."))
        return data


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choix proposés"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Un choix par ligne. Faites commencer par « + » les réponses jugées positives "
            "(pour l'indicateur). Pour un tableau : les colonnes."
        ),
    )
    rows_text = forms.CharField(
        label=_("Lignes du tableau"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Pour un tableau seulement : une ligne par élément à évaluer."),
    )

    class Meta:
        model = Question
        fields = [
            "kind",
            "text",
            "help_text",
            "required",
            "scale_min",
            "scale_max",
            "scale_min_label",
            "scale_max_label",
            "positive_from",
            "indicator",
        ]

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        Indicator = apps.get_model("evaluation", "Indicator")
        self.fields["indicator"].queryset = Indicator.objects.filter(contract=survey.contract)
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = "\n".join(
                ("+ " if c.is_positive else "") + c.label for c in self.instance.choices.all()
            )
            self.initial["rows_text"] = "\n".join(r.label for r in self.instance.rows.all())

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        choices = []
        for line in self._lines(data.get("choices_text", "")):
            positive = line.startswith("+")
            label = line.lstrip("+").strip()
            if len(label) > 300:
                self.add_error("choices_text", _("Un choix tient en 300 caractères au plus."))
            if label:
                choices.append((label, positive))
        labels = [label.casefold() for label, _positive in choices]
        if len(set(labels)) != len(labels):
            self.add_error("choices_text", _("Deux choix portent le même libellé."))
        rows = self._lines(data.get("rows_text", ""))
        if any(len(row) > 300 for row in rows):
            self.add_error("rows_text", _("Une ligne tient en 300 caractères au plus."))
        if kind in Question.WITH_CHOICES and len(choices) < 2:
            self.add_error("choices_text", _("Proposez au moins deux choix, un par ligne."))
        if kind == K.MATRIX and not rows:
            self.add_error("rows_text", _("Un tableau a au moins une ligne."))
        if kind == K.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is not None and high is not None:
                if low >= high:
                    self.add_error("scale_max", _("Le maximum doit dépasser le minimum."))
                elif high - low + 1 > MAX_SCALE_STEPS:
                    self.add_error(
                        "scale_max",
                        _("Une échelle a au plus %(n)s valeurs.") % {"n": MAX_SCALE_STEPS},
                    )
                positive_from = data.get("positive_from")
                if positive_from is not None and not low <= positive_from <= high:
                    self.add_error(
                        "positive_from", _("Choisissez une valeur comprise dans l'échelle.")
                    )
        elif data.get("positive_from") is not None:
            data["positive_from"] = None
        if data.get("indicator") and kind in (K.MATRIX, K.FREE_TEXT):
            self.add_error(
                "indicator",
                _("Seule une question à choix ou une échelle peut alimenter un indicateur."),
            )
        if (
            data.get("indicator")
            and kind in (K.SINGLE, K.MULTIPLE)
            and not any(positive for _label, positive in choices)
        ):
            self.add_error(
                "choices_text",
                _("Marquez d'un « + » au moins une réponse positive pour l'indicateur."),
            )
        if data.get("indicator") and kind == K.SCALE and data.get("positive_from") is None:
            self.add_error(
                "positive_from", _("Indiquez à partir de quelle valeur la réponse est positive.")
            )
        self.parsed_choices = choices
        self.parsed_rows = rows
        return data


class AnswerForm(forms.Form):
    """The public answer form: one field per question (per row for a matrix)."""

    def __init__(self, *args, survey: Survey, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.prefetch_related("choices", "rows"))
        self.layout: list[tuple[Question, list[str]]] = []
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}"
            choices = [(str(c.pk), c.label) for c in question.choices.all()]
            names = []
            if question.kind == K.SINGLE:
                names.append(self._add(question, forms.ChoiceField(
                    label=label, choices=choices, widget=forms.RadioSelect
                )))  # fmt: skip
            elif question.kind == K.MULTIPLE:
                names.append(self._add(question, forms.MultipleChoiceField(
                    label=label, choices=choices, widget=forms.CheckboxSelectMultiple
                )))  # fmt: skip
            elif question.kind == K.SCALE:
                scale = [(str(v), self._scale_label(question, v)) for v in question.scale_values]
                names.append(self._add(question, forms.TypedChoiceField(
                    label=label, choices=scale, coerce=int, widget=forms.RadioSelect,
                    error_messages={"invalid_choice": _(
                        "Choisissez une valeur entre %(min)s et %(max)s."
                    ) % {"min": question.scale_min, "max": question.scale_max}},
                )))  # fmt: skip
            elif question.kind == K.MATRIX:
                for row in question.rows.all():
                    names.append(self._add(question, forms.ChoiceField(
                        label=row.label, choices=choices, widget=forms.RadioSelect
                    ), suffix=f"_r{row.pk}"))  # fmt: skip
            else:
                names.append(self._add(question, forms.CharField(
                    label=label,
                    max_length=FREE_TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=FREE_TEXT_WARNING,
                )))  # fmt: skip
            self.layout.append((question, names))

    @staticmethod
    def _scale_label(question: Question, value: int) -> str:
        if value == question.scale_min and question.scale_min_label:
            return f"{value} ({question.scale_min_label})"
        if value == question.scale_max and question.scale_max_label:
            return f"{value} ({question.scale_max_label})"
        return str(value)

    def _add(self, question: Question, field: forms.Field, suffix: str = "") -> str:
        name = f"q{question.pk}{suffix}"
        field.required = question.required
        field.error_messages["required"] = _("Cette question est obligatoire.")
        if question.help_text and not field.help_text and not suffix:
            field.help_text = question.help_text
        self.fields[name] = field
        return name

    def groups(self) -> list[dict]:
        """For the template: each question with its bound fields."""
        return [
            {"question": question, "fields": [self[name] for name in names]}
            for question, names in self.layout
        ]

    def answers(self) -> dict[int, Any]:
        """The cleaned data as submit_response expects it."""
        data = self.cleaned_data
        answers: dict[int, Any] = {}
        for question, names in self.layout:
            if question.kind == K.MATRIX:
                answers[question.pk] = {
                    int(name.rsplit("_r", 1)[1]): data.get(name) or None for name in names
                }
            else:
                answers[question.pk] = data.get(names[0])
        return answers
