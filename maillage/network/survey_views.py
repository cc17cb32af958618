"""The surveys in the workspace, for the coordination of the contract's territory: build the
questionnaire (from a template), preview, open (invitations), close, follow who answered, read
and export the results. Another territory's survey answers 404."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from maillage.core import audit
from maillage.core.exports import csv_writer, safe_cell, safe_row
from maillage.core.models import Role, Territory

from .models import Invitation, Question, Response, Survey
from .survey_forms import AnswerForm, QuestionForm, SurveyFilterForm, SurveyForm
from .survey_results import survey_results
from .survey_services import (
    SurveyError,
    close_survey,
    create_survey,
    delete_question,
    move_question,
    open_survey,
    participation,
    replace_choices,
    require_draft,
)

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def managed_territories(user) -> QuerySet[Territory]:
    return Territory.objects.all() if user.is_superuser else user.coordinated_territories()


def require_manager(user) -> QuerySet[Territory]:
    territories = managed_territories(user)
    if not territories.exists():
        raise PermissionDenied
    return territories


def managed_survey(request: HttpRequest, pk: int) -> Survey:
    """The survey, or 404 when it is not of a territory the user coordinates."""
    survey = get_object_or_404(
        Survey.objects.select_related("contract__territory", "previous"), pk=pk
    )
    if not request.user.has_perm("network.manage_surveys", survey):
        raise Http404
    return survey


def managed_question(request: HttpRequest, pk: int) -> Question:
    question = get_object_or_404(
        Question.objects.select_related("survey__contract__territory"), pk=pk
    )
    if not request.user.has_perm("network.manage_surveys", question.survey):
        raise Http404
    return question


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    form = SurveyFilterForm(request.GET or None)
    surveys = (
        Survey.objects.in_territories(territories)
        .select_related("contract__territory")
        .annotate(
            answered=Count("responses", distinct=True),
            invited=Count("invitations__organisation", distinct=True),
        )
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            surveys = surveys.filter(Q(title__icontains=data["q"]) | Q(intro__icontains=data["q"]))
        if data["status"]:
            surveys = surveys.filter(status=data["status"])
        if data["year"]:
            surveys = surveys.filter(year=data["year"])
    sort = request.GET.get("tri", "")
    orderings = {"titre": ["title", "pk"], "cloture": ["closes_on", "pk"]}
    surveys = surveys.order_by(*orderings.get(sort, ["-year", "-created_at", "-pk"]))
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/surveys/list.html",
        {"form": form, "page_obj": page, "surveys": page.object_list, "sort": sort},
    )


@login_required
def survey_mine(request: HttpRequest) -> HttpResponse:
    """A referent's surveys: for each organisation they are referent of, the surveys it was
    invited to, answered or not, with the personal link while the survey takes answers."""
    user = request.user
    organisations = user.organisations(Role.Kind.REFERENT)
    if not organisations.exists():
        raise PermissionDenied
    invitations = (
        Invitation.objects.filter(organisation__in=organisations)
        .exclude(survey__status=Survey.Status.DRAFT)
        .select_related("survey__contract", "organisation")
        .order_by("-survey__year", "-survey__pk", "organisation__name")
    )
    answered = set(
        Response.objects.filter(organisation__in=organisations).values_list(
            "survey_id", "organisation_id"
        )
    )
    rows: dict[tuple[int, int], dict] = {}
    for invitation in invitations:
        key = (invitation.survey_id, invitation.organisation_id)
        row = rows.setdefault(
            key,
            {
                "survey": invitation.survey,
                "organisation": invitation.organisation,
                "answered": key in answered,
                "open": invitation.survey.accepts_answers(),
                "invitation": invitation,
            },
        )
        if invitation.email.lower() == user.email.lower():
            row["invitation"] = invitation  # their own link first
    return render(request, "network/surveys/mine.html", {"rows": list(rows.values())})


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    form = SurveyForm(
        request.POST or None,
        territories=territories,
        initial={"year": timezone.localdate().year, "reminder_days": 7},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        template = data.pop("template", "")
        if not request.user.has_perm("network.manage_surveys", data["contract"]):
            raise PermissionDenied
        survey = create_survey(template=template, **data)
        messages.success(request, _("L'enquête est créée, en brouillon."))
        return redirect(survey)
    return render(request, "network/surveys/form.html", {"form": form, "survey": None})


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    questions = survey.questions.prefetch_related("choices", "rows").select_related("indicator")
    rows = participation(survey)
    return render(
        request,
        "network/surveys/detail.html",
        {
            "survey": survey,
            "questions": questions,
            "participation": rows,
            "answered_count": sum(1 for row in rows if row.answered),
            "without_email": [row for row in rows if not row.emails],
            "accepts_answers": survey.accepts_answers(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    territories = managed_territories(request.user)
    form = SurveyForm(request.POST or None, instance=survey, territories=territories)
    if request.method == "POST" and form.is_valid():
        if "contract" in form.cleaned_data and not request.user.has_perm(
            "network.manage_surveys", form.cleaned_data["contract"]
        ):
            raise PermissionDenied
        with transaction.atomic():
            form.save()
        messages.success(request, _("L'enquête est enregistrée."))
        return redirect(survey)
    return render(request, "network/surveys/form.html", {"form": form, "survey": survey})


@login_required
@require_http_methods(["GET", "POST"])
def survey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    if not survey.is_draft:
        messages.error(request, _("Seule une enquête en brouillon peut être supprimée."))
        return redirect(survey)
    if request.method == "POST":
        with transaction.atomic():
            survey.delete()
        messages.success(request, _("Le brouillon d'enquête est supprimé."))
        return redirect("network:survey_list")
    return render(
        request,
        "network/surveys/confirm.html",
        {
            "survey": survey,
            "title": _("Supprimer ce brouillon ?"),
            "text": _("L'enquête « %(title)s » et ses questions seront supprimées.")
            % {"title": survey.title},
            "button": _("Supprimer"),
            "danger": True,
        },
    )


@login_required
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    return render(
        request,
        "network/surveys/answer.html",
        {
            "survey": survey,
            "form": AnswerForm(survey=survey),
            "preview": True,
            "organisation": None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    if request.method == "POST":
        try:
            invitations = open_survey(survey=survey)
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            organisations = len({i.organisation_id for i in invitations})
            messages.success(
                request,
                _("L'enquête est ouverte : %(count)s structure(s) invitée(s).")
                % {"count": organisations},
            )
        return redirect(survey)
    rows = participation(survey)
    return render(
        request,
        "network/surveys/confirm.html",
        {
            "survey": survey,
            "title": _("Ouvrir l'enquête ?"),
            "text": _(
                "Chaque signataire reçoit par courriel un lien personnel, à l'adresse de ses "
                "référent·es (à défaut, celle de la structure). Les questions ne pourront plus "
                "être modifiées."
            ),
            "participation": rows,
            "button": _("Ouvrir et envoyer les invitations"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    if request.method == "POST":
        try:
            close_survey(survey=survey)
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("L'enquête est close : elle ne reçoit plus de réponse."))
        return redirect(survey)
    return render(
        request,
        "network/surveys/confirm.html",
        {
            "survey": survey,
            "title": _("Clore l'enquête ?"),
            "text": _("Plus aucune réponse ne sera acceptée, même avant la date de clôture."),
            "button": _("Clore l'enquête"),
            "danger": True,
        },
    )


@login_required
def survey_results_view(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    rows = participation(survey)
    return render(
        request,
        "network/surveys/results.html",
        {
            "survey": survey,
            "results": survey_results(survey),
            "previous_year": survey.previous.year if survey.previous_id else None,
            "invited": sum(1 for row in rows if row.emails),
            "answered": sum(1 for row in rows if row.answered),
        },
    )


def export_rows(survey: Survey) -> list[list]:
    rows = []
    previous_year = survey.previous.year if survey.previous_id else None
    for result in survey_results(survey):
        question = safe_cell(result.question.text)
        for chart in result.charts:
            detail = chart.title.removeprefix(result.question.text).strip()
            for bar in chart.bars:
                rows.append(
                    [
                        question,
                        safe_cell(detail),
                        safe_cell(bar.label),
                        bar.count,
                        bar.percent,
                        "" if bar.previous_percent is None else bar.previous_percent,
                    ]
                )
        for text in result.texts:
            rows.append([question, "", safe_cell(text), "", "", ""])
    header = [
        _("Question"),
        _("Ligne"),
        _("Réponse"),
        _("Nombre de structures"),
        _("Part (%)"),
        _("Part en %(year)s (%%)") % {"year": previous_year}
        if previous_year
        else _("Année précédente (%)"),
    ]
    return [header, *rows]


def _filename(survey: Survey, extension: str) -> str:
    return f"enquete-{slugify(survey.title)[:60] or survey.pk}-{survey.year}.{extension}"


@login_required
def survey_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    audit.record(
        "network.survey_answers.exported", by=request.user, target=survey, details={"format": "csv"}
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "csv")}"'
    response.write("\ufeff")
    csv_writer(response, delimiter=";").writerows(export_rows(survey))
    return response


@login_required
def survey_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    audit.record(
        "network.survey_answers.exported",
        by=request.user,
        target=survey,
        details={"format": "xlsx"},
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Résultats"))
    for row in export_rows(survey):
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "xlsx")}"'
    return response


# Questions


def _save_question(form: QuestionForm, survey: Survey) -> Question:
    from .survey_services import add_question

    data = form.cleaned_data
    with transaction.atomic():
        if form.instance.pk:
            question = form.save()
            replace_choices(question, choices=form.parsed_choices, rows=form.parsed_rows)
            return question
        return add_question(
            survey=survey,
            kind=data["kind"],
            text=data["text"],
            choices=form.parsed_choices,
            rows=form.parsed_rows,
            help_text=data["help_text"],
            required=data["required"],
            scale=(
                data["scale_min"],
                data["scale_max"],
                data["scale_min_label"],
                data["scale_max_label"],
            ),
            positive_from=data["positive_from"],
            indicator=data["indicator"],
        )


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = managed_survey(request, pk)
    if not survey.is_draft:
        messages.error(
            request, _("L'enquête est ouverte ou close : ses questions ne peuvent plus changer.")
        )
        return redirect(survey)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        _save_question(form, survey)
        messages.success(request, _("La question est ajoutée."))
        return redirect(survey)
    return render(
        request,
        "network/surveys/question_form.html",
        {"form": form, "survey": survey, "question": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = managed_question(request, pk)
    survey = question.survey
    if not survey.is_draft:
        messages.error(
            request, _("L'enquête est ouverte ou close : ses questions ne peuvent plus changer.")
        )
        return redirect(survey)
    form = QuestionForm(request.POST or None, instance=question, survey=survey)
    if request.method == "POST" and form.is_valid():
        _save_question(form, survey)
        messages.success(request, _("La question est enregistrée."))
        return redirect(survey)
    return render(
        request,
        "network/surveys/question_form.html",
        {"form": form, "survey": survey, "question": question},
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = managed_question(request, pk)
    survey = question.survey
    if request.method == "POST":
        try:
            delete_question(question)
        except SurveyError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("La question est supprimée."))
        return redirect(survey)
    try:
        require_draft(survey)
    except SurveyError as error:
        messages.error(request, str(error))
        return redirect(survey)
    return render(
        request,
        "network/surveys/confirm.html",
        {
            "survey": survey,
            "title": _("Supprimer cette question ?"),
            "text": question.text,
            "button": _("Supprimer la question"),
            "danger": True,
        },
    )


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int) -> HttpResponse:
    question = managed_question(request, pk)
    try:
        move_question(question, up=request.POST.get("direction") == "up")
    except SurveyError as error:
        messages.error(request, str(error))
    return redirect(f"{question.survey.get_absolute_url()}#question-{question.pk}")
