"""The library of materials (/supports/): validated public materials for everyone, plus the
restricted ones for the partners of their territory; searchable, with previews and files to
download. Anonymous visitors leave no trace: no cookie, no count."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from .material_forms import LibraryFilterForm
from .materials import library_for
from .models import Campaign, Material, MaterialVariant
from .services import count_download

PAGE_SIZE = 20


def file_response(field, *, title: str, content_type: str, suffix: str = "") -> FileResponse:
    name = field.name
    extension = name[name.rfind(".") :] if "." in name else ""
    stem = slugify(title)[:80] or "support"
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"{stem}{suffix}{extension}",
        content_type=content_type,
    )


@require_safe
def library(request: HttpRequest) -> HttpResponse:
    visible = library_for(request.user)
    campaigns: QuerySet[Campaign] = Campaign.objects.filter(
        pk__in=visible.values("campaign")
    ).order_by("-starts_on", "title")
    form = LibraryFilterForm(request.GET or None, campaigns=campaigns)
    materials = visible.select_related("campaign")
    if form.is_valid():
        data = form.cleaned_data
        materials = materials.search(data["q"])
        if data["kind"]:
            materials = materials.filter(kind=data["kind"])
        if data["audience"]:
            materials = materials.filter(audience=data["audience"])
        if data["campaign"]:
            materials = materials.filter(campaign=data["campaign"])
        if data["language"]:
            materials = materials.filter(
                pk__in=MaterialVariant.objects.filter(language=data["language"]).values("material")
            )
    page_obj = Paginator(materials.order_by("title", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "prevention/library.html", {"form": form, "page_obj": page_obj})


def visible_material(request: HttpRequest, pk: int) -> Material:
    """The material if this visitor may see it in the library, else 404 (never 403: a
    restricted material's existence does not leak)."""
    return get_object_or_404(library_for(request.user).select_related("campaign"), pk=pk)


@require_safe
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = visible_material(request, pk)
    variants = list(material.variants.order_by("purpose", "language", "pk"))
    by_purpose = [
        (label, [v for v in variants if v.purpose == value])
        for value, label in MaterialVariant.Purpose.choices
    ]
    return render(
        request,
        "prevention/material.html",
        {
            "material": material,
            "variants_by_purpose": [(label, rows) for label, rows in by_purpose if rows],
        },
    )


@require_safe
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = visible_material(request, pk)
    if not material.file:
        raise Http404
    count_download(material=material, user=request.user)
    return file_response(material.file, title=material.title, content_type=material.content_type)


@require_safe
def variant_download(request: HttpRequest, pk: int, variant_pk: int) -> FileResponse:
    material = visible_material(request, pk)
    variant = get_object_or_404(material.variants, pk=variant_pk)
    count_download(material=material, user=request.user)
    return file_response(
        variant.file,
        title=material.title,
        content_type=variant.content_type,
        suffix=f"-{variant.purpose}-{variant.language}",
    )


@require_safe
def material_preview(request: HttpRequest, pk: int) -> FileResponse:
    """The preview image, shown in the pages (not counted as a download)."""
    material = visible_material(request, pk)
    if not material.preview:
        raise Http404
    response = FileResponse(material.preview.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response
