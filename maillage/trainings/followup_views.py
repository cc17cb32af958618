"""Public pages after a session, reached without an account: the certificate through the
registration's secret link, the public check of a certificate's code, and the anonymous
questionnaire through its one-time link.

Like every public page they set no cookie: the forms are CSRF-exempt on purpose, the secret
token in the address being what authorises the action (see views.registration_access).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from .attendance_views import certificate_response
from .certificates import attended_slots
from .evaluation import EvaluationRefused, open_invitation, submit_evaluation
from .forms import EvaluationForm
from .models import Certificate, Registration


@require_safe
def registration_certificate(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("session__module__territory", "organisation"),
        access_token=token,
    )
    return certificate_response(registration)


@require_safe
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Shows only the name, the module, the dates and "valide"; "inconnue" with a 404."""
    certificate = (
        Certificate.objects.select_related("registration__session__module")
        .filter(code=code.strip().upper())
        .first()
    )
    context = {"certificate": certificate, "code": code}
    if certificate is None:
        return render(request, "trainings/certificate_verify.html", context, status=404)
    context["attended"] = attended_slots(certificate.registration)
    return render(request, "trainings/certificate_verify.html", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation(token)
    if invitation is None:
        return render(
            request,
            "trainings/evaluation_form.html",
            {"refused": True, "done": False, "form": None, "session": None},
            status=404,
        )
    session = invitation.registration.session
    context = {"session": session, "refused": False, "done": False, "form": None}
    if invitation.used:
        context["refused"] = True
        return render(request, "trainings/evaluation_form.html", context, status=410)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submit_evaluation(token=token, answers=form.cleaned_data)
        except EvaluationRefused:
            context["refused"] = True
            return render(request, "trainings/evaluation_form.html", context, status=410)
        context["done"] = True
        return render(request, "trainings/evaluation_form.html", context)
    context["form"] = form
    status = 400 if request.method == "POST" else 200
    return render(request, "trainings/evaluation_form.html", context, status=status)
