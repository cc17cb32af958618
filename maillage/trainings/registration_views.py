"""Registering for a session from the workspace: a professional themself, a referent their
staff (several at once), and the cancellation of a registration (with confirmation)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from maillage.core.ratelimit import too_many_posts
from maillage.core.views.workspace import get_for_user

from .forms import SelfRegistrationForm, StaffOrganisationForm, staff_formset
from .models import Registration, TrainingSession
from .registration import (
    CannotCancel,
    Person,
    RegistrationError,
    cancel_registration,
    register_people,
    register_person,
    staff_organisations,
)

R = Registration.Status
# Valid registration posts per account and hour (maillage.core.ratelimit): enough for a
# referent registering a team session after session, not for a script.
REGISTRATION_POSTS = 30


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def registering_session(pk: int) -> TrainingSession:
    return get_object_or_404(
        TrainingSession.objects.public()
        .with_counts()
        .select_related("module__territory", "commune")
        .prefetch_related("slots"),
        pk=pk,
    )


def registered_message(registrations: list[Registration]) -> str:
    confirmed = sum(r.status == R.CONFIRMED for r in registrations)
    waiting = len(registrations) - confirmed
    parts = []
    if confirmed:
        parts.append(
            ngettext("%(count)d personne inscrite", "%(count)d personnes inscrites", confirmed)
            % {"count": confirmed}
        )
    if waiting:
        parts.append(
            ngettext(
                "%(count)d personne en liste d'attente",
                "%(count)d personnes en liste d'attente",
                waiting,
            )
            % {"count": waiting}
        )
    return _("%(what)s. Chacune reçoit un courriel.") % {"what": ", ".join(parts)}


@login_required
@require_http_methods(["GET", "POST"])
def register_self(request: HttpRequest, pk: int) -> HttpResponse:
    session = registering_session(pk)
    user = request.user
    if not user.has_perm("trainings.register_self"):
        raise PermissionDenied
    form = SelfRegistrationForm(request.POST or None, user=user, territory=session.module.territory)
    if (
        request.method == "POST"
        and form.is_valid()
        and not too_many_posts(request, form, scope="trainings.register", limit=REGISTRATION_POSTS)
    ):
        data = form.cleaned_data
        person = Person(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=user.email,
            function=data["function"],
            organisation=data["organisation"],
            commune=data["commune"],
            user=user,
        )
        try:
            registration = register_person(session=session, person=person, by=user)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            if registration.status == R.CONFIRMED:
                messages.success(
                    request, _("Vous êtes inscrit·e. Un courriel vous apporte la convocation.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "La session est complète : vous êtes en liste d'attente. Si une place "
                        "se libère, elle vous sera proposée par courriel."
                    ),
                )
            return redirect("trainings:workspace")
    return render(
        request,
        "trainings/workspace/register_self.html",
        {
            "session": session,
            "slots": session.slot_list,
            "form": form,
            "closed_reason": session.registration_closed_reason(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_staff(request: HttpRequest, pk: int) -> HttpResponse:
    session = registering_session(pk)
    user = request.user
    organisations = staff_organisations(user, session.module.territory)
    if not organisations.exists():
        raise PermissionDenied
    post = request.POST if request.method == "POST" else None
    rows = request.GET.get("lignes", "")
    rows = min(int(rows), 50) if rows.isdigit() and int(rows) > 0 else 5
    form = StaffOrganisationForm(
        post, organisations=organisations, territory=session.module.territory
    )
    people = staff_formset(post, rows=rows)
    if (
        request.method == "POST"
        and form.is_valid()
        and people.is_valid()
        and not too_many_posts(request, form, scope="trainings.register", limit=REGISTRATION_POSTS)
    ):
        organisation = form.cleaned_data["organisation"]
        if not user.has_perm("trainings.register_staff", organisation):
            raise PermissionDenied
        members = [
            Person(
                first_name=member["first_name"],
                last_name=member["last_name"],
                email=member["email"],
                function=member["function"],
                organisation=organisation,
                commune=form.cleaned_data["commune"],
            )
            for member in people.members
        ]
        try:
            registrations = register_people(session=session, people=members, by=user)
        except RegistrationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, registered_message(registrations))
            return redirect("trainings:workspace")
    return render(
        request,
        "trainings/workspace/register_staff.html",
        {
            "session": session,
            "slots": session.slot_list,
            "form": form,
            "people": people,
            "more_rows": min(rows + 5, 50),
            "closed_reason": session.registration_closed_reason(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_for_user(
        request,
        Registration.objects.select_related("session__module", "organisation"),
        view="trainings.view_registration",
        change="trainings.cancel_registration",
        pk=pk,
    )
    default = reverse("trainings:workspace")
    if request.method == "POST":
        try:
            cancel_registration(registration=registration, by=request.user)
        except CannotCancel as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("L'inscription de %(name)s est annulée.") % {"name": registration.full_name},
            )
        return redirect(safe_next(request, default))
    return render(
        request,
        "trainings/workspace/registration_cancel.html",
        {
            "registration": registration,
            "session": registration.session,
            "next": safe_next(request, default),
            "cancel_url": safe_next(request, default),
        },
    )
