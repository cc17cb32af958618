import time
from collections.abc import Callable

from allauth.account.authentication import get_authentication_records

# allauth's own function to add a method to the session's record (no public alias in 65.x).
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Session keys of SessionTimeoutMiddleware (seconds since the epoch).
LOGIN_AT = "_maillage_login_at"
SEEN_AT = "_maillage_seen_at"
# The time of last activity is written again only when older than this (one write a minute
# at most, not one per request).
SEEN_AT_GRANULARITY = 60


def has_personal_data(request: HttpRequest) -> bool:
    """A page behind a login, or one that a secret token in its address opens (survey answers,
    training registrations, evaluations, calendars, "still up to date" links)."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and "token" in match.kwargs


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy and Cross-Origin-Resource-Policy;
    Cache-Control: no-store on every page with personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if has_personal_data(request) and "no-store" not in response.get("Cache-Control", ""):
            # Never kept by a browser (back button on a shared computer) nor by a proxy.
            response.headers["Cache-Control"] = "no-store"
        return response


@receiver(user_logged_in, dispatch_uid="maillage-session-login-time")
def stamp_login_time(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """The absolute timeout counts from the last login, even when a session carried over."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_TIMEOUT seconds without a request (30 min)
    and SESSION_ABSOLUTE_TIMEOUT seconds after the login (8 h), however active (ASVS 5.0
    V7.3). The session is flushed on the server: its cookie opens nothing after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            login_at = session.setdefault(LOGIN_AT, now)
            seen_at = session.get(SEEN_AT, now)
            idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60))
            absolute = int(getattr(settings, "SESSION_ABSOLUTE_TIMEOUT", 8 * 3600))
            if now - seen_at > idle or now - login_at > absolute:
                logout(request)
                messages.info(
                    request,
                    _("Votre session a expiré. Reconnectez-vous pour continuer."),
                )
                return redirect_to_login(request.get_full_path())
            if SEEN_AT not in session or now - seen_at >= SEEN_AT_GRANULARITY:
                session[SEEN_AT] = now
        return self.get_response(request)


def passed_second_factor(request: HttpRequest) -> bool:
    """Whether this session's login went through a second factor (allauth records each method
    of the session's authentication: "password", then "mfa" for a TOTP or recovery code)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


@receiver(authenticator_added, dispatch_uid="maillage-second-factor-activated")
def record_second_factor_on_activation(
    sender, request: HttpRequest | None, user, authenticator: Authenticator, **kwargs
) -> None:
    """A person who enrols a TOTP key types a code it gives: that session has passed the second
    factor. allauth records nothing then, so a coordinator who had just enrolled would be logged
    out at the next page."""
    if (
        request is None
        or authenticator.type != Authenticator.Type.TOTP
        or getattr(request, "user", None) is None
        or request.user.pk != user.pk
    ):
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


class RequireSecondFactorMiddleware:
    """Coordinators and administrators reach none of their pages before enrolling a TOTP key
    (their account pages only), and once enrolled, no page at all with a session that did not
    pass it: such a session (a password alone) is logged out and sent to the login page."""

    allowed_prefixes = ("/compte/", "/en/compte/", "/static/", "/healthz")
    always_allowed_prefixes = ("/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.always_allowed_prefixes)
            and user.requires_second_factor
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                if not passed_second_factor(request):
                    logout(request)
                    messages.warning(
                        request,
                        _(
                            "Pour accéder à cet espace, reconnectez-vous avec votre mot de passe "
                            "et le code de votre application d'authentification."
                        ),
                    )
                    return redirect_to_login(request.get_full_path())
            elif not request.path.startswith(self.allowed_prefixes):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
