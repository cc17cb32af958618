"""Download the printed guide: the default territory's, a territory's, one of its communes'.

Anyone may read it (public information only); nothing a visitor does is stored. A request
serves the stored file (printed.open_guide), even an older one while the current one is being
rebuilt. A guide without any file yet is not built in a visitor's request (seconds of CPU per
commune and language: anyone could make the server build them all): its build is handed to the
worker, once, and the visitor gets a short page saying it is being prepared, with a link to try
again. The territory's coordinators and the administrators still build it in their request.

That page answers 503 with Retry-After rather than 202: the guide is not available yet and the
client should come back, which is what 503 and Retry-After say (RFC 9110 defines Retry-After
for 503, not for 2xx); a download tool or a link checker takes a 2xx for the PDF itself and
would save the page as the guide, and search engines and shared caches keep no 503.
"""

import posixpath

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import quote_etag
from django.utils.log import log_response
from django.views.decorators.http import require_safe

from maillage.core.models import Territory
from maillage.core.territories import current_territory

from .printed import GuideScope, download_name, open_guide

# A public file that changes with the directory: browsers and shared caches may keep it a
# little while; an older file, served while the current one is being built, only a minute.
CURRENT_MAX_AGE = 600
OLDER_MAX_AGE = 60
# When to try again a guide being prepared: a build takes seconds, the worker may be busy.
RETRY_AFTER_SECONDS = 30


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


def may_build(request: HttpRequest, territory: Territory) -> bool:
    """The territory's coordinators and the administrators may have a guide built in their
    request; anyone else gets it from the worker."""
    return request.user.is_authenticated and request.user.has_perm(
        "core.change_contract", territory
    )


def guide_response(request: HttpRequest, scope: GuideScope) -> HttpResponse:
    opened = open_guide(scope, may_build=may_build(request, scope.territory))
    if opened is None:
        return being_prepared(request, scope)
    guide, current = opened
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


def being_prepared(request: HttpRequest, scope: GuideScope) -> HttpResponse:
    """The guide has no file yet and its build was handed to the worker: come back shortly."""
    response = render(
        request,
        "orientation/printed/preparing.html",
        {"place": scope.place_name, "retry_url": request.path},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    # An expected answer, not a fault: logged as information (Django logs a 5xx as an error).
    log_response(
        "Guide being prepared: %s", request.path, response=response, request=request, level="info"
    )
    return response
