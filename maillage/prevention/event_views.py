"""Awareness events: the public agenda (/agenda/, by month, with its iCal feed) and the
workspace where a referent manages their organisation's events and the coordination all the
events of its territory (list with filters and totals, CSV/XLSX export).

Public pages set no cookie and need no script: the filters are a GET form."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import BytesIO
from itertools import groupby

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from openpyxl import Workbook

from maillage.core.exports import csv_writer, safe_cell, safe_row
from maillage.core.forms import DateInput
from maillage.core.models import Commune, Organisation, Role, Territory, User
from maillage.trainings.forms import month_from

from .events import (
    EventError,
    cancel_event,
    create_event,
    is_reviewer,
    proposed_event,
    publish_event,
    record_attendance,
    update_event,
)
from .ical import agenda_calendar
from .models import Audience, AwarenessEvent, Campaign, Material
from .workspace_views import managed_territories

E = AwarenessEvent
PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FEED_MONTHS_BACK = 12


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


# Public agenda


class AgendaFilterForm(forms.Form):
    """A GET form: shareable, no cookie."""

    commune = forms.ModelChoiceField(
        label=gettext_lazy("Commune"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=gettext_lazy("Toutes les communes"),
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Public"),
        required=False,
        choices=[("", gettext_lazy("Tous les publics")), *Audience.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type d'action"),
        required=False,
        choices=[("", gettext_lazy("Tous les types")), *E.Kind.choices],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(
            pk__in=AwarenessEvent.objects.in_agenda().values("commune")
        ).order_by("name")

    def filter(self, events: QuerySet[AwarenessEvent]) -> QuerySet[AwarenessEvent]:
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["commune"]:
            events = events.filter(commune=data["commune"])
        if data["audience"]:
            events = events.filter(audience=data["audience"])
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        return events

    def query(self) -> str:
        """The filters as a query string (for the feed's link), the month left out."""
        if not self.is_valid():
            return ""
        data = self.cleaned_data
        values = {
            "commune": data["commune"].pk if data["commune"] else "",
            "audience": data["audience"],
            "kind": data["kind"],
        }
        return urlencode({key: value for key, value in values.items() if value})


def agenda_events() -> QuerySet[AwarenessEvent]:
    return AwarenessEvent.objects.in_agenda().select_related("organiser", "commune")


@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    """The published (and cancelled) events of one month, day by day."""
    today = timezone.localdate()
    month = month_from(request.GET.get("mois"), default=today)
    next_month = (month + timedelta(days=32)).replace(day=1)
    previous_month = (month - timedelta(days=1)).replace(day=1)
    form = AgendaFilterForm(request.GET or None)
    events = form.filter(
        agenda_events().filter(
            starts_at__gte=local_midnight(month), starts_at__lt=local_midnight(next_month)
        )
    ).order_by("starts_at", "title", "pk")
    events = list(events)
    days = [
        (day, list(items))
        for day, items in groupby(events, key=lambda event: timezone.localdate(event.starts_at))
    ]
    filters = form.query()
    return render(
        request,
        "prevention/events/agenda.html",
        {
            "form": form,
            "month": month,
            "days": days,
            "count": len(events),
            "filters": filters,
            "previous": previous_month.strftime("%Y-%m"),
            "next": next_month.strftime("%Y-%m"),
            "is_current": month == today.replace(day=1),
        },
    )


@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(agenda_events().select_related("campaign"), pk=pk)
    materials = event.materials.filter(review_state=Material.ReviewState.VALIDATED).order_by(
        "title"
    )
    return render(
        request,
        "prevention/events/event.html",
        {
            "event": event,
            "partners": event.partners.order_by("name"),
            "materials": materials,
            "can_change": request.user.has_perm("prevention.change_event", event),
        },
    )


@require_safe
def agenda_ical(request: HttpRequest) -> HttpResponse:
    """The agenda as an iCal feed: the month asked (`mois`), else from a year back onwards;
    the same filters as the page."""
    events = AgendaFilterForm(request.GET or None).filter(agenda_events())
    if request.GET.get("mois"):
        month = month_from(request.GET["mois"], default=timezone.localdate())
        next_month = (month + timedelta(days=32)).replace(day=1)
        events = events.filter(
            starts_at__gte=local_midnight(month), starts_at__lt=local_midnight(next_month)
        )
    else:
        since = timezone.localdate().replace(day=1)
        for _month in range(FEED_MONTHS_BACK):
            since = (since - timedelta(days=1)).replace(day=1)
        events = events.filter(starts_at__gte=local_midnight(since))
    base = request.build_absolute_uri("/").rstrip("/")
    content = agenda_calendar(
        events.order_by("starts_at", "pk"), base=base, host=request.get_host().split(":")[0]
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, "agenda.ics")
    return response


# Workspace


def referent_organisations(user: User) -> QuerySet[Organisation]:
    return user.organisations(Role.Kind.REFERENT)


def event_scope(user: User) -> QuerySet[AwarenessEvent]:
    """The events the user manages: those of the territories they coordinate (all of them for
    an administrator) and those organised by their organisations. Others answer 404."""
    territories = managed_territories(user)
    organisations = referent_organisations(user)
    if not territories.exists() and not organisations.exists():
        raise PermissionDenied
    if user.is_superuser:
        return AwarenessEvent.objects.all()
    return AwarenessEvent.objects.filter(
        Q(territory__in=territories) | Q(organiser__in=organisations)
    )


def scope_territories(user: User) -> QuerySet[Territory]:
    """The territories where the user may organise: coordinated, or of their organisations."""
    if user.is_superuser:
        return Territory.objects.all()
    return Territory.objects.filter(
        Q(pk__in=user.coordinated_territories().values("pk"))
        | Q(pk__in=referent_organisations(user).values("territory_id"))
    )


def organiser_choices(user: User) -> QuerySet[Organisation]:
    territories = managed_territories(user)
    return Organisation.objects.filter(
        Q(territory__in=territories) | Q(pk__in=referent_organisations(user).values("pk"))
    ).order_by("name")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = AwarenessEvent
        fields = [
            "organiser",
            "title",
            "kind",
            "audience",
            "is_open_to_public",
            "description",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "commune",
            "campaign",
            "partners",
            "materials",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "partners": forms.CheckboxSelectMultiple(),
            "materials": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "description": gettext_lazy(
                "Ce que les participants vont vivre. N'écrivez jamais rien sur une personne aidée."
            ),
        }

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        territories = scope_territories(user)
        organisers = organiser_choices(user)
        self.fields["organiser"].queryset = organisers
        if organisers.count() == 1:
            self.fields["organiser"].initial = organisers.first()
        self.fields["partners"].queryset = Organisation.objects.filter(
            territory__in=territories
        ).order_by("name")
        self.fields["partners"].help_text = _("Les structures qui organisent l'action avec vous.")
        self.fields["campaign"].queryset = Campaign.objects.filter(territory__in=territories)
        self.fields["materials"].queryset = Material.objects.filter(
            campaign__territory__in=territories, review_state=Material.ReviewState.VALIDATED
        ).order_by("title")
        self.fields["commune"].queryset = (
            Commune.objects.filter(territory__in=territories).distinct() or Commune.objects.all()
        )

    def clean(self) -> dict:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("La fin de l'action doit suivre son début."))
        return data

    def _post_clean(self) -> None:
        # The rules live in events.py (create_event, update_event): the model's own checks
        # would run on an instance without its territory.
        pass


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(
        label=gettext_lazy("Nombre de personnes touchées"), min_value=0, max_value=1_000_000
    )
    note = forms.CharField(
        label=gettext_lazy("Bilan de l'action"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Quelques lignes : ce qui a marché, les suites prévues. N'écrivez rien qui "
            "permette de reconnaître une personne."
        ),
    )


class EventFilterForm(forms.Form):
    """A GET form: shareable, no cookie."""

    q = forms.CharField(label=gettext_lazy("Rechercher"), required=False, max_length=100)
    start = forms.DateField(label=gettext_lazy("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Au"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=gettext_lazy("Statut"),
        required=False,
        choices=[("", gettext_lazy("Tous les statuts")), *E.Status.choices],
    )
    organiser = forms.ModelChoiceField(
        label=gettext_lazy("Structure organisatrice"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=gettext_lazy("Toutes les structures"),
    )

    def __init__(self, *args, events: QuerySet[AwarenessEvent], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.filter(
            pk__in=events.values("organiser")
        ).order_by("name")

    def filter(self, events: QuerySet[AwarenessEvent]) -> QuerySet[AwarenessEvent]:
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["q"].strip():
            text = data["q"].strip()
            events = events.filter(Q(title__icontains=text) | Q(place_name__icontains=text))
        if data["start"]:
            events = events.filter(starts_at__gte=local_midnight(data["start"]))
        if data["end"]:
            events = events.filter(starts_at__lt=local_midnight(data["end"] + timedelta(days=1)))
        if data["status"]:
            events = events.filter(status=data["status"])
        if data["organiser"]:
            events = events.filter(organiser=data["organiser"])
        return events


def filtered_events(request: HttpRequest) -> tuple[EventFilterForm, QuerySet[AwarenessEvent]]:
    scope = event_scope(request.user)
    form = EventFilterForm(request.GET or None, events=scope)
    events = form.filter(scope).select_related("organiser", "commune", "territory")
    return form, events.order_by("-starts_at", "-pk")


@login_required
@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form, events = filtered_events(request)
    held = events.filter(status=E.Status.PUBLISHED, starts_at__lte=timezone.now())
    totals = held.aggregate(reached=Sum("attendance"))
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "prevention/events/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "held": held.count(),
            "reached": totals["reached"] or 0,
            "manages": managed_territories(request.user).exists(),
            "to_review": AwarenessEvent.objects.awaiting_review()
            .filter(territory__in=managed_territories(request.user))
            .count(),
            "can_create": organiser_choices(request.user).exists(),
            "query": request.GET.urlencode(),
            "now": timezone.now(),
        },
    )


def save_event(request: HttpRequest, form: EventForm, event: AwarenessEvent | None):
    """Run the service for a valid form; its errors go back to the form."""
    data = form.cleaned_data
    organiser = data["organiser"]
    if not request.user.has_perm("prevention.add_event", organiser):
        raise PermissionDenied
    fields = {
        name: data[name]
        for name in (
            "title",
            "kind",
            "audience",
            "is_open_to_public",
            "description",
            "starts_at",
            "ends_at",
            "place_name",
            "address",
            "commune",
            "campaign",
        )
    }
    try:
        if event is None:
            return create_event(
                organiser=organiser,
                by=request.user,
                partners=data["partners"],
                materials=data["materials"],
                **fields,
            )
        return update_event(
            event=event,
            by=request.user,
            organiser=organiser,
            partners=data["partners"],
            materials=data["materials"],
            **fields,
        )
    except EventError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return None


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    if not organiser_choices(request.user).exists():
        raise PermissionDenied
    form = EventForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        event = save_event(request, form, None)
        if event is not None:
            if "publish" in request.POST:
                event = publish_event(event=event, by=request.user)
                messages.success(request, published_message(event))
            else:
                messages.success(request, _("L'action est enregistrée en brouillon."))
            return redirect("prevention:event_edit", pk=event.pk)
    return render(
        request,
        "prevention/events/form.html",
        {
            "form": form,
            "event": None,
            "title": _("Nouvelle action de sensibilisation"),
            # Whether « publish » publishes, or submits to the coordination (events.py).
            "publishes": bool(request.user.is_superuser or managed_territories(request.user)),
        },
    )


def published_message(event: AwarenessEvent) -> str:
    if event.status == E.Status.SUBMITTED:
        return _(
            "L'action est transmise à la coordination du territoire : elle paraîtra dans "
            "l'agenda une fois acceptée."
        )
    return _("L'action est publiée dans l'agenda.")


def managed_event(request: HttpRequest, pk: int) -> AwarenessEvent:
    event = get_object_or_404(
        event_scope(request.user).select_related("organiser", "commune", "campaign"), pk=pk
    )
    if not request.user.has_perm("prevention.change_event", event):
        raise PermissionDenied
    return event


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk)
    reviewer = is_reviewer(request.user, event.territory_id)
    # A partner continues their change waiting for review, not the version of the agenda.
    proposal = None if reviewer else proposed_event(event)
    form = EventForm(request.POST or None, instance=event, initial=proposal, user=request.user)
    if request.method == "POST" and form.is_valid():
        if save_event(request, form, event) is not None:
            if event.proposed_changes and not reviewer:
                messages.success(
                    request,
                    _(
                        "Vos modifications sont transmises à la coordination : l'agenda garde "
                        "la version validée jusqu'à ce qu'elle les accepte."
                    ),
                )
            else:
                messages.success(request, _("L'action est mise à jour."))
            return redirect("prevention:event_edit", pk=event.pk)
        event.refresh_from_db()
    return render(
        request,
        "prevention/events/form.html",
        {
            "form": form,
            "event": event,
            "title": event.title,
            "has_started": event.starts_at <= timezone.now(),
            "publishes": reviewer,
            "reviews": request.user.has_perm("prevention.review_event", event),
        },
    )


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk)
    try:
        event = publish_event(event=event, by=request.user)
    except EventError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, published_message(event))
    return redirect("prevention:event_edit", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the cancellation."""
    event = managed_event(request, pk)
    if request.method == "POST":
        try:
            cancel_event(event=event, by=request.user)
        except EventError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("L'action est annulée ; l'agenda l'indique."))
        return redirect("prevention:event_edit", pk=event.pk)
    return render(request, "prevention/events/cancel.html", {"event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = managed_event(request, pk)
    initial = {"attendance": event.attendance, "note": event.attendance_note}
    form = AttendanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_attendance(
                event=event,
                attendance=form.cleaned_data["attendance"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except EventError as error:
            form.add_error("attendance" if error.field else None, str(error))
        else:
            messages.success(request, _("Le bilan de l'action est enregistré."))
            return redirect("prevention:event_edit", pk=event.pk)
    return render(
        request,
        "prevention/events/attendance.html",
        {"form": form, "event": event, "has_started": event.starts_at <= timezone.now()},
    )


# Exports


def export_titles() -> list[str]:
    return [
        _("Titre"),
        _("Type d'action"),
        _("Début"),
        _("Fin"),
        _("Lieu"),
        _("Adresse"),
        _("Commune"),
        _("Public"),
        _("Ouvert à tous"),
        _("Structure organisatrice"),
        _("Structures partenaires"),
        _("Campagne"),
        _("Statut"),
        _("Participants"),
        _("Bilan"),
    ]


def export_rows(events: QuerySet[AwarenessEvent]) -> list[list]:
    rows = []
    for event in events.select_related("campaign").prefetch_related("partners"):
        rows.append(
            [
                safe_cell(event.title),
                str(event.get_kind_display()),
                timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(event.ends_at).strftime("%Y-%m-%d %H:%M"),
                safe_cell(event.place_name),
                safe_cell(event.address),
                str(event.commune or ""),
                str(event.get_audience_display()),
                _("oui") if event.is_open_to_public else _("non"),
                safe_cell(event.organiser.name),
                safe_cell(", ".join(p.name for p in event.partners.all())),
                safe_cell(event.campaign.title if event.campaign else ""),
                str(event.get_status_display()),
                event.attendance if event.attendance is not None else "",
                safe_cell(event.attendance_note),
            ]
        )
    return rows


@login_required
@require_safe
def events_csv(request: HttpRequest) -> HttpResponse:
    _form, events = filtered_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="actions-de-sensibilisation.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(export_titles())
    writer.writerows(export_rows(events))
    return response


@login_required
@require_safe
def events_xlsx(request: HttpRequest) -> HttpResponse:
    _form, events = filtered_events(request)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Actions"))
    sheet.append(safe_row(export_titles()))
    for row in export_rows(events):
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="actions-de-sensibilisation.xlsx"'
    return response
