from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.models import Authenticator
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .ratelimit import client_address
from .tasks import enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # allauth ships this one untranslated in French.
        "too_many_login_attempts": _(
            "Trop de tentatives de connexion échouées. Réessayez dans quelques minutes."
        ),
    }

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's limits count per address with the same function as ours (the same reading
        of TRUSTED_PROXY_COUNT; a short or garbled X-Forwarded-For falls back to the
        connection's address instead of an error)."""
        return client_address(request) or super().get_client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A coordinator sent to enrol right after logging in is not asked for the password
        again; changing an existing second factor still asks for it."""
        user = getattr(self.request, "user", None)
        if (
            app == "allauth.mfa"
            and user is not None
            and user.is_authenticated
            and not Authenticator.objects.filter(user=user).exists()
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Account emails (verification, password reset) go out through the background worker."""
        context = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            **context,
        }
        enqueue_email(self.render_mail(template_prefix, email, context))

    def send_notification_mail(self, template_prefix: str, user, context=None, email=None) -> None:
        """Security notifications say whom to warn and where to change the password."""
        from .notifications import password_reset_url, security_contacts

        context = {
            "security_contacts": security_contacts(user),
            "password_reset_url": password_reset_url(self.request),
            **(context or {}),
        }
        super().send_notification_mail(template_prefix, user, context, email)
