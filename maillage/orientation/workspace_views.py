"""The coordination's page of the decision tree: versions, validation, publication, preview,
and the anonymous counts. A draft's nodes are edited on the draft's page (editor_views.py)."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.models import Territory

from .editor import problems
from .forms import walk_from
from .models import OrientationSettings, ResultCount, TreeVersion
from .services import (
    DraftExists,
    VersionLocked,
    create_default_tree,
    draft_version,
    publish,
    published_version,
    start_draft,
)
from .tree import InvalidTree, load_tree
from .views import render_screen, screen_context


def managed_territories(request: HttpRequest) -> list[Territory]:
    return [
        territory
        for territory in Territory.objects.visible_to(request.user)
        if request.user.has_perm("orientation.manage_tree", territory)
    ]


def managed_territory(request: HttpRequest, slug: str) -> Territory:
    territory = get_object_or_404(Territory, slug=slug)
    if not request.user.has_perm("orientation.manage_tree", territory):
        raise Http404
    return territory


def managed_version(request: HttpRequest, pk: int) -> TreeVersion:
    """A version the user may manage (404 otherwise: its existence does not leak)."""
    version = get_object_or_404(TreeVersion.objects.select_related("territory"), pk=pk)
    if not request.user.has_perm("orientation.manage_tree", version.territory):
        raise Http404
    return version


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    territories = managed_territories(request)
    if not territories:
        raise PermissionDenied
    sections = []
    for territory in territories:
        draft = draft_version(territory)
        settings_row = OrientationSettings.objects.filter(territory=territory).first()
        sections.append(
            {
                "territory": territory,
                "versions": territory.orientation_versions.order_by("-number"),
                "published": published_version(territory),
                "draft": draft,
                "errors": problems(load_tree(draft)) if draft else [],
                "counts_enabled": bool(settings_row and settings_row.counts_enabled),
                "counts": monthly_counts(territory),
            }
        )
    return render(request, "orientation/workspace.html", {"sections": sections})


def monthly_counts(territory: Territory, months: int = 12) -> list[dict]:
    """The last months' counts per result (its title in the latest version counted)."""
    rows = (
        ResultCount.objects.filter(node__version__territory=territory)
        .values("month", "node__key", "node__title")
        .annotate(total=Sum("count"))
        .order_by("-month", "node__key")
    )
    by_month: dict = defaultdict(list)
    for row in rows:
        by_month[row["month"]].append(row)
    return [{"month": month, "rows": by_month[month]} for month in list(by_month)[:months]]


@login_required
@require_POST
def draft_start(request: HttpRequest, slug: str) -> HttpResponse:
    territory = managed_territory(request, slug)
    draft = start_draft(territory, by=request.user)
    messages.success(
        request, _("La version %(number)s est en brouillon.") % {"number": draft.number}
    )
    return redirect("orientation:version", pk=draft.pk)


@login_required
@require_POST
def default_tree(request: HttpRequest, slug: str) -> HttpResponse:
    territory = managed_territory(request, slug)
    try:
        version = create_default_tree(territory, by=request.user)
    except (DraftExists, InvalidTree) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("Le questionnaire par défaut est la version %(number)s (%(status)s).")
            % {"number": version.number, "status": version.get_status_display()},
        )
    return redirect("orientation:workspace")


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = managed_version(request, pk)
    try:
        publish(version, by=request.user)
    except InvalidTree as error:
        messages.error(
            request, _("Publication refusée : %(errors)s") % {"errors": " ".join(error.messages)}
        )
        return redirect("orientation:version", pk=version.pk)  # its problems, with links
    except VersionLocked as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("La version %(number)s est publiée.") % {"number": version.number}
        )
    return redirect("orientation:workspace")


@login_required
@require_POST
def version_delete(request: HttpRequest, pk: int) -> HttpResponse:
    version = managed_version(request, pk)
    if not version.is_editable:
        raise PermissionDenied
    with transaction.atomic():
        version.start = None
        version.save(update_fields=["start"])
        version.delete()
    messages.success(request, _("Le brouillon est supprimé."))
    return redirect("orientation:workspace")


@login_required
@require_POST
def counts_toggle(request: HttpRequest, slug: str) -> HttpResponse:
    territory = managed_territory(request, slug)
    enabled = request.POST.get("counts_enabled") == "on"
    OrientationSettings.objects.update_or_create(
        territory=territory, defaults={"counts_enabled": enabled}
    )
    messages.success(
        request,
        _("Les comptages anonymes sont activés.")
        if enabled
        else _("Les comptages anonymes sont désactivés."),
    )
    return redirect("orientation:workspace")


# The preview walks a version like the public guide, and like it changes nothing (nothing is
# counted): csrf_exempt, so that orientation.js can post the screens.
@csrf_exempt
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def version_preview(request: HttpRequest, pk: int) -> HttpResponse:
    version = managed_version(request, pk)
    walk = walk_from(request.POST, load_tree(version))
    context = screen_context(request, walk, territory=version.territory, action=request.path)
    context |= {"preview": version, "can_manage": False}
    return render_screen(request, "orientation/guide.html", context)
