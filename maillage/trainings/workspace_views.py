"""The trainings in the workspace: each person's registrations, a referent's staff, a
trainer's sessions, and the coordination's modules, sessions and registrations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core import audit
from maillage.core.models import Role, Territory
from maillage.core.views.workspace import get_for_user

from .forms import (
    CancelSessionForm,
    ModuleFilterForm,
    ModuleForm,
    SessionFilterForm,
    SessionForm,
    SlotFormSet,
)
from .models import REGISTERING, InvalidTransition, Module, Registration, TrainingSession
from .services import cancel_session, confirm_session, mark_held, open_registrations, save_session

R = Registration.Status
PAGE_SIZE = 25


def managed_territories(user):
    """The territories whose trainings the user manages (all for an administrator)."""
    return Territory.objects.all() if user.is_superuser else user.coordinated_territories()


def require_manager(user):
    territories = managed_territories(user)
    if not territories.exists():
        raise PermissionDenied
    return territories


def registrations_listed(queryset):
    return (
        queryset.select_related("session__module", "organisation")
        .prefetch_related("session__slots")
        .order_by("session__created_at", "last_name", "first_name")
    )


def upcoming_registrations(queryset):
    """Active registrations of sessions not over yet."""
    upcoming = TrainingSession.objects.upcoming()
    return registrations_listed(queryset.active().filter(session__in=upcoming))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("core.access_workspace"):
        raise PermissionDenied
    referent_of = user.organisations(Role.Kind.REFERENT)
    sessions = (
        TrainingSession.objects.public()
        .upcoming()
        .filter(status__in=REGISTERING)
        .with_dates()
        .with_counts()
        .select_related("module", "commune")
        .order_by("first_date", "pk")
    )
    return render(
        request,
        "trainings/workspace/home.html",
        {
            "mine": upcoming_registrations(Registration.objects.of_person(user)),
            "staff": upcoming_registrations(
                Registration.objects.filter(organisation__in=referent_of)
            ).exclude(pk__in=Registration.objects.of_person(user).values("pk")),
            "is_referent": referent_of.exists(),
            "trained": TrainingSession.objects.filter(trainers=user)
            .upcoming()
            .with_dates()
            .with_counts()
            .select_related("module")
            .order_by("first_date"),
            "manages": managed_territories(user).exists(),
            "sessions": sessions[:20],
            "can_register_self": user.has_perm("trainings.register_self"),
        },
    )


# Modules (the coordination)


@login_required
def module_list(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    form = ModuleFilterForm(request.GET or None)
    modules = (
        Module.objects.filter(territory__in=territories)
        .select_related("trainer_organisation")
        .annotate(session_count=Count("sessions"))
    )
    if form.is_valid():
        modules = modules.search(form.cleaned_data["q"])
    page = Paginator(modules.order_by("title", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "trainings/workspace/module_list.html", {"form": form, "page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    territories = require_manager(request.user)
    module = (
        get_for_user(request, Module, view="trainings.manage", change="trainings.manage", pk=pk)
        if pk
        else None
    )
    form = ModuleForm(request.POST or None, instance=module, territories=territories)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            module = form.save()
        messages.success(request, _("Le module « %(title)s » est enregistré.") % {"title": module})
        return redirect("trainings:module_list")
    return render(
        request,
        "trainings/workspace/module_form.html",
        {
            "form": form,
            "module": module,
            "title": _("Modifier le module") if module else _("Nouveau module"),
        },
    )


# Sessions


def sessions_for(user):
    """The sessions a user sees in the workspace: their territories', and those they give."""
    visible = Q(module__territory__in=managed_territories(user)) | Q(trainers=user)
    return TrainingSession.objects.filter(
        pk__in=TrainingSession.objects.filter(visible).values("pk")
    )


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    manages = managed_territories(user).exists()
    if not manages and not user.roles.filter(kind=Role.Kind.TRAINER).exists():
        raise PermissionDenied
    form = SessionFilterForm(request.GET or None)
    sessions = sessions_for(user).with_dates().with_counts().select_related("module", "commune")
    period = ""
    if form.is_valid():
        sessions = sessions.search(form.cleaned_data["q"])
        if form.cleaned_data["status"]:
            sessions = sessions.filter(status=form.cleaned_data["status"])
        period = form.cleaned_data["period"]
    today = timezone.localdate()
    if period == "passees":
        sessions = sessions.filter(last_date__lt=today).order_by("-first_date", "-pk")
    elif period == "toutes":
        sessions = sessions.order_by("-first_date", "-pk")
    else:
        sessions = sessions.filter(Q(last_date__gte=today) | Q(last_date=None)).order_by(
            "first_date", "pk"
        )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/workspace/session_list.html",
        {"form": form, "page_obj": page, "manages": manages},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    territories = require_manager(request.user)
    session = (
        get_for_user(
            request,
            TrainingSession.objects.select_related("module"),
            view="trainings.view_session",
            change="trainings.manage",
            pk=pk,
        )
        if pk
        else None
    )
    if session and not session.is_upcoming:
        messages.error(request, _("Une session réalisée ou annulée ne se modifie plus."))
        return redirect("trainings:session_manage", pk=session.pk)
    post = request.POST if request.method == "POST" else None
    initial = {}
    if session is None and request.GET.get("module", "").isdigit():
        initial["module"] = request.GET["module"]
    form = SessionForm(post, instance=session, territories=territories, initial=initial)
    slots = SlotFormSet(post, instance=session, prefix="demi")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        session = save_session(form=form, slots=slots)
        messages.success(request, _("La session est enregistrée."))
        return redirect("trainings:session_manage", pk=session.pk)
    return render(
        request,
        "trainings/workspace/session_form.html",
        {
            "form": form,
            "slots": slots,
            "session": session,
            "title": _("Modifier la session") if session else _("Nouvelle session"),
        },
    )


@login_required
def session_manage(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(
        request,
        TrainingSession.objects.with_counts()
        .select_related("module__territory", "commune")
        .prefetch_related("slots", "trainers"),
        view="trainings.view_session",
        pk=pk,
    )
    registrations = session.registrations.select_related("organisation", "commune")
    can_manage = request.user.has_perm("trainings.manage", session)
    audit.record("trainings.registrants.viewed", by=request.user, target=session)
    return render(
        request,
        "trainings/workspace/session_detail.html",
        {
            "session": session,
            "slots": session.slot_list,
            "confirmed": registrations.filter(status=R.CONFIRMED).order_by(
                "last_name", "first_name"
            ),
            "offered": registrations.filter(status=R.OFFERED).order_by("offer_expires_at"),
            "waiting": registrations.waiting_line(),
            "former": registrations.exclude(status__in=Registration.ACTIVE).order_by(
                "-cancelled_at", "-pk"
            ),
            "can_manage": can_manage,
            "actions": session_actions(session) if can_manage else [],
        },
    )


def session_actions(session: TrainingSession) -> list[tuple[str, str]]:
    """The status buttons the coordination sees for this session."""
    S = TrainingSession.Status
    actions = []
    if session.can_become(S.OPEN) and session.status == S.PLANNED:
        actions.append(("open", _("Ouvrir les inscriptions")))
    if not session.confirmed_at and session.status in (S.OPEN, S.FULL):
        actions.append(("confirm", _("Confirmer la session")))
    if session.can_become(S.HELD):
        actions.append(("held", _("Marquer la session réalisée")))
    return actions


TRANSITION_ACTIONS = {
    "open": (open_registrations, _("Les inscriptions sont ouvertes.")),
    "confirm": (confirm_session, _("La session est confirmée.")),
    "held": (mark_held, _("La session est marquée réalisée.")),
}


@login_required
@require_POST
def session_transition(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(
        request,
        TrainingSession.objects.select_related("module"),
        view="trainings.view_session",
        change="trainings.manage",
        pk=pk,
    )
    action = TRANSITION_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Action inconnue."))
    else:
        function, done = action
        try:
            function(session=session)
        except InvalidTransition as error:
            messages.error(request, str(error))
        else:
            messages.success(request, str(done))
    return redirect("trainings:session_manage", pk=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_for_user(
        request,
        TrainingSession.objects.with_counts().select_related("module"),
        view="trainings.view_session",
        change="trainings.manage",
        pk=pk,
    )
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_session(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("La session est annulée ; les personnes inscrites sont prévenues.")
            )
            return redirect("trainings:session_manage", pk=session.pk)
    return render(
        request, "trainings/workspace/session_cancel.html", {"session": session, "form": form}
    )
