from __future__ import annotations

import re
from datetime import date

from django import forms
from django.db.models import QuerySet
from django.forms import formset_factory, inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DateInput
from maillage.core.models import Commune, Organisation, Role, Territory, User
from maillage.core.ratelimit import HoneypotForm
from maillage.core.validators import refuse_control_characters, validate_single_line

from .models import (
    Module,
    Registration,
    SessionStatus,
    TrainingSession,
    TrainingSlot,
    normalise_email,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")


def communes_of(territories) -> QuerySet[Commune]:
    queryset = Commune.objects.filter(territory__in=territories).distinct()
    return queryset if queryset.exists() else Commune.objects.all()


# Catalogue and sessions (the coordination)


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "territory",
            "title",
            "slug",
            "summary",
            "objectives",
            "programme",
            "duration_hours",
            "audience",
            "prerequisites",
            "trainer_organisation",
            "reference_material",
            "min_registrants",
            "default_capacity",
            "certificate_threshold",
            "is_published",
        ]
        widgets = {
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "programme": forms.Textarea(attrs={"rows": 6}),
            "audience": forms.Textarea(attrs={"rows": 3}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
            "reference_material": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self, "title")  # in the subject of the trainees' emails
        self.fields["territory"].queryset = territories
        if len(territories) == 1:
            self.fields["territory"].initial = territories[0]
            self.fields["territory"].widget = forms.HiddenInput()
        self.fields["slug"].required = False
        self.fields["certificate_threshold"].required = False  # empty: the default, 100 %
        self.fields["trainer_organisation"].queryset = Organisation.objects.filter(
            territory__in=territories
        )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("slug") and data.get("title"):
            base = slugify(data["title"])[:70] or "module"
            slug, number = base, 2
            while Module.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
                slug, number = f"{base}-{number}", number + 1
            data["slug"] = slug
            self.instance.slug = slug
        return data

    def clean_certificate_threshold(self) -> int:
        value = self.cleaned_data.get("certificate_threshold")
        return 100 if value in (None, "") else value


class SessionForm(forms.ModelForm):
    class Meta:
        model = TrainingSession
        fields = [
            "module",
            "capacity",
            "registration_deadline",
            "place_name",
            "address",
            "commune",
            "address_for_registrants_only",
            "remote_url",
            "practical_info",
            "trainers",
        ]
        widgets = {
            "registration_deadline": DateInput(),
            "practical_info": forms.Textarea(attrs={"rows": 3}),
            "trainers": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(territory__in=territories)
        self.fields["commune"].queryset = communes_of(territories)
        self.fields["remote_url"].assume_scheme = "https"
        self.fields["trainers"].queryset = (
            User.objects.filter(
                roles__kind=Role.Kind.TRAINER, roles__organisation__territory__in=territories
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["trainers"].label_from_instance = lambda user: user.get_full_name() or str(user)
        self.fields["trainers"].help_text = _("Les comptes qui ont le rôle formateur·rice.")
        if not self.instance.pk:
            self.fields["capacity"].help_text = _("Par défaut, celles du module.")
            self.fields["capacity"].required = False

    def clean(self) -> dict:
        data = super().clean()
        module = data.get("module")
        if module and not data.get("capacity"):
            data["capacity"] = module.default_capacity
            self.instance.capacity = module.default_capacity
        if self.instance.pk and data.get("capacity"):
            confirmed = self.instance.count(Registration.Status.CONFIRMED)
            if data["capacity"] < confirmed:
                self.add_error(
                    "capacity",
                    _(
                        "%(count)d personnes sont déjà inscrites : annulez des inscriptions "
                        "avant de réduire les places."
                    )
                    % {"count": confirmed},
                )
        return data


class SlotForm(forms.ModelForm):
    class Meta:
        model = TrainingSlot
        fields = ["date", "start", "end"]
        widgets = {"date": DateInput(), "start": TimeInput(), "end": TimeInput()}


class BaseSlotFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            key = (form.cleaned_data.get("date"), form.cleaned_data.get("start"))
            if key in seen:
                raise forms.ValidationError(_("Deux demi-journées commencent au même moment."))
            seen.add(key)
        if not seen:
            raise forms.ValidationError(_("Indiquez au moins une demi-journée."))


SlotFormSet = inlineformset_factory(
    TrainingSession,
    TrainingSlot,
    form=SlotForm,
    formset=BaseSlotFormSet,
    extra=2,
    can_delete=True,
)


class SessionFilterForm(forms.Form):
    """A GET form: shareable, no cookie."""

    q = forms.CharField(label=_("Rechercher"), required=False)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *SessionStatus.choices],
    )
    period = forms.ChoiceField(
        label=_("Période"),
        required=False,
        choices=[("", _("À venir")), ("passees", _("Passées")), ("toutes", _("Toutes"))],
    )


class ModuleFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False)


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif, dit aux personnes inscrites"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : formatrice indisponible, la session est reportée."),
    )


# Registrations


class SelfRegistrationForm(HoneypotForm):
    """A professional registers themself: their account gives the email, they say the rest."""

    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, validators=[validate_single_line]
    )
    last_name = forms.CharField(label=_("Nom"), max_length=150, validators=[validate_single_line])
    organisation = forms.ModelChoiceField(label=_("Structure"), queryset=Organisation.objects)
    function = forms.CharField(
        label=_("Fonction"),
        max_length=200,
        help_text=_("Par exemple : agente d'accueil."),
        validators=[validate_single_line],
    )
    commune = forms.ModelChoiceField(
        label=_("Commune d'exercice"),
        queryset=Commune.objects,
        required=False,
        help_text=_("Par défaut, celle de la structure."),
    )

    def __init__(self, *args, user: User, territory: Territory, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = user.organisations().order_by("name")
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.fields["commune"].queryset = communes_of([territory])
        self.fields["first_name"].initial = user.first_name
        self.fields["last_name"].initial = user.last_name
        for name, value in (("first_name", "given-name"), ("last_name", "family-name")):
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["function"].widget.attrs["autocomplete"] = "organization-title"


class StaffOrganisationForm(HoneypotForm):
    """The organisation a referent registers staff for (and their usual commune)."""

    organisation = forms.ModelChoiceField(label=_("Structure"), queryset=Organisation.objects)
    commune = forms.ModelChoiceField(
        label=_("Commune d'exercice"),
        queryset=Commune.objects,
        required=False,
        help_text=_("Par défaut, celle de la structure."),
    )

    def __init__(self, *args, organisations, territory: Territory, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0]
        self.fields["commune"].queryset = communes_of([territory])


class StaffMemberForm(forms.Form):
    """One line of the staff list; an empty line is ignored."""

    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, validators=[validate_single_line]
    )
    last_name = forms.CharField(label=_("Nom"), max_length=150, validators=[validate_single_line])
    email = forms.EmailField(label=_("Adresse électronique"))
    function = forms.CharField(
        label=_("Fonction"), max_length=200, validators=[validate_single_line]
    )


class BaseStaffFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        emails = set()
        for form in self.forms:
            email = form.cleaned_data.get("email")
            if not email:
                continue
            key = normalise_email(email)
            if key in emails:
                raise forms.ValidationError(
                    _("L'adresse %(email)s figure deux fois dans la liste.") % {"email": key}
                )
            emails.add(key)
        if not emails:
            raise forms.ValidationError(_("Remplissez au moins une ligne."))

    @property
    def members(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.cleaned_data.get("email")]


def staff_formset(data=None, *, rows: int = 5):
    formset_class = formset_factory(
        StaffMemberForm, formset=BaseStaffFormSet, extra=rows, max_num=50, validate_max=True
    )
    return formset_class(data, prefix="personne")


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_from(value: str | None, *, default: date) -> date:
    """The first day of the month asked as YYYY-MM (the calendar's `mois`), else `default`."""
    match = MONTH.match(value or "")
    if match:
        year, month = int(match[1]), int(match[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    return default.replace(day=1)


# After the session: signed sheets and the satisfaction questionnaire


class SignedSheetForm(forms.Form):
    file = forms.FileField(
        label=_("Feuille signée (PDF, PNG ou JPEG, 10 Mo au plus)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )


class EvaluationForm(forms.Form):
    SCALE = [(n, str(n)) for n in range(1, 6)]

    overall = forms.TypedChoiceField(
        label=_(
            "Dans l'ensemble, êtes-vous satisfait·e de la formation ? "
            "(1 : pas du tout, 5 : tout à fait)"
        ),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    skills = forms.TypedChoiceField(
        label=_(
            "Mes compétences ont progressé (1 : pas du tout d'accord, 5 : tout à fait d'accord)"
        ),
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect,
    )
    expectations = forms.ChoiceField(
        label=_("La formation a-t-elle répondu à vos attentes ?"),
        choices=[("yes", _("Oui")), ("partly", _("En partie")), ("no", _("Non"))],
        widget=forms.RadioSelect,
    )
    would_recommend = forms.TypedChoiceField(
        label=_("Recommanderiez-vous cette formation à un ou une collègue ?"),
        choices=[("yes", _("Oui")), ("no", _("Non"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire libre (facultatif)"),
        help_text=_(
            "N'écrivez rien sur une personne que vous avez accompagnée ou aidée : ni nom, ni "
            "situation. Ce questionnaire ne porte que sur la formation."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
