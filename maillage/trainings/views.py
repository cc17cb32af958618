"""Public pages of the trainings: the catalogue, a module, a session, the calendar, the iCal
feeds, and the page a registration's email links to (no account needed).

Like every public page they set no cookie for an anonymous visitor and store nothing about
them; the iCal feed of a person and the registration page are reached only through a secret
token sent to that person.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .certificates import is_eligible
from .emails import file_stem
from .forms import month_from
from .ical import person_calendar, session_calendar
from .models import REGISTERING, Module, Registration, Trainee, TrainingSession, TrainingSlot
from .registration import (
    RegistrationError,
    accept_offer,
    cancel_registration,
    staff_organisations,
)


def upcoming_sessions():
    return (
        TrainingSession.objects.public()
        .upcoming()
        .with_dates()
        .with_counts()
        .select_related("commune", "module")
        .order_by("first_date", "pk")
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    modules = (
        Module.objects.published()
        .select_related("territory", "trainer_organisation")
        .prefetch_related(Prefetch("sessions", upcoming_sessions(), to_attr="upcoming"))
        .order_by("title")
    )
    return render(request, "trainings/catalogue.html", {"modules": modules})


@require_safe
def module_detail(request: HttpRequest, slug: str) -> HttpResponse:
    module = get_object_or_404(
        Module.objects.published().select_related("territory", "trainer_organisation"), slug=slug
    )
    sessions = upcoming_sessions().filter(module=module).prefetch_related("slots")
    return render(request, "trainings/module.html", {"module": module, "sessions": sessions})


def my_registration(request: HttpRequest, session: TrainingSession) -> Registration | None:
    if not request.user.is_authenticated:
        return None
    return session.registrations.active().of_person(request.user).first()


@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        TrainingSession.objects.public()
        .with_counts()
        .select_related("module__trainer_organisation", "commune")
        .prefetch_related("slots"),
        pk=pk,
    )
    user = request.user
    closed = session.registration_closed_reason()
    return render(
        request,
        "trainings/session.html",
        {
            "session": session,
            "module": session.module,
            "slots": session.slot_list,
            "closed_reason": closed,
            "registration": my_registration(request, session),
            "can_register_self": not closed and user.has_perm("trainings.register_self"),
            "can_register_staff": not closed
            and user.is_authenticated
            and staff_organisations(user, session.module.territory).exists(),
        },
    )


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The sessions' half-days of one month, day by day: a list, readable without script."""
    today = timezone.localdate()
    month = month_from(request.GET.get("mois"), default=today)
    next_month = (month + timedelta(days=32)).replace(day=1)
    previous_month = (month - timedelta(days=1)).replace(day=1)
    slots = (
        TrainingSlot.objects.filter(
            date__gte=month,
            date__lt=next_month,
            session__in=TrainingSession.objects.public(),
        )
        .select_related("session__module", "session__commune")
        .order_by("date", "start", "pk")
    )
    days = [(day, list(items)) for day, items in groupby(slots, key=lambda slot: slot.date)]
    return render(
        request,
        "trainings/calendar.html",
        {
            "month": month,
            "days": days,
            "previous": previous_month.strftime("%Y-%m"),
            "next": next_month.strftime("%Y-%m"),
            "is_current": month == today.replace(day=1),
            "registering": REGISTERING,
        },
    )


def ics_response(content: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    if private:
        # A person's feed: never kept by a shared cache, never indexed.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.public().select_related("module"), pk=pk)
    filename = f"{file_stem(session.module.title)}.ics"
    return ics_response(session_calendar(session), filename=filename, private=False)


@require_safe
def person_ics(request: HttpRequest, token: str) -> HttpResponse:
    trainee = get_object_or_404(Trainee, calendar_token=token, email_key__isnull=False)
    return ics_response(person_calendar(trainee), filename="mes-formations.ics", private=True)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def registration_access(request: HttpRequest, token: str) -> HttpResponse:
    """The page an email links to: take the seat offered, or cancel, without an account.

    CSRF-exempt on purpose: the secret token in the address is what authorises the action
    (a forger cannot know it), and a {% csrf_token %} would set a cookie for a visitor who has
    no account. GET only shows the buttons (a mail scanner following links changes nothing).
    """
    registration = get_object_or_404(
        Registration.objects.select_related(
            "session__module", "session__commune", "organisation"
        ).prefetch_related("session__slots"),
        access_token=token,
    )
    error = done = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "accept":
                registration = accept_offer(registration=registration)
                done = "accepted"
            elif action == "cancel":
                registration = cancel_registration(registration=registration, by=None)
                done = "cancelled"
        except RegistrationError as refusal:
            error = str(refusal)
        registration.refresh_from_db()
    status = 400 if error else 200
    return render(
        request,
        "trainings/registration_access.html",
        {
            "registration": registration,
            "session": registration.session,
            "slots": registration.session.slot_list,
            "position": registration.waiting_position(),
            "error": error,
            "done": done,
            "certificate_available": is_eligible(registration),
        },
        status=status,
    )
