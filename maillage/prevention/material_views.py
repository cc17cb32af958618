"""Campaigns and materials in the coordination's workspace: lists with filters and exports,
forms, review states, stock and restocks, files per purpose and language.

Every page asks for `prevention.manage` on the object's territory: the coordinator of another
territory gets a 404 (the object's existence does not leak)."""

from __future__ import annotations

from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from maillage.core.exports import csv_writer, safe_cell, safe_row
from maillage.core.uploads import UploadRefused
from maillage.core.views.workspace import get_for_user

from .material_forms import (
    CampaignFilterForm,
    CampaignForm,
    MaterialFilterForm,
    MaterialForm,
    RestockForm,
    VariantForm,
)
from .materials import (
    MaterialError,
    allowed_transitions,
    change_review_state,
    check_main_file,
    delete_variant,
    restock,
    stock_history,
    store_main_file,
    upload_variant,
    validation_problems,
)
from .models import Campaign, Material, MaterialVariant
from .workspace_views import require_manager

PAGE_SIZE = 25
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGE = "prevention.manage"
RS = Material.ReviewState


def managed_campaigns(territories) -> QuerySet[Campaign]:
    return Campaign.objects.filter(territory__in=territories)


def managed_material(request: HttpRequest, pk: int) -> Material:
    return get_for_user(
        request,
        Material.objects.select_related("campaign__territory"),
        view=MANAGE,
        pk=pk,
    )


# Campaigns


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    form = CampaignFilterForm(request.GET or None)
    campaigns = (
        managed_campaigns(territories)
        .select_related("territory", "priority")
        .annotate(material_count=Count("materials"))
    )
    if form.is_valid() and form.cleaned_data["q"]:
        campaigns = campaigns.filter(title__icontains=form.cleaned_data["q"].strip())
    page = Paginator(campaigns.order_by("-starts_on", "title", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "prevention/materials/campaign_list.html",
        {"form": form, "page_obj": page, "several_territories": len(territories) > 1},
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    territories = require_manager(request.user)
    campaign = get_for_user(request, Campaign, view=MANAGE, pk=pk) if pk else None
    form = CampaignForm(request.POST or None, instance=campaign, territories=territories)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            campaign = form.save()
        messages.success(
            request, _("La campagne « %(title)s » est enregistrée.") % {"title": campaign}
        )
        return redirect("prevention:campaign_list")
    return render(
        request,
        "prevention/materials/campaign_form.html",
        {
            "form": form,
            "campaign": campaign,
            "title": _("Modifier la campagne") if campaign else _("Nouvelle campagne"),
        },
    )


# Materials


SORTS = {
    "title": ("title", "pk"),
    "-created": ("-created_at", "-pk"),
    "stock": ("stock", "title", "pk"),
    "campaign": ("campaign__title", "title", "pk"),
}


def filtered_materials(request: HttpRequest, territories) -> tuple[MaterialFilterForm, QuerySet]:
    campaigns = managed_campaigns(territories).order_by("-starts_on", "title")
    form = MaterialFilterForm(request.GET or None, campaigns=campaigns)
    materials = Material.objects.filter(campaign__territory__in=territories).select_related(
        "campaign"
    )
    sort = "title"
    if form.is_valid():
        data = form.cleaned_data
        materials = materials.search(data["q"])
        if data["campaign"]:
            materials = materials.filter(campaign=data["campaign"])
        if data["kind"]:
            materials = materials.filter(kind=data["kind"])
        if data["state"]:
            materials = materials.filter(review_state=data["state"])
        if data["low_stock"]:
            materials = materials.filter(
                stock_alert_threshold__gt=0, stock__lte=F("stock_alert_threshold")
            )
        sort = data["sort"] or "title"
    return form, materials.annotate(variant_count=Count("variants")).order_by(*SORTS[sort])


def export_rows(materials) -> list[list]:
    rows = []
    for material in materials:
        rows.append(
            [
                safe_cell(material.title),
                safe_cell(material.campaign.title),
                str(material.get_kind_display()),
                str(material.get_audience_display()),
                str(material.get_review_state_display()),
                _("public") if material.is_public else _("réservé aux partenaires"),
                material.stock,
                material.stock_alert_threshold,
                material.variant_count,
                safe_cell(material.licence),
                safe_cell(material.credits),
            ]
        )
    return rows


def export_header() -> list[str]:
    return [
        _("Titre"),
        _("Campagne"),
        _("Type"),
        _("Public"),
        _("État"),
        _("Diffusion"),
        _("Stock"),
        _("Seuil d'alerte"),
        _("Fichiers"),
        _("Licence"),
        _("Crédits"),
    ]


def materials_csv(materials) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="supports.csv"'
    response.write("\ufeff")
    writer = csv_writer(response, delimiter=";")
    writer.writerow(export_header())
    writer.writerows(export_rows(materials))
    return response


def materials_xlsx(materials) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Supports"))
    sheet.append(safe_row(export_header()))
    for row in export_rows(materials):
        sheet.append(safe_row(row))
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="supports.xlsx"'
    return response


@login_required
def material_list(request: HttpRequest) -> HttpResponse:
    territories = require_manager(request.user)
    form, materials = filtered_materials(request, territories)
    export = request.GET.get("format")
    if export == "csv":
        return materials_csv(materials)
    if export == "xlsx":
        return materials_xlsx(materials)
    page = Paginator(materials, PAGE_SIZE).get_page(request.GET.get("page"))
    low_stock = (
        Material.objects.low_stock()
        .filter(campaign__territory__in=territories)
        .select_related("campaign")
        .order_by("stock", "title")
    )
    return render(
        request,
        "prevention/materials/material_list.html",
        {"form": form, "page_obj": page, "low_stock": low_stock},
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    territories = require_manager(request.user)
    material = managed_material(request, pk) if pk else None
    campaigns = managed_campaigns(territories).order_by("-starts_on", "title")
    initial = {}
    if material is None and request.GET.get("campagne", "").isdigit():
        initial["campaign"] = campaigns.filter(pk=request.GET["campagne"]).first()
    form = MaterialForm(
        request.POST or None,
        request.FILES or None,
        instance=material,
        campaigns=campaigns,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        checked = None
        if upload:
            try:
                checked = check_main_file(upload)  # before anything is written
            except UploadRefused as refusal:
                form.add_error("file", str(refusal))
        if not form.errors:
            with transaction.atomic():
                saved = form.save(commit=False)
                saved._history_user = request.user
                saved.save()
                if checked:
                    store_main_file(material=saved, checked=checked, by=request.user)
            messages.success(
                request, _("Le support « %(title)s » est enregistré.") % {"title": saved}
            )
            return redirect("prevention:material_manage", pk=saved.pk)
    return render(
        request,
        "prevention/materials/material_form.html",
        {
            "form": form,
            "material": material,
            "title": _("Modifier le support") if material else _("Nouveau support"),
        },
    )


@login_required
def material_manage(request: HttpRequest, pk: int) -> HttpResponse:
    material = managed_material(request, pk)
    variants = material.variants.order_by("purpose", "language", "pk")
    return render(
        request,
        "prevention/materials/material_manage.html",
        {
            "material": material,
            "variants": variants,
            "transitions": [(state, RS(state).label) for state in allowed_transitions(material)],
            "problems": validation_problems(material)
            if material.review_state != RS.VALIDATED
            else [],
        },
    )


TRANSITION_LABELS = {
    RS.VALIDATED: _("Valider le support"),
    RS.ARCHIVED: _("Archiver le support"),
}


@login_required
@require_http_methods(["GET", "POST"])
def material_transition(request: HttpRequest, pk: int, state: str) -> HttpResponse:
    """Confirm, then change the review state."""
    material = managed_material(request, pk)
    if state not in RS.values:
        raise Http404
    if request.method == "POST":
        try:
            change_review_state(material=material, to=state, by=request.user)
        except MaterialError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Le support « %(title)s » est maintenant « %(state)s ».")
                % {"title": material.title, "state": RS(state).label},
            )
        return redirect("prevention:material_manage", pk=material.pk)
    return render(
        request,
        "prevention/materials/transition_confirm.html",
        {
            "material": material,
            "state": state,
            "state_label": RS(state).label,
            "allowed": state in allowed_transitions(material),
            "problems": validation_problems(material) if state == RS.VALIDATED else [],
            "action_label": TRANSITION_LABELS.get(state, _("Confirmer")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def material_stock(request: HttpRequest, pk: int) -> HttpResponse:
    material = managed_material(request, pk)
    form = RestockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            restock(
                material=material,
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except MaterialError as error:
            form.add_error("quantity", str(error))
        else:
            messages.success(
                request,
                _("Stock mis à jour : %(stock)d exemplaires.") % {"stock": material.stock},
            )
            return redirect("prevention:material_stock", pk=material.pk)
    return render(
        request,
        "prevention/materials/stock.html",
        {"material": material, "form": form, "moves": stock_history(material)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def variant_add(request: HttpRequest, pk: int) -> HttpResponse:
    material = managed_material(request, pk)
    form = VariantForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            variant = upload_variant(
                material=material,
                purpose=data["purpose"],
                language=data["language"],
                bleed_mm=data["bleed_mm"],
                upload=data["file"],
                by=request.user,
            )
        except UploadRefused as refusal:
            form.add_error("file", str(refusal))
        except MaterialError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Le fichier « %(variant)s » est enregistré.")
                % {"variant": f"{variant.get_purpose_display()}, {variant.get_language_display()}"},
            )
            return redirect("prevention:material_manage", pk=material.pk)
    return render(
        request, "prevention/materials/variant_form.html", {"material": material, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def variant_delete(request: HttpRequest, pk: int) -> HttpResponse:
    variant = get_for_user(
        request,
        MaterialVariant.objects.select_related("material__campaign"),
        view=MANAGE,
        pk=pk,
    )
    material = variant.material
    if request.method == "POST":
        delete_variant(variant=variant, by=request.user)
        messages.success(request, _("Le fichier est supprimé."))
        return redirect("prevention:material_manage", pk=material.pk)
    return render(
        request,
        "prevention/materials/variant_delete.html",
        {"material": material, "variant": variant},
    )
