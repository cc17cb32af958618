"""Forms of the action plan and the meetings (the views set their scope: the contract)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillage.core.forms import DateInput
from maillage.core.models import Contract, Organisation, User

from .models import ActionSheet, Decision, FollowUpNote, Meeting, Milestone, WorkingGroup
from .services import personal_data_hints


def contract_organisations(contract: Contract):
    return Organisation.objects.filter(territory_id=contract.territory_id).order_by("name")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def settable_status_choices():
    return [(code, label) for code, label in ActionSheet.Status.choices if code != "late"]


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("", _("Tous les statuts")), *ActionSheet.Status.choices],
    )
    priority = forms.ModelChoiceField(
        label=_("Priorité"), required=False, queryset=None, empty_label=_("Toutes les priorités")
    )
    pilot = forms.ModelChoiceField(
        label=_("Structure pilote"),
        required=False,
        queryset=None,
        empty_label=_("Toutes les structures"),
    )

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = contract.priorities.order_by("position", "code")
        self.fields["pilot"].queryset = (
            Organisation.objects.filter(piloted_action_sheets__priority__contract=contract)
            .distinct()
            .order_by("name")
        )

    def filter(self, sheets):
        if not self.is_valid():
            return sheets
        data = self.cleaned_data
        sheets = sheets.search(data["q"])
        if data["status"]:
            sheets = sheets.filter(state=data["status"])
        if data["priority"]:
            sheets = sheets.filter(priority=data["priority"])
        if data["pilot"]:
            sheets = sheets.filter(pilot=data["pilot"])
        return sheets


class ActionSheetForm(forms.ModelForm):
    """The whole sheet, for the coordination."""

    class Meta:
        model = ActionSheet
        fields = [
            "priority",
            "title",
            "issue",
            "objectives",
            "target_public",
            "pilot",
            "partners",
            "funders",
            "governance",
            "working_group",
            "area",
            "steps",
            "starts_on",
            "ends_on",
            "resources",
            "budget",
            "status",
            "progress",
            "review",
            "position",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "partners": forms.CheckboxSelectMultiple,
            "funders": forms.CheckboxSelectMultiple,
            "issue": forms.Textarea(attrs={"rows": 3}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
            "steps": forms.Textarea(attrs={"rows": 4}),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "review": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        organisations = contract_organisations(contract)
        self.fields["priority"].queryset = contract.priorities.order_by("position", "code")
        self.fields["pilot"].queryset = organisations
        self.fields["partners"].queryset = organisations
        self.fields["funders"].queryset = organisations
        self.fields["working_group"].queryset = contract.working_groups.all()
        self.fields["status"].choices = settable_status_choices()


class ProgressForm(forms.Form):
    """What the pilot's referent updates: status and progress."""

    status = forms.ChoiceField(label=_("Statut"), choices=settable_status_choices)
    progress = forms.IntegerField(label=_("Avancement (%)"), min_value=0, max_value=100)


class NoteForm(forms.ModelForm):
    class Meta:
        model = FollowUpNote
        fields = ["written_on", "text"]
        widgets = {"written_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {"due_on": DateInput(), "done_on": DateInput()}


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Intitulé de la pièce"), max_length=200)
    file = forms.FileField(label=_("Fichier"), help_text=_("PDF, PNG ou JPEG, 10 Mo au plus."))


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "description", "pilot", "members"]
        widgets = {
            "members": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        organisations = contract_organisations(contract)
        self.fields["pilot"].queryset = organisations
        self.fields["members"].queryset = organisations


class MeetingForm(forms.ModelForm):
    confirm_minutes = forms.BooleanField(
        label=_(
            "Je confirme que ces coordonnées sont celles de structures, pas d'une personne aidée."
        ),
        required=False,
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "group",
            "starts_at",
            "place",
            "status",
            "agenda",
            "attending_organisations",
            "attendees",
            "minutes",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "attending_organisations": forms.CheckboxSelectMultiple,
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.contract = contract
        organisations = contract_organisations(contract)
        self.fields["group"].queryset = contract.working_groups.all()
        self.fields["attending_organisations"].queryset = organisations
        self.fields["attendees"].queryset = (
            User.objects.filter(is_active=True, roles__organisation__in=organisations)
            .distinct()
            .order_by("last_name", "first_name", "email")
        )
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["minutes"].widget.attrs["aria-describedby"] = "minutes-warning"
        self.personal_data = []

    def clean(self) -> dict:
        data = super().clean()
        self.personal_data = personal_data_hints(data.get("minutes", ""))
        if self.personal_data and not data.get("confirm_minutes"):
            self.add_error(
                "minutes",
                _(
                    "Le compte rendu semble contenir %(what)s. Retirez toute donnée qui "
                    "désigne une personne ; s'il s'agit des coordonnées d'une structure, "
                    "cochez la case de confirmation."
                )
                % {"what": _(" et ").join(str(hint) for hint in self.personal_data)},
            )
        return data


class DecisionForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["text", "owner", "due_on", "status", "done_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
            "done_on": DateInput(),
        }

    def __init__(self, *args, contract: Contract, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = contract_organisations(contract)
        self.fields["done_on"].help_text = _("Vide : aujourd'hui, si la décision est faite.")

    def clean(self) -> dict:
        data = super().clean()
        # Marked done without a date: done today (as services.save_decision does).
        if data.get("status") == Decision.Status.DONE and not data.get("done_on"):
            data["done_on"] = timezone.localdate()
        return data


class DecisionStatusForm(forms.Form):
    """What the owner's referent may change: done (with its date) or not."""

    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[(code, label) for code, label in Decision.Status.choices if code != "dropped"],
    )
    done_on = forms.DateField(label=_("Faite le"), required=False, widget=DateInput())
