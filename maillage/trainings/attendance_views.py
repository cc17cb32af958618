"""After the session, in the workspace: attendance per half-day, the attendance sheets (to
print, and signed ones uploaded back), certificates and the evaluation results.

The trainers of the session and the coordination of its territory only: anyone else gets 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maillage.core import audit
from maillage.core.views.workspace import get_for_user

from .attendance import (
    AttendanceError,
    SheetRefused,
    attendance_summary,
    check_can_mark,
    record_attendance,
    registrants,
    slot_statuses,
    upload_signed_sheet,
)
from .certificates import NotEligible, certificate_pdf, issue_certificate
from .emails import file_stem
from .evaluation import MIN_ANSWERS, results
from .forms import SignedSheetForm
from .models import (
    Attendance,
    Certificate,
    EvaluationAnswer,
    Module,
    Registration,
    SignedSheet,
    TrainingSession,
    TrainingSlot,
)
from .pdf import attendance_sheet_pdf


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


def attendance_session(request: HttpRequest, pk: int) -> TrainingSession:
    return get_for_user(
        request,
        TrainingSession.objects.select_related(
            "module__territory", "module__trainer_organisation", "commune"
        ).prefetch_related("slots", "trainers"),
        view="trainings.mark_attendance",
        pk=pk,
    )


def slot_forms(session: TrainingSession, today) -> list[dict]:
    people = list(registrants(session))
    forms = []
    for index, slot in enumerate(session.slot_list, start=1):
        statuses = slot_statuses(slot)
        try:
            check_can_mark(slot)
            reason = ""
        except AttendanceError as error:
            reason = str(error)
        forms.append(
            {
                "slot": slot,
                "index": index,
                "rows": [(person, statuses.get(person.pk, "")) for person in people],
                "closed_reason": reason,
                "sheets": list(slot.signed_sheets.all()),
                "upload_form": SignedSheetForm(prefix=f"demi{slot.pk}"),
            }
        )
    return forms


@login_required
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = attendance_session(request, pk)
    if request.method == "POST":
        slot = get_object_or_404(TrainingSlot, session=session, pk=request.POST.get("slot") or 0)
        people = registrants(session).values_list("pk", flat=True)
        if "all_present" in request.POST:
            statuses = {person: Attendance.Status.PRESENT for person in people}
        else:
            statuses = {person: request.POST.get(f"statut-{person}", "") for person in people}
        try:
            record_attendance(slot=slot, statuses=statuses, by=request.user)
        except AttendanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Présences enregistrées pour la demi-journée du %(slot)s.") % {"slot": slot},
            )
        return redirect(f"{request.path}#demi-{slot.pk}")
    audit.record("trainings.attendance.viewed", by=request.user, target=session)
    return render(
        request,
        "trainings/workspace/attendance.html",
        {
            "session": session,
            "slots": session.slot_list,
            "summaries": attendance_summary(session),
            "slot_forms": slot_forms(session, timezone.localdate()),
            "statuses": Attendance.Status.choices,
            "certificates": {
                c.registration_id: c
                for c in Certificate.objects.filter(registration__session=session)
            },
            "can_manage": request.user.has_perm("trainings.manage", session),
        },
    )


@login_required
@require_GET
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    session = attendance_session(request, pk)
    slots = session.slot_list
    wanted = request.GET.get("demi", "")
    if wanted:
        slots = [slot for slot in slots if str(slot.pk) == wanted]
        if not slots:
            raise Http404
    name = f"emargement-{file_stem(session.module.title)}.pdf"
    audit.record("trainings.attendance_sheet.exported", by=request.user, target=session)
    return pdf_response(attendance_sheet_pdf(session, slots), name)


@login_required
@require_POST
def signed_sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    slot = get_object_or_404(TrainingSlot.objects.select_related("session__module"), pk=pk)
    session = attendance_session(request, slot.session_id)
    form = SignedSheetForm(request.POST, request.FILES, prefix=f"demi{slot.pk}")
    if not form.is_valid():
        messages.error(request, _("Choisissez le fichier de la feuille signée."))
    else:
        try:
            upload_signed_sheet(slot=slot, upload=form.cleaned_data["file"], by=request.user)
        except SheetRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("La feuille signée est enregistrée."))
    return redirect(f"{session_url(session)}#demi-{slot.pk}")


def session_url(session: TrainingSession) -> str:
    return reverse("trainings:session_attendance", args=[session.pk])


@login_required
@require_GET
def signed_sheet_download(request: HttpRequest, pk: int) -> FileResponse:
    sheet = get_object_or_404(SignedSheet.objects.select_related("slot__session"), pk=pk)
    attendance_session(request, sheet.slot.session_id)
    audit.record("trainings.signed_sheet.downloaded", by=request.user, target=sheet.slot.session)
    filename = (
        f"emargement-signe-{sheet.slot.date:%Y-%m-%d}-{sheet.slot.start:%Hh%M}{sheet.extension}"
    )
    response = FileResponse(
        sheet.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=sheet.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def registration_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of a registration: for the person, their referent, the trainers and
    the coordination; 404 when there is none to give."""
    registration = get_for_user(
        request,
        Registration.objects.select_related("session__module__territory", "organisation"),
        view="trainings.view_registration",
        pk=pk,
    )
    response = certificate_response(registration)
    if registration.user_id != request.user.pk and registration.email_key != request.user.email:
        audit.record("trainings.certificate.downloaded", by=request.user, target=registration)
    return response


def certificate_response(registration: Registration) -> HttpResponse:
    try:
        certificate = issue_certificate(registration=registration)
    except NotEligible as reason:
        raise Http404(str(reason)) from None
    stems = [file_stem(registration.full_name), file_stem(registration.session.module.title)]
    name = "attestation-{}-{}.pdf".format(*stems)
    return pdf_response(certificate_pdf(certificate), name)


@login_required
@require_GET
def session_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    session = attendance_session(request, pk)
    audit.record("trainings.evaluations.viewed", by=request.user, target=session)
    return render(
        request,
        "trainings/workspace/evaluation_results.html",
        {
            "session": session,
            "module": session.module,
            "results": results(EvaluationAnswer.objects.filter(session=session)),
            "heading": _("Évaluation de la session"),
            "min_answers": MIN_ANSWERS,
        },
    )


@login_required
@require_GET
def module_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_for_user(request, Module.objects.all(), view="trainings.manage", pk=pk)
    return render(
        request,
        "trainings/workspace/evaluation_results.html",
        {
            "session": None,
            "module": module,
            "results": results(EvaluationAnswer.objects.filter(module=module)),
            "heading": _("Évaluation du module, toutes sessions"),
            "min_answers": MIN_ANSWERS,
        },
    )
