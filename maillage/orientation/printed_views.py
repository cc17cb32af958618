"""Download the printed guide: the default territory's, a territory's, one of its communes'.

Anyone may read it (public information only); nothing a visitor does is stored. A request
serves the stored file (printed.open_guide), building it first if there is none.
"""

import posixpath

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.views.decorators.http import require_safe

from maillage.core.models import Territory
from maillage.core.territories import current_territory

from .printed import GuideScope, download_name, open_guide

# A public file that changes with the directory: browsers and shared caches may keep it a
# little while; an older file, served while the current one is being built, only a minute.
CURRENT_MAX_AGE = 600
OLDER_MAX_AGE = 60


@require_safe
def default_guide(request: HttpRequest) -> HttpResponse:
    territory = current_territory()
    if territory is None:
        raise Http404
    return guide_response(request, GuideScope(territory))


@require_safe
def territory_guide(request: HttpRequest, territory: str) -> HttpResponse:
    return guide_response(request, GuideScope(get_object_or_404(Territory, slug=territory)))


@require_safe
def commune_guide(request: HttpRequest, territory: str, insee: str) -> HttpResponse:
    found = get_object_or_404(Territory, slug=territory)
    # A commune outside the territory answers 404, like an unknown one.
    return guide_response(request, GuideScope(found, get_object_or_404(found.communes, pk=insee)))


def guide_response(request: HttpRequest, scope: GuideScope) -> HttpResponse:
    guide, current = open_guide(scope)
    # The stored name holds the content's label: a validator for conditional requests.
    etag = quote_etag(posixpath.splitext(posixpath.basename(guide.name))[0])
    cache_control = f"public, max-age={CURRENT_MAX_AGE if current else OLDER_MAX_AGE}"
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        guide.close()
        not_modified["Cache-Control"] = cache_control
        return not_modified
    response = FileResponse(
        guide,
        content_type="application/pdf",
        filename=download_name(scope),  # inline: shown in the browser, this name if saved
    )
    response["ETag"] = etag
    response["Cache-Control"] = cache_control
    return response
