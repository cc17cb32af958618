"""Security notifications of an account (allauth's ACCOUNT_EMAIL_NOTIFICATIONS): an email to the
account when its password or email addresses change, or when a second factor is added, removed
or its recovery codes renewed. The texts are under maillage/templates/account/email/ and
maillage/templates/mfa/email/; each says whom to warn when the change was not the person's own.
"""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_added
from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Role, Territory, User


def security_contacts(user: User) -> list[dict[str, str]]:
    """Whom the account warns when a change to it was not its owner's: the coordination of the
    territories it works in; a coordinator or an administrator warns the administrators. An
    account without a role gets no address (anyone may sign up)."""
    territories = Territory.objects.filter(
        Q(roles__user=user) | Q(organisations__roles__user=user)
    ).distinct()
    contacts = []
    if not user.is_superuser and not user.roles.filter(kind=Role.Kind.COORDINATOR).exists():
        coordinators = (
            Role.objects.filter(kind=Role.Kind.COORDINATOR, territory__in=territories)
            .filter(user__is_active=True)
            .exclude(user=user)
            .select_related("user", "territory")
            .order_by("territory__name", "user__email")
        )
        contacts = [
            {
                "who": _("la coordination du territoire « %(territory)s »")
                % {"territory": role.territory.name},
                "email": role.user.email,
            }
            for role in coordinators
        ]
    elif territories.exists() or user.is_superuser:
        administrators = User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk)
        contacts = [
            {"who": _("l'administration de Maillage"), "email": email}
            for email in administrators.order_by("email").values_list("email", flat=True)
        ]
    return contacts


def password_reset_url(request: HttpRequest | None) -> str:
    path = reverse("account_reset_password")
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path


@receiver(email_added, dispatch_uid="maillage-notify-email-added")
def notify_email_added(
    sender, request: HttpRequest | None, user, email_address: EmailAddress, **kwargs
) -> None:
    """allauth confirms a new address by writing to it, and tells the account nothing: the
    account's primary address is told here (someone with the session could add their own
    address, then reset the password through it)."""
    if user is None or not getattr(user, "pk", None):
        return
    get_adapter(request).send_notification_mail(
        "account/email/email_added", user, {"added_email": email_address.email}
    )
