"""A short-lived cache of the public search page as anonymous visitors see it (issue 8).

Rendering a page of results takes tens of milliseconds; the same few searches come back again
and again. A visitor without any cookie (so not logged in: a professional's page shows phone
lines kept for professionals) gets the page rendered for the same address within the last
minute, if the directory has not changed since: the key holds the search index's token (every
change of what the search reads gives a new one), the day, the language, the host and the full
path with its query string, and the minute when "open now" is asked.

The page carries the response's CSP nonce (base.html: `<style nonce="...">`), which must be new
for each response: the page is rendered with a placeholder, stored so, and each response gets
its own nonce in place of the placeholder (the nonce is drawn only when the page uses it, as
when rendered, so the CSP header is the same). Nothing about the visitor is stored; pages of
searches without results are not stored, so that each of them is still counted
(zero_results.py). Django's cache: local memory per process, Redis when REDIS_URL is set.

What the token does not follow (the territory's colours, the emergency numbers of the layout, a
phone line edited alone) shows on cached pages within the minute.
"""

from __future__ import annotations

import hashlib
import logging
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.utils import timezone, translation

from .models import PARIS, SearchVersion

logger = logging.getLogger(__name__)

# Stands for the CSP nonce in a stored page (letters only: unchanged by HTML escaping).
NONCE_PLACEHOLDER = "maillageCspNoncePlaceholder"
KEY_PREFIX = "directory:search-page:"


def timeout() -> int:
    """Seconds a page is kept (DIRECTORY_PAGE_CACHE_SECONDS, 60 by default; 0: no cache)."""
    return int(getattr(settings, "DIRECTORY_PAGE_CACHE_SECONDS", 60))


def read_token() -> UUID | None:
    """index.read_token() without the ORM's overhead (a third of a cached page's cost)."""
    meta, quote = SearchVersion._meta, connection.ops.quote_name
    token, table, pk = meta.get_field("token").column, meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        sql = f"SELECT {quote(token)} FROM {quote(table)} ORDER BY {quote(pk)} LIMIT 1"  # noqa: S608 - model names  # nosec B608
        cursor.execute(sql)  # names from the model, no value
        row = cursor.fetchone()
    return None if row is None else meta.get_field("token").to_python(row[0])


def key_for(request: HttpRequest) -> tuple[str, UUID] | tuple[None, None]:
    """The cache key of this request's page and the directory's token it holds, or None when
    the page must not come from the cache (a cookie, a logged-in user, no token yet, the cache
    turned off)."""
    if request.method != "GET" or request.COOKIES or not timeout():
        return None, None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None, None
    token = read_token()
    if token is None:  # a directory never changed: nothing worth keeping
        return None, None
    parts = [
        str(token),
        timezone.localdate().isoformat(),  # the index's day (what is published today)
        translation.get_language() or "",
        request.get_host(),
        request.get_full_path(),
    ]
    if "ouvert" in request.GET:  # "open now" changes with the minute
        minute = timezone.localtime(timezone.now(), PARIS).strftime("%Y-%m-%dT%H:%M")
        parts.append(minute)
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return KEY_PREFIX + digest, token


def with_nonce(html: str, request: HttpRequest) -> str:
    """The page with this response's own CSP nonce in place of the placeholder."""
    if NONCE_PLACEHOLDER not in html:
        return html
    return html.replace(NONCE_PLACEHOLDER, str(get_nonce(request)))


def get(key: str) -> str | None:
    """The stored page (with the placeholder), or None; a cache that fails is no cache."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("search page cache not read")
        return None


def store(key: str, token: UUID, html: str, *, rendered_with: UUID | None) -> None:
    """Keep the page, if it was rendered from the index of the key's token (while a national
    index is rebuilt in the background, the previous one answers: its page is not kept)."""
    if rendered_with is not None and rendered_with != token:
        return
    try:
        cache.set(key, html, timeout())
    except Exception:
        logger.exception("search page cache not written")
