"""The two files robots and security researchers look for at the root of a site:
/robots.txt and /.well-known/security.txt (RFC 9116)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..secret_paths import secret_url_prefixes

# Private areas and what is no page for a search engine; the personal links (surveys,
# registrations, calendars...) are added from the URLconf (maillage.core.secret_paths).
PRIVATE_PREFIXES = ("/espace/", "/compte/", "/admin/", "/api/")


def text_response(lines: list[str], *, max_age: int) -> HttpResponse:
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Public pages open to search engines; the workspace, accounts, admin, API and every
    personal link closed, in every language."""
    prefixes = {*PRIVATE_PREFIXES, *secret_url_prefixes()}
    for code, _name in settings.LANGUAGES:  # the workspace, accounts and admin in /en/ too
        if code != settings.LANGUAGE_CODE:
            prefixes |= {f"/{code}{prefix}" for prefix in PRIVATE_PREFIXES if prefix != "/api/"}
    # One line a prefix, none under another (/compte/confirm-email/ is under /compte/).
    closed = sorted(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in closed), "Allow: /"]
    return text_response(lines, max_age=86400)


@require_safe
def security_txt(request: HttpRequest) -> HttpResponse:
    """Whom to tell of a vulnerability (SECURITY_CONTACT); none configured: no file (the RFC
    requires a contact), hence a 404."""
    if not settings.SECURITY_CONTACT:
        raise Http404
    expires = timezone.now() + timedelta(days=365)  # in UTC (USE_TZ)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.strftime('%Y-%m-%dT00:00:00Z')}",
        "Preferred-Languages: fr, en",
    ]
    if settings.SITE_URL:
        lines.append(f"Canonical: {settings.SITE_URL.rstrip('/')}{reverse('security_txt')}")
    return text_response(lines, max_age=86400)
