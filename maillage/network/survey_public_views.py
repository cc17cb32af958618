"""The answer page of a survey, reached by a signatory's personal link, without an account.

Like every public page it sets no cookie: the form is CSRF-exempt on purpose, the secret token
in the address being what authorises the answer (as for the trainings' questionnaire). A
forged submission could at most answer for the organisation whose unguessable token it holds;
submissions are rate-limited per address (hashed, in the cache).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from maillage.core.ratelimit import client_address, within_limit

from .survey_forms import AnswerForm
from .survey_services import SurveyError, check_answerable, open_invitation, submit_response

ANSWERS_PER_HOUR = 20  # per visitor address (hashed)
TEMPLATE = "network/surveys/answer.html"


@csrf_exempt  # no CSRF cookie on a public page: the token in the URL authorises (see above)
@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = open_invitation(token)
    if invitation is None:
        return render(
            request,
            TEMPLATE,
            {"refusal": _("Ce lien d'enquête n'existe pas."), "survey": None},
            status=404,
        )
    survey = invitation.survey
    context = {"survey": survey, "organisation": invitation.organisation, "preview": False}
    try:
        check_answerable(invitation)
    except SurveyError as error:
        context["refusal"] = str(error)
        return render(request, TEMPLATE, context, status=410)
    # Bound on every POST, even an empty one (an unbound form has no errors to add to).
    form = AnswerForm(request.POST if request.method == "POST" else None, survey=survey)
    context["form"] = form
    if request.method != "POST":
        return render(request, TEMPLATE, context)
    if not within_limit(
        "surveys", client_address(request), limit=ANSWERS_PER_HOUR, window_seconds=3600
    ):
        form.is_valid()
        form.add_error(
            None, _("Trop de réponses envoyées depuis cette connexion. Réessayez dans une heure.")
        )
        return render(request, TEMPLATE, context, status=429)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        submit_response(token=token, answers=form.answers())
    except SurveyError as error:
        context["refusal"] = str(error)
        return render(request, TEMPLATE, context, status=409)
    context["done"] = True
    return render(request, TEMPLATE, context)
