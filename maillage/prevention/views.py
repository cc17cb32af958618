"""The public library of materials (/supports/): validated public materials, searchable, with
their files to download. Anonymous visitors leave no trace: no cookie, no count."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .forms import LibraryFilterForm
from .models import Material
from .services import count_download

PAGE_SIZE = 20


@require_GET
def library(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    materials = Material.objects.in_library().select_related("campaign")
    if form.is_valid():
        data = form.cleaned_data
        materials = materials.search(data["q"])
        if data["kind"]:
            materials = materials.filter(kind=data["kind"])
        if data["audience"]:
            materials = materials.filter(audience=data["audience"])
    page_obj = Paginator(materials.order_by("title", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "prevention/library.html", {"form": form, "page_obj": page_obj})


@require_GET
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material.objects.in_library().select_related("campaign"), pk=pk)
    return render(request, "prevention/material.html", {"material": material})


@require_GET
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    material = get_object_or_404(Material.objects.in_library(), pk=pk)
    if not material.file:
        raise Http404
    count_download(material=material, user=request.user)
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=f"{material.title}{material.file.name[material.file.name.rfind('.') :]}",
        content_type=material.content_type,
    )
