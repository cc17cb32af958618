"""Forms of the directory workspace and of the public "report an error" page."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.models import Organisation, Role, normalise_phone, validate_french_phone
from maillage.core.ratelimit import HoneypotForm
from maillage.core.validators import refuse_control_characters

from .feedback import ErrorReport
from .forms import find_commune
from .models import Service, Term, Visibility, check_exception_day
from .moderation import FIELDS, TERMS


class ServiceForm(forms.ModelForm):
    """The main fields of a service. Nothing is saved by the form: the view sends its data to
    moderation.submit_change (applied at once for a coordinator, else a change request)."""

    class Meta:
        model = Service
        fields = [*FIELDS[:3], *TERMS, *FIELDS[3:]]
        widgets = {
            "violence_types": forms.CheckboxSelectMultiple,
            "help_types": forms.CheckboxSelectMultiple,
            "publics": forms.CheckboxSelectMultiple,
            "suspended_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, organisations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self, "name")  # in the subject of the moderation emails
        for relation, vocabulary in TERMS.items():
            self.fields[relation].queryset = Term.objects.filter(
                vocabulary=vocabulary, is_active=True
            )
        if organisations is not None:
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    label=_("Structure"), queryset=organisations, empty_label=None
                ),
                **self.fields,
            }

    def data_dict(self) -> dict:
        """The cleaned values in the flat shape of moderation.service_data()."""
        data = {}
        for name in FIELDS:
            value = self.cleaned_data[name]
            data[name] = value.isoformat() if name == "suspended_until" and value else value
        for relation in TERMS:
            data[relation] = sorted(t.code for t in self.cleaned_data[relation])
        return data


class PlaceForm(forms.Form):
    """One place; leave it empty for a service without premises (a helpline)."""

    name = forms.CharField(label=_("Nom du lieu"), max_length=150, required=False)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    postal_code = forms.CharField(
        label=_("Code postal"),
        max_length=5,
        required=False,
        validators=[RegexValidator(r"^\d{5}$", _("Un code postal compte cinq chiffres."))],
    )
    commune = forms.CharField(
        label=_("Commune"),
        max_length=100,
        required=False,
        help_text=_("Son nom, son code postal ou son code INSEE."),
    )
    hide_address = forms.BooleanField(
        label=_(
            "Adresse confidentielle (hébergement, mise à l'abri) : seule la commune est montrée"
        ),
        required=False,
    )

    def clean_commune(self):
        text = self.cleaned_data["commune"]
        commune = find_commune(text)
        if text.strip() and commune is None:
            raise forms.ValidationError(
                _("Commune inconnue : saisissez son nom, son code postal ou son code INSEE.")
            )
        return commune

    def clean(self) -> dict:
        data = super().clean()
        filled = any(data.get(name) for name in ("name", "address", "postal_code"))
        if filled and not data.get("commune") and "commune" not in self.errors:
            self.add_error("commune", _("Indiquez la commune du lieu."))
        return data

    def data_dict(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("commune"):
            return None
        return {
            "name": data["name"].strip(),
            "address": data["address"].strip(),
            "postal_code": data["postal_code"],
            "commune": data["commune"].pk,
            "hide_address": data["hide_address"],
        }

    @staticmethod
    def initial_from(place: dict | None) -> dict:
        if not place:
            return {}
        return {**place, "commune": place["commune"]}


class PhoneForm(forms.Form):
    label = forms.CharField(
        label=_("Libellé"),
        max_length=100,
        required=False,
        help_text=_("Par exemple « Accueil » ou « Permanence juridique »."),
    )
    number = forms.CharField(
        label=_("Numéro"), max_length=30, required=False, validators=[validate_french_phone]
    )
    visibility = forms.ChoiceField(
        label=_("Visible par"), choices=Visibility.choices, initial=Visibility.PUBLIC
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("label") and not data.get("number") and "number" not in self.errors:
            self.add_error("number", _("Saisissez le numéro."))
        return data


class BasePhoneFormSet(forms.BaseFormSet):
    def data_list(self) -> list[dict]:
        return [
            {
                "label": form.cleaned_data["label"].strip(),
                "number": normalise_phone(form.cleaned_data["number"]),
                "visibility": form.cleaned_data["visibility"],
            }
            for form in self.forms
            if form.cleaned_data.get("number") and not form.cleaned_data.get("DELETE")
        ]


PhoneFormSet = forms.formset_factory(
    PhoneForm, formset=BasePhoneFormSet, extra=2, can_delete=True, max_num=10, validate_max=True
)


class ExceptionForm(forms.Form):
    """One exceptional date: its hours, or closed all day. Several rows of the same date give
    split hours. Leave a row empty to add nothing."""

    on = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    closed = forms.BooleanField(label=_("Fermé toute la journée"), required=False)
    opens = forms.TimeField(
        label=_("Ouvre à"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    closes = forms.TimeField(
        label=_("Ferme à"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    notice = forms.CharField(
        label=_("Message"),
        max_length=150,
        required=False,
        help_text=_("Par exemple « Veille de Noël ». Visible de tous."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        on, closed = data.get("on"), data.get("closed")
        opens, closes = data.get("opens"), data.get("closes")
        if on is None:
            if closed or opens or closes or data.get("notice"):
                self.add_error("on", _("Indiquez la date."))
            return data
        if on < timezone.localdate():
            self.add_error("on", _("Cette date est passée : indiquez une date à venir."))
        if closed:
            if opens or closes:
                self.add_error(
                    "opens",
                    _(
                        "Un jour fermé toute la journée n'a pas d'horaires : effacez les heures "
                        "ou décochez « Fermé toute la journée »."
                    ),
                )
        elif opens is None and closes is None:
            self.add_error(
                "opens",
                _("Indiquez les horaires de ce jour, ou cochez « Fermé toute la journée »."),
            )
        elif opens is None:
            self.add_error("opens", _("Indiquez l'heure d'ouverture."))
        elif closes is None:
            self.add_error("closes", _("Indiquez l'heure de fermeture."))
        elif closes <= opens:
            self.add_error("closes", _("L'heure de fermeture doit suivre l'ouverture."))
        return data

    @staticmethod
    def initial_from(rows: list[dict] | None) -> list[dict]:
        """Form initial values from the flat record's exceptions (moderation.service_data)."""
        return [
            {
                "on": row["on"],
                "closed": row["opens"] is None,
                "opens": row["opens"] or "",
                "closes": row["closes"] or "",
                "notice": row["notice"],
            }
            for row in rows or []
        ]


class BaseExceptionFormSet(forms.BaseFormSet):
    def _rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("on") and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        """The rows of one date together: closed all day stands alone, no overlap."""
        if any(self.errors):
            return
        days: dict[date, list] = {}
        for row in self._rows():
            hours = (None, None) if row["closed"] else (row["opens"], row["closes"])
            days.setdefault(row["on"], []).append(hours)
        errors = []
        for day, hours in sorted(days.items()):
            try:
                check_exception_day(day, hours)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def data_list(self) -> list[dict]:
        """The exceptions in the flat shape of moderation.service_data(), by date and hour."""
        rows = [
            {
                "on": row["on"].isoformat(),
                "opens": None if row["closed"] else row["opens"].strftime("%H:%M"),
                "closes": None if row["closed"] else row["closes"].strftime("%H:%M"),
                "notice": row["notice"].strip(),
            }
            for row in self._rows()
        ]
        return sorted(rows, key=lambda row: (row["on"], row["opens"] or ""))


ExceptionFormSet = forms.formset_factory(
    ExceptionForm,
    formset=BaseExceptionFormSet,
    extra=2,
    can_delete=True,
    max_num=100,
    validate_max=True,
)


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("Commentaire pour l'auteur"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour un refus. N'écrivez jamais rien sur une personne aidée."),
    )
    decision = forms.ChoiceField(
        choices=[("approve", _("Accepter")), ("reject", _("Refuser"))], widget=forms.HiddenInput
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", _("Dites à l'auteur pourquoi la modification est refusée."))
        return data


class ErrorReportForm(HoneypotForm, forms.ModelForm):
    """Public and anonymous: what is wrong, in a few words; nothing about anyone.
    The honeypot `site` (maillage.core.ratelimit) is hidden from people; robots fill it in."""

    class Meta:
        model = ErrorReport
        fields = ["kind", "message"]
        widgets = {
            "kind": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 4, "maxlength": 500}),
        }
        labels = {"kind": _("Qu'est-ce qui est faux ?"), "message": _("Précisions (facultatif)")}
        help_texts = {
            "message": _(
                "500 caractères au plus. Ne donnez aucun nom, aucune information sur vous ou sur "
                "une autre personne : décrivez seulement l'erreur de la fiche."
            )
        }


def organisations_editable_by(user):
    """The organisations whose services the user may create: a referent's, a coordinator's."""
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=user.organisations(Role.Kind.REFERENT).values("pk")
    ) | Organisation.objects.filter(territory__in=user.coordinated_territories())
