"""The directory in the workspace (partners' self-service, the coordination's freshness,
error reports, searches without results, moderation), and the two public pages that feed it:
"report an error" and the one-click "still up to date" link of the reminder email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.models import Territory
from maillage.core.ratelimit import client_address
from maillage.core.views.workspace import get_for_user

from .feedback import ChangeRequest, ErrorReport
from .freshness import (
    InvalidLink,
    TooManyReports,
    check_report_rate,
    close_report,
    confirm_still_up_to_date,
    freshness_of,
    read_token,
    report_error,
)
from .models import Service
from .moderation import (
    FIELDS,
    AlreadyDecided,
    CannotApply,
    NothingChanged,
    approve_change,
    diff,
    reject_change,
    service_data,
    submit_change,
)
from .services import mark_verified
from .workspace_forms import (
    DecisionForm,
    ErrorReportForm,
    ExceptionForm,
    ExceptionFormSet,
    PhoneFormSet,
    PlaceForm,
    ServiceForm,
    organisations_editable_by,
)
from .zero_results import RETENTION_MONTHS, top_terms, vocabulary


def moderated_territories(user):
    """The territories the user coordinates (all for an administrator); 403 when none."""
    territories = Territory.objects.all() if user.is_superuser else user.coordinated_territories()
    if not territories.exists():
        raise PermissionDenied
    return territories


def editable_services(user):
    if user.is_superuser:
        return Service.objects.all()
    return Service.objects.filter(organisation__in=organisations_editable_by(user))


# Partners' self-service


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("core.access_workspace"):
        raise PermissionDenied
    services = (
        editable_services(user)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    page = Paginator(services, 25).get_page(request.GET.get("page"))
    coordinated = user.is_superuser or user.coordinated_territories().exists()
    context = {
        "page_obj": page,
        "coordinated": coordinated,
        "can_add": organisations_editable_by(user).exists(),
    }
    if coordinated:
        territories = moderated_territories(user)
        in_territories = Q(organisation__territory__in=territories)
        context.update(
            pending=ChangeRequest.objects.pending().filter(in_territories).count(),
            open_reports=ErrorReport.objects.open()
            .filter(service__organisation__territory__in=territories)
            .count(),
            freshness=freshness_of(Service.objects.filter(in_territories)),
        )
    return render(request, "directory/workspace/home.html", context)


def _service_forms(request: HttpRequest, *, data: dict | None, organisations=None, instance=None):
    post = request.POST if request.method == "POST" else None
    form = ServiceForm(post, instance=instance, organisations=organisations)
    place_form = PlaceForm(
        post, prefix="lieu", initial=PlaceForm.initial_from(data["place"] if data else None)
    )
    phones = PhoneFormSet(post, prefix="tel", initial=data["phones"] if data else None)
    exceptions = ExceptionFormSet(
        post, prefix="exc", initial=ExceptionForm.initial_from(data["exceptions"] if data else [])
    )
    return form, place_form, phones, exceptions


def _submit(request, *, organisation, service, base, form, place_form, phones, exceptions):
    """Send the forms' data to moderation (one transaction when it applies at once); the
    message says what happened. None on failure."""
    data = {
        **form.data_dict(),
        "place": place_form.data_dict(),
        "phones": phones.data_list(),
        "exceptions": exceptions.data_list(),
    }
    try:
        result = submit_change(
            organisation=organisation, service=service, base=base, data=data, by=request.user
        )
    except NothingChanged:
        messages.info(request, _("Rien n'a changé : aucune modification n'a été envoyée."))
        return service
    except CannotApply as error:
        form.add_error(None, str(error))
        return None
    if isinstance(result, ChangeRequest):
        messages.success(
            request,
            _(
                "Votre modification est envoyée à la coordination du territoire. Elle sera "
                "publiée une fois validée ; vous recevrez un courriel."
            ),
        )
        return result.service or result
    messages.success(request, _("Le service a été enregistré."))
    return result


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest) -> HttpResponse:
    organisations = organisations_editable_by(request.user).order_by("name")
    if not organisations.exists():
        raise PermissionDenied
    form, place_form, phones, exceptions = _service_forms(
        request, data=None, organisations=organisations
    )
    if request.method == "POST" and all(
        [form.is_valid(), place_form.is_valid(), phones.is_valid(), exceptions.is_valid()]
    ):
        result = _submit(
            request,
            organisation=form.cleaned_data["organisation"],
            service=None,
            base=None,
            form=form,
            place_form=place_form,
            phones=phones,
            exceptions=exceptions,
        )
        if result is not None:
            return redirect("directory:workspace")
    return render(
        request,
        "directory/workspace/service_form.html",
        {
            "form": form,
            "place_form": place_form,
            "phones": phones,
            "exceptions": exceptions,
            "title": _("Nouveau service"),
            "service": None,
            "pending": 0,
            "moderated": not request.user.has_perm("directory.moderate", organisations.first()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, pk) -> HttpResponse:
    service = get_for_user(
        request,
        Service.objects.select_related("organisation"),
        view="directory.view_service",
        change="directory.change_service",
        pk=pk,
    )
    base = service_data(service)
    # The form works on its own copy: a ModelForm writes its values into its instance.
    form, place_form, phones, exceptions = _service_forms(
        request, data=base, instance=Service.objects.get(pk=service.pk)
    )
    if request.method == "POST" and all(
        [form.is_valid(), place_form.is_valid(), phones.is_valid(), exceptions.is_valid()]
    ):
        result = _submit(
            request,
            organisation=service.organisation,
            service=service,
            base=base,
            form=form,
            place_form=place_form,
            phones=phones,
            exceptions=exceptions,
        )
        if result is not None:
            return redirect("directory:workspace")
    return render(
        request,
        "directory/workspace/service_form.html",
        {
            "form": form,
            "place_form": place_form,
            "phones": phones,
            "exceptions": exceptions,
            "service": service,
            "title": _("Modifier %(name)s") % {"name": service.name},
            "moderated": not request.user.has_perm("directory.moderate", service),
            "pending": service.change_requests.pending().count(),
        },
    )


def _editable_service(request: HttpRequest, pk) -> Service:
    return get_for_user(
        request,
        Service.objects.select_related("organisation"),
        view="directory.view_service",
        change="directory.change_service",
        pk=pk,
    )


@login_required
def service_history(request: HttpRequest, pk) -> HttpResponse:
    service = _editable_service(request, pk)
    records = list(service.history.select_related("history_user")[:50])
    changes = []
    for record in records:
        previous = record.prev_record
        fields = [
            {
                "label": Service._meta.get_field(change.field).verbose_name,
                "old": change.old,
                "new": change.new,
            }
            for change in (record.diff_against(previous).changes if previous else [])
        ]
        changes.append({"record": record, "diff": fields})
    return render(
        request,
        "directory/workspace/service_history.html",
        {
            "service": service,
            "changes": changes,
            "moderated": not request.user.has_perm("directory.moderate", service),
        },
    )


@login_required
@require_POST
def service_revert(request: HttpRequest, pk, history_id: int) -> HttpResponse:
    """Back to an earlier version of the main fields, through moderation like any edit."""
    service = _editable_service(request, pk)
    record = get_object_or_404(service.history, history_id=history_id)
    base = service_data(service)
    data = {**base, **{name: getattr(record, name) for name in FIELDS}}
    if data["suspended_until"]:
        data["suspended_until"] = data["suspended_until"].isoformat()
    try:
        result = submit_change(
            organisation=service.organisation,
            service=service,
            base=base,
            data=data,
            by=request.user,
        )
    except NothingChanged:
        messages.info(request, _("Cette version est déjà celle de la fiche."))
    except CannotApply as error:
        messages.error(request, str(error))
    else:
        if isinstance(result, ChangeRequest):
            messages.success(
                request, _("Le retour à cette version est envoyé à la coordination du territoire.")
            )
        else:
            messages.success(
                request, _("La version choisie a été rétablie ; l'historique garde la trace.")
            )
    return redirect("directory:service_history", pk=service.pk)


@login_required
@require_POST
def service_verify(request: HttpRequest, pk) -> HttpResponse:
    service = get_for_user(
        request,
        Service.objects.select_related("organisation"),
        view="directory.view_service",
        change="directory.change_service",
        pk=pk,
    )
    mark_verified(service, by=request.user)
    messages.success(
        request, _("« %(name)s » est marqué comme vérifié aujourd'hui.") % {"name": service.name}
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = reverse("directory:freshness")
    return redirect(target)


# The coordination's pages


@login_required
def freshness(request: HttpRequest) -> HttpResponse:
    territories = moderated_territories(request.user)
    services = Service.objects.filter(organisation__territory__in=territories)
    stale = (
        services.published()
        .stale()
        .select_related("organisation")
        .order_by(F("last_verified_on").asc(nulls_first=True), "organisation__name", "name", "pk")
    )
    page = Paginator(stale, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/workspace/freshness.html",
        {"figures": freshness_of(services), "page_obj": page},
    )


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    territories = moderated_territories(request.user)
    open_reports = (
        ErrorReport.objects.open()
        .filter(service__organisation__territory__in=territories)
        .select_related("service__organisation")
        .order_by("created_at", "pk")
    )
    page = Paginator(open_reports, 25).get_page(request.GET.get("page"))
    return render(request, "directory/workspace/reports.html", {"page_obj": page})


@login_required
@require_POST
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        ErrorReport.objects.select_related("service__organisation"),
        pk=pk,
        service__organisation__territory__in=moderated_territories(request.user),
    )
    close_report(report=report, by=request.user)
    messages.success(request, _("Le signalement est marqué comme traité."))
    return redirect("directory:reports")


@login_required
def zero_results(request: HttpRequest) -> HttpResponse:
    """The vocabulary's words of the searches that found nothing, counted per month, for the
    territories the user coordinates only."""
    territories = moderated_territories(request.user).order_by("name")
    month = timezone.localdate().replace(day=1)
    previous = (month - timezone.timedelta(days=1)).replace(day=1)
    words = vocabulary()
    return render(
        request,
        "directory/workspace/zero_results.html",
        {
            "territories": [
                (
                    territory,
                    [
                        (
                            when,
                            [
                                (words.get(row.term, row.term), row.count)
                                for row in top_terms(territory, when)
                            ],
                        )
                        for when in (month, previous)
                    ],
                )
                for territory in territories
            ],
            "retention_months": RETENTION_MONTHS,
        },
    )


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    territories = moderated_territories(request.user)
    pending = (
        ChangeRequest.objects.pending()
        .filter(organisation__territory__in=territories)
        .select_related("organisation", "author", "service")
        .order_by("created_at", "pk")
    )
    page = Paginator(pending, 25).get_page(request.GET.get("page"))
    return render(request, "directory/workspace/changes.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = get_for_user(
        request,
        ChangeRequest.objects.select_related("organisation", "author", "service", "decided_by"),
        view="directory.moderate",
        pk=pk,
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        comment = form.cleaned_data["comment"]
        try:
            if form.cleaned_data["decision"] == "approve":
                approve_change(change=change, by=request.user, comment=comment)
                messages.success(request, _("La modification est acceptée et publiée."))
            else:
                reject_change(change=change, by=request.user, comment=comment)
                messages.success(request, _("La modification est refusée ; l'auteur est prévenu."))
            return redirect("directory:changes")
        except AlreadyDecided:
            form.add_error(None, _("Cette demande a déjà été traitée."))
        except CannotApply as error:
            form.add_error(None, str(error))
    return render(
        request,
        "directory/workspace/change.html",
        {"change": change, "rows": diff(change), "form": form},
    )


# Public pages


@csrf_exempt  # no CSRF cookie for an anonymous visitor (see the docstring)
@require_http_methods(["GET", "HEAD", "POST"])
def report(request: HttpRequest, pk) -> HttpResponse:
    """Report an error on a service's record.

    CSRF-exempt on purpose: a {% csrf_token %} would set a cookie on a public page, and the
    design allows none for anonymous visitors. A forged submission could only add an anonymous
    report row (no account, no data of anyone is touched): the risk is spam, held back by the
    honeypot field and a per-address rate limit kept in the cache under a salted hash.
    """
    service = get_object_or_404(
        Service.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                check_report_rate(client_address(request))
            except TooManyReports:
                form.add_error(
                    None,
                    _(
                        "Trop de signalements envoyés depuis cette connexion. "
                        "Réessayez dans une heure."
                    ),
                )
                status = 429
            else:
                report_error(
                    service=service,
                    kind=form.cleaned_data["kind"],
                    message=form.cleaned_data["message"],
                )
                return render(request, "directory/report_sent.html", {"service": service})
        else:
            status = 400
    return render(
        request, "directory/report.html", {"service": service, "form": form}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def still_up_to_date(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the reminder email. GET only shows the button: a mail scanner that follows
    links must not confirm anything. POST (with its CSRF token) confirms."""
    try:
        service, _user = read_token(token)
    except InvalidLink as error:
        return render(
            request, "directory/workspace/still_up_to_date.html", {"error": str(error)}, status=400
        )
    if request.method == "POST":
        try:
            service = confirm_still_up_to_date(token=token)
        except InvalidLink as error:
            return render(
                request,
                "directory/workspace/still_up_to_date.html",
                {"error": str(error)},
                status=400,
            )
        return render(
            request, "directory/workspace/still_up_to_date.html", {"service": service, "done": True}
        )
    return render(request, "directory/workspace/still_up_to_date.html", {"service": service})
