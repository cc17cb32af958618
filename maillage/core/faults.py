"""Database down: a 503 page that still shows the emergency numbers.

The numbers normally come from the database (`EmergencyNumber`); when it cannot be reached, the
page is rendered from a static template with a fixed list (`FALLBACK_EMERGENCY_NUMBERS`), with no
request context (the context processors query the database), no session and no cookie.
"""

import logging
import sys
from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.core.signals import got_request_exception
from django.db.utils import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 120
# The same numbers as the banner (migration core 0002) plus 119, written out: no database here.
FALLBACK_EMERGENCY_NUMBERS = [
    {"number": "17", "href": "tel:17", "label": _("Police, gendarmerie"), "sms": False},
    {
        "number": "112",
        "href": "tel:112",
        "label": _("Urgences, depuis tout téléphone"),
        "sms": False,
    },
    {"number": "114", "href": "sms:114", "label": _("Si vous ne pouvez pas parler"), "sms": True},
    {
        "number": "3919",
        "href": "tel:3919",
        "label": _("Violences Femmes Info, écoute 24 h/24, anonyme"),
        "sms": False,
    },
    {"number": "119", "href": "tel:119", "label": _("Allô Enfance en danger"), "sms": False},
]


def database_down_response() -> HttpResponse:
    html = render_to_string("core/503.html", {"numbers": FALLBACK_EMERGENCY_NUMBERS})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def is_database_down(error: BaseException | None) -> bool:
    return isinstance(error, DATABASE_DOWN)


@receiver(got_request_exception)
def note_database_down(sender, request: HttpRequest | None = None, **kwargs) -> None:
    """An error raised by a middleware (a logged-in visitor's session, say) never reaches
    process_exception: Django turns it into a 500 on the spot. Mark the request so that
    DatabaseDownMiddleware replaces that 500 with the 503 page."""
    if request is not None and is_database_down(sys.exception()):
        request._maillage_database_down = True


class DatabaseDownMiddleware:
    """Place it right after the security header middlewares (so that the 503 page keeps its
    headers), before the session and authentication middlewares."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_maillage_database_down", False):
            return self.unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_down(exception):
            return self.unavailable(request)
        return None

    def unavailable(self, request: HttpRequest) -> HttpResponse:
        logger.error("Database unreachable, answering 503 for %s", request.path)
        # The middlewares outside this one must not load the session to know who is there.
        request.user = AnonymousUser()
        request._maillage_database_down = False
        return database_down_response()
