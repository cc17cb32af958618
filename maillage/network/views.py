"""The action plan in the workspace: the plan of a contract by priority (filters, exports), the
action sheets with their milestones, follow-up notes and attachments.

Anyone with a role in the territory reads the plan; the coordination writes the sheets; the
referents of a sheet's pilot organisation update its status, progress, notes, milestones and
attachments. Another territory's objects answer 404, a missing right 403.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl import Workbook

from maillage.core.exports import csv_writer, safe_cell, safe_row
from maillage.core.models import Contract, Organisation
from maillage.core.uploads import UploadRefused
from maillage.core.views.workspace import get_for_user

from .forms import (
    ActionSheetForm,
    AttachmentForm,
    MilestoneForm,
    NoteForm,
    PlanFilterForm,
    ProgressForm,
)
from .models import ActionSheet, Attachment, Milestone
from .services import (
    PlanError,
    add_note,
    attach_file,
    delete_attachment,
    save_milestone,
    save_sheet,
    update_progress,
    visible_contracts,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50
SORTS = {
    "priorite": ["priority__position", "priority__code", "position", "title"],
    "titre": ["title"],
    "statut": ["state", "title"],
    "avancement": ["-progress", "title"],
    "fin": ["ends_on", "title"],
}


def contract_for(request: HttpRequest, pk: int, *, change: str = "") -> Contract:
    return get_for_user(
        request,
        Contract.objects.select_related("territory"),
        view="network.view",
        change=change,
        pk=pk,
    )


def sheet_for(request: HttpRequest, pk: int, *, change: str = "") -> ActionSheet:
    return get_for_user(
        request,
        ActionSheet.objects.with_state().select_related(
            "priority__contract__territory", "pilot", "working_group"
        ),
        view="network.view",
        change=change,
        pk=pk,
    )


@login_required
def plan_home(request: HttpRequest) -> HttpResponse:
    """The plan of the current contract when the user works in one territory, else a list."""
    contracts = list(visible_contracts(request.user).order_by("territory__name", "-start_date"))
    if not contracts:
        raise PermissionDenied
    if len({contract.territory_id for contract in contracts}) == 1:
        return redirect("network:plan", contract_pk=contracts[0].pk)  # the latest one
    return render(request, "network/plan_home.html", {"contracts": contracts})


def plan_sheets(contract: Contract, request: HttpRequest) -> tuple[PlanFilterForm, QuerySet]:
    form = PlanFilterForm(request.GET or None, contract=contract)
    sheets = form.filter(
        ActionSheet.objects.of_contract(contract).with_state().select_related("priority", "pilot")
    )
    return form, sheets.order_by(*SORTS[sort_of(request)], "pk")


def sort_of(request: HttpRequest) -> str:
    sort = request.GET.get("tri", "priorite")
    return sort if sort in SORTS else "priorite"


@login_required
def plan(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = contract_for(request, contract_pk)
    form, sheets = plan_sheets(contract, request)
    page = Paginator(sheets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/plan.html",
        {
            "contract": contract,
            "form": form,
            "page_obj": page,
            "sort": sort_of(request),
            "can_manage": request.user.has_perm("network.manage", contract),
            "status_counts": count_states(ActionSheet.objects.of_contract(contract).with_state()),
        },
    )


def count_states(sheets: QuerySet) -> list[tuple[str, str, int]]:
    counts: dict[str, int] = {}
    for state in sheets.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return [
        (code, label, counts[code]) for code, label in ActionSheet.Status.choices if code in counts
    ]


def export_rows(sheets: QuerySet) -> list[list]:
    sheets = sheets.prefetch_related(
        Prefetch("partners", queryset=Organisation.objects.order_by("name"))
    )
    rows = []
    for sheet in sheets:
        rows.append(
            [
                safe_cell(sheet.priority.code),
                safe_cell(sheet.title),
                safe_cell(sheet.pilot.name),
                safe_cell(", ".join(p.name for p in sheet.partners.all())),
                str(ActionSheet.Status(sheet.state).label),
                sheet.progress,
                sheet.starts_on.isoformat() if sheet.starts_on else "",
                sheet.ends_on.isoformat() if sheet.ends_on else "",
                str(sheet.get_governance_display()),
            ]
        )
    return rows


def export_titles() -> list[str]:
    return [
        _("Priorité"),
        _("Fiche action"),
        _("Structure pilote"),
        _("Partenaires"),
        _("Statut"),
        _("Avancement (%)"),
        _("Début"),
        _("Fin prévue"),
        _("Instance de suivi"),
    ]


def export_name(contract: Contract, extension: str) -> str:
    return f"plan-action-{contract.territory.slug}-{contract.period}.{extension}"


@login_required
def plan_csv(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = contract_for(request, contract_pk)
    _form, sheets = plan_sheets(contract, request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_name(contract, "csv")}"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(export_titles())
    writer.writerows(export_rows(sheets))
    return response


@login_required
def plan_xlsx(request: HttpRequest, contract_pk: int) -> HttpResponse:
    contract = contract_for(request, contract_pk)
    _form, sheets = plan_sheets(contract, request)
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_("Plan d'action"))
    worksheet.append(safe_row(export_titles()))
    for row in export_rows(sheets):
        worksheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{export_name(contract, "xlsx")}"'
    return response


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_for(request, pk)
    return render_sheet(request, sheet)


def render_sheet(request: HttpRequest, sheet: ActionSheet, **forms) -> HttpResponse:
    user = request.user
    can_update = user.has_perm("network.update_sheet", sheet)
    return render(
        request,
        "network/sheet.html",
        {
            "sheet": sheet,
            "contract": sheet.priority.contract,
            "partners": sheet.partners.order_by("name"),
            "funders": sheet.funders.order_by("name"),
            "milestones": sheet.milestones.all(),
            "notes": sheet.notes.select_related("author"),
            "attachments": sheet.attachments.all(),
            "can_manage": user.has_perm("network.manage", sheet),
            "can_update": can_update,
            "today": timezone.localdate(),
            "progress_form": forms.get("progress_form")
            or (
                ProgressForm(initial={"status": sheet.status, "progress": sheet.progress})
                if can_update
                else None
            ),
            "note_form": forms.get("note_form") or (NoteForm() if can_update else None),
            "milestone_form": forms.get("milestone_form")
            or (MilestoneForm(prefix="milestone") if can_update else None),
            "attachment_form": forms.get("attachment_form")
            or (AttachmentForm(prefix="attachment") if can_update else None),
        },
        status=400 if forms else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sheet_edit(request: HttpRequest, pk: int | None = None, contract_pk: int | None = None):
    if pk:
        sheet = sheet_for(request, pk, change="network.manage")
        contract = sheet.priority.contract
    else:
        contract = contract_for(request, contract_pk, change="network.manage")
        sheet = ActionSheet()
    form = ActionSheetForm(request.POST or None, instance=sheet, contract=contract)
    if request.method == "POST" and form.is_valid():
        sheet = form.save(commit=False)
        try:
            save_sheet(
                sheet=sheet,
                partners=form.cleaned_data["partners"],
                funders=form.cleaned_data["funders"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request, _("La fiche « %(title)s » est enregistrée.") % {"title": sheet}
            )
            return redirect(sheet)
    cancel_url = (
        sheet.get_absolute_url() if sheet.pk else reverse("network:plan", args=[contract.pk])
    )
    return render(
        request,
        "network/sheet_form.html",
        {
            "form": form,
            "sheet": sheet if sheet.pk else None,
            "contract": contract,
            "title": _("Modifier la fiche action") if sheet.pk else _("Nouvelle fiche action"),
            "cancel_url": cancel_url,
        },
    )


@login_required
@require_POST
def sheet_progress(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_for(request, pk, change="network.update_sheet")
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            update_progress(
                sheet=sheet,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
            )
        except PlanError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Le statut et l'avancement sont enregistrés."))
            return redirect(sheet)
    return render_sheet(request, sheet_for(request, pk), progress_form=form)


@login_required
@require_POST
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_for(request, pk, change="network.update_sheet")
    form = NoteForm(request.POST)
    if form.is_valid():
        add_note(
            sheet=sheet,
            text=form.cleaned_data["text"],
            written_on=form.cleaned_data["written_on"],
            by=request.user,
        )
        messages.success(request, _("La note de suivi est ajoutée."))
        return redirect(sheet)
    return render_sheet(request, sheet, note_form=form)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_for(request, pk, change="network.update_sheet")
    form = MilestoneForm(request.POST, prefix="milestone", instance=Milestone(sheet=sheet))
    if form.is_valid():
        save_milestone(milestone=form.save(commit=False))
        messages.success(request, _("Le jalon est ajouté."))
        return redirect(sheet)
    return render_sheet(request, sheet, milestone_form=form)


def milestone_for(request: HttpRequest, pk: int) -> Milestone:
    return get_for_user(
        request,
        Milestone.objects.select_related("sheet__priority__contract", "sheet__pilot"),
        view="network.view",
        change="network.update_sheet",
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = milestone_for(request, pk)
    form = MilestoneForm(request.POST or None, instance=milestone)
    if request.method == "POST" and form.is_valid():
        save_milestone(milestone=form.save(commit=False))
        messages.success(request, _("Le jalon est enregistré."))
        return redirect(milestone.sheet)
    return render(
        request,
        "network/form.html",
        {
            "form": form,
            "title": _("Modifier le jalon"),
            "cancel_url": milestone.sheet.get_absolute_url(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = milestone_for(request, pk)
    sheet = milestone.sheet
    if request.method == "POST":
        milestone.delete()
        messages.success(request, _("Le jalon est supprimé."))
        return redirect(sheet)
    return render(
        request,
        "network/confirm_delete.html",
        {
            "title": _("Supprimer ce jalon ?"),
            "question": _("Le jalon « %(title)s » sera retiré de la fiche « %(sheet)s ».")
            % {"title": milestone.title, "sheet": sheet.title},
            "cancel_url": sheet.get_absolute_url(),
        },
    )


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = sheet_for(request, pk, change="network.update_sheet")
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")
    if form.is_valid():
        try:
            attach_file(
                sheet=sheet,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except UploadRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            messages.success(request, _("La pièce jointe est enregistrée."))
            return redirect(sheet)
    return render_sheet(request, sheet, attachment_form=form)


def attachment_for(request: HttpRequest, pk: int, *, change: str = "") -> Attachment:
    return get_for_user(
        request,
        Attachment.objects.select_related("sheet__priority__contract", "sheet__pilot"),
        view="network.view",
        change=change,
        pk=pk,
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = attachment_for(request, pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,
        content_type=attachment.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_for(request, pk, change="network.update_sheet")
    sheet = attachment.sheet
    if request.method == "POST":
        delete_attachment(attachment=attachment)
        messages.success(request, _("La pièce jointe est supprimée."))
        return redirect(sheet)
    return render(
        request,
        "network/confirm_delete.html",
        {
            "title": _("Supprimer cette pièce jointe ?"),
            "question": _("La pièce « %(title)s » sera retirée de la fiche « %(sheet)s ».")
            % {"title": attachment.title, "sheet": sheet.title},
            "cancel_url": sheet.get_absolute_url(),
        },
    )
