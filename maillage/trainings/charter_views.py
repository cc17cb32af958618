"""The nightlife charter: the public list of labelled venues, and the coordination's
applications and label decisions in the workspace."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from maillage.core.forms import DateInput, ScopedModelForm
from maillage.core.maps import map_context, map_csp
from maillage.core.ratelimit import HoneypotForm, too_many_posts
from maillage.core.validators import refuse_control_characters

from .charter import CharterApplication, CharterCommitment, LabelDecision, decide_label, venues
from .statistics import compute_statistics
from .workspace_views import require_manager

# Valid application posts per account and hour (maillage.core.ratelimit).
CHARTER_POSTS = 60


class CharterApplicationForm(HoneypotForm, ScopedModelForm):
    commitments = forms.MultipleChoiceField(
        label=gettext_lazy("Engagements pris"),
        choices=CharterCommitment.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CharterApplication
        fields = [
            "venue",
            "year",
            "contact_name",
            "contact_email",
            "commitments",
            "staff_count",
            "submitted_on",
        ]
        widgets = {"submitted_on": DateInput}

    def __init__(self, *args, territories, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self, "contact_name")
        self.fields["venue"].queryset = venues(territories).order_by("name")
        self.fields["venue"].help_text = _(
            "Un bar, une discothèque ou une salle : une structure de type « Établissement de "
            "nuit » de l'annuaire."
        )
        if not self.instance.pk:
            self.initial.setdefault("year", timezone.localdate().year)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Décision du comité"), choices=LabelDecision)
    decided_on = forms.DateField(
        label=gettext_lazy("Date de la décision"), widget=DateInput, required=False
    )
    comment = forms.CharField(
        label=gettext_lazy("Commentaire"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("N'écrivez jamais rien sur une personne ni sur une situation."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") not in (None, LabelDecision.PENDING) and not data.get("decided_on"):
            self.add_error("decided_on", _("Indiquez la date de la décision."))
        return data


# Public


def venue_points(applications) -> list[dict]:
    """Markers for the map: the labelled venues that have coordinates."""
    return [
        {
            "lat": application.venue.latitude,
            "lon": application.venue.longitude,
            "name": application.venue.name,
            "url": application.venue.website,
        }
        for application in applications
        if application.venue.latitude is not None and application.venue.longitude is not None
    ]


@csp_override(map_csp())
def labelled_venues(request: HttpRequest) -> HttpResponse:
    """« Lieux engagés »: the venues labelled for this year, with their commune, and a map
    shown only when asked (nothing loaded from the tile server before). No cookie."""
    year = timezone.localdate().year
    applications = list(
        CharterApplication.objects.labelled(year)
        .select_related("venue__commune")
        .order_by("venue__commune__name", "venue__name")
    )
    return render(
        request,
        "trainings/charter/labelled_venues.html",
        {"applications": applications, "year": year, **map_context(venue_points(applications))},
    )


# Workspace (the coordination)


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    years = sorted(
        set(CharterApplication.objects.in_territories(territories).values_list("year", flat=True)),
        reverse=True,
    )
    try:
        year = int(request.GET.get("annee") or timezone.localdate().year)
    except ValueError as error:
        raise Http404 from error
    applications = (
        CharterApplication.objects.in_territories(territories)
        .filter(year=year)
        .select_related("venue__commune")
        .order_by("venue__name")
    )
    staff = {
        row.label: row.venue_staff_trained
        for territory in territories
        for row in compute_statistics(territory=territory).by_venue
    }
    rows = [(application, staff.get(application.venue.name, 0)) for application in applications]
    return render(
        request,
        "trainings/charter/application_list.html",
        {"rows": rows, "year": year, "years": years, "venue_count": venues(territories).count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    territories = require_manager(request.user)
    application = (
        get_object_or_404(CharterApplication.objects.in_territories(territories), pk=pk)
        if pk
        else None
    )
    form = CharterApplicationForm(
        request.POST or None, instance=application, territories=territories
    )
    decision = None
    if application is not None:
        decision = DecisionForm(
            initial={
                "decision": application.decision,
                "decided_on": application.decided_on or timezone.localdate(),
                "comment": application.decision_comment,
            }
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and not too_many_posts(request, form, scope="trainings.charter", limit=CHARTER_POSTS)
    ):
        application = form.save()
        messages.success(
            request, _("La candidature de « %(venue)s » est enregistrée.") % {"venue": application}
        )
        return redirect(f"{_list_url()}?annee={application.year}")
    return render(
        request,
        "trainings/charter/application_form.html",
        {
            "form": form,
            "decision_form": decision,
            "application": application,
            "title": _("Modifier la candidature") if application else _("Nouvelle candidature"),
        },
    )


@login_required
@require_http_methods(["POST"])
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    territories = require_manager(request.user)
    application = get_object_or_404(
        CharterApplication.objects.in_territories(territories).select_related("venue"), pk=pk
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "trainings/charter/application_form.html",
            {
                "form": CharterApplicationForm(instance=application, territories=territories),
                "decision_form": form,
                "application": application,
                "title": _("Modifier la candidature"),
            },
            status=422,
        )
    decide_label(
        application=application,
        decision=form.cleaned_data["decision"],
        on=form.cleaned_data["decided_on"] or timezone.localdate(),
        comment=form.cleaned_data["comment"],
    )
    messages.success(
        request,
        _("Décision enregistrée pour « %(venue)s » : %(decision)s.")
        % {"venue": application, "decision": application.get_decision_display()},
    )
    return redirect(f"{_list_url()}?annee={application.year}")


def _list_url() -> str:
    return reverse("trainings:charter_applications")
