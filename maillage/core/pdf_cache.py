"""Public PDFs built on demand (0.5 to 3 s of CPU each): kept in the shared cache, and built
no more than a few times per client (issue 16).

A document that anyone may ask for again is kept in Django's cache (shared by every worker and
app server: the database or Redis) under a key made of everything it depends on: the caller's
parts (the search index's token, the object or the normalised query, whether professional
records are shown...) and what every printed document shows (the language, the day of its
"Document généré le", the territory's name and colour, the emergency numbers). A request that
the cache answers costs a few queries; one that must build the document is counted against its
client (the account when logged in, otherwise the address: `ratelimit.client_key`), and past
BUILDS_PER_WINDOW in WINDOW_SECONDS the client gets the French 429 page instead, while the
documents already in the cache are still served to it.

A private document (the orientation summary: it follows the visitor's answers) is built without
a key: never stored, only counted. Nothing about a visitor is stored: keys are digests of public
parameters, counters keyed hashes of the address for one window.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header

from .models import EmergencyNumber
from .ratelimit import client_key, within_limit
from .territories import current_territory

logger = logging.getLogger(__name__)

KEY_PREFIX = "pdf:"
# How long a built document is kept. Its key changes with the directory (the token) and the
# day; the time bounds how late a change the key does not follow shows (a phone line edited
# alone) and how much the cache holds.
CACHE_SECONDS = 600
# Builds the cache could not answer, per client and window, all documents together: enough for
# a professional printing a dozen sheets in a row; an address behind which a script asks for
# new queries gets the 429 page after that.
BUILDS_PER_WINDOW = 30
WINDOW_SECONDS = 600
RATE_SCOPE = "pdf-builds"


def pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    """Shown in the browser (inline); `filename` is used when the visitor saves it."""
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(False, filename)},
    )


def pdf_cache_key(kind: str, *parts: object) -> str:
    """The cache key of a public document: `kind` and the parts its content depends on, plus
    what every printed document shows (directory.pdf.render_pdf's layout)."""
    territory = current_territory()
    numbers = EmergencyNumber.objects.filter(is_active=True).values_list(
        "number", "label", "channel"
    )
    common = [
        translation.get_language() or "",
        timezone.localdate().isoformat(),
        repr((territory.pk, territory.short_name, territory.primary_colour) if territory else ""),
        repr(list(numbers)),
    ]
    text = "\x1f".join([kind, *common, *(str(part) for part in parts)])
    return KEY_PREFIX + kind + ":" + hashlib.sha256(text.encode()).hexdigest()


def too_many_builds(request: HttpRequest) -> HttpResponse:
    """The French 429 page, with the time to wait."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response


def serve_pdf(
    request: HttpRequest,
    *,
    key: str | None,
    build: Callable[[], bytes],
    filename: str,
) -> HttpResponse:
    """The document under `key` if the cache holds it; otherwise, within the client's limit,
    `build()` it (and keep it under `key`); beyond the limit, the 429 page.

    `key` None: a private document, never read from nor written to the cache.
    """
    if key is not None and (pdf := _read(key)) is not None:
        return pdf_response(pdf, filename=filename)
    if not within_limit(
        RATE_SCOPE, client_key(request), limit=BUILDS_PER_WINDOW, window_seconds=WINDOW_SECONDS
    ):
        return too_many_builds(request)
    pdf = build()
    if key is not None:
        _write(key, pdf)
    return pdf_response(pdf, filename=filename)


def _read(key: str) -> bytes | None:
    """A cache that fails is no cache: the document is built."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("PDF cache not read")
        return None


def _write(key: str, pdf: bytes) -> None:
    try:
        cache.set(key, pdf, CACHE_SECONDS)
    except Exception:
        logger.exception("PDF cache not written")
