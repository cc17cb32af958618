"""Error pages in French on the site's layout (quick exit, emergency numbers, a way back):
`handler400`, `handler403` (maillage/urls.py) and `CSRF_FAILURE_VIEW` (settings). Django's own
are bare English pages, and its 400 and CSRF pages are rendered without the request, hence
without the numbers. None of them writes to the session or asks for a CSRF token: no cookie for
an anonymous visitor. (With the database down, the layout's query fails and
maillage.core.faults answers its 503 page instead.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def error_page(request: HttpRequest, template: str, *, status: int) -> HttpResponse:
    response = render(request, template, status=status)
    response["Cache-Control"] = "no-store"
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a malformed request, or one for a host this instance does not serve."""
    return error_page(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403: a page the account has no right to (a link of the partners' menu, say)."""
    return error_page(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """403 of a form whose CSRF check failed (a page left open too long, cookies refused)."""
    return error_page(request, "403_csrf.html", status=403)
