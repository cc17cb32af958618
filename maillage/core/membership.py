"""Joining an organisation: a signed-up account asks, the territory's coordination decides.

A new account holds no role and sees nothing of the workspace; the role is created only when a
coordinator of the organisation's territory (or an administrator) approves the request.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import MembershipRequest, Organisation, Role, User
from .tasks import enqueue_email


class MembershipError(Exception):
    """The request cannot be made or decided; the message says why, in French."""


def request_membership(*, user: User, organisation: Organisation, kind: str) -> MembershipRequest:
    if kind not in dict(MembershipRequest.KINDS):
        raise MembershipError(_("Ce rôle ne peut pas être demandé."))
    if user.roles.filter(organisation=organisation, kind=kind).exists():
        raise MembershipError(_("Vous avez déjà ce rôle dans cette structure."))
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(user=user, organisation=organisation, kind=kind)
    except IntegrityError:
        raise MembershipError(
            _("Vous avez déjà une demande en attente pour cette structure.")
        ) from None


def decide_membership(*, request: MembershipRequest, approve: bool, by: User) -> Role | None:
    """Approve (the role is created) or refuse a pending request; the person is told by email."""
    with transaction.atomic():
        request = MembershipRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != MembershipRequest.Status.PENDING:
            raise MembershipError(_("Cette demande a déjà été traitée."))
        role = None
        if approve:
            role, _created = Role.objects.get_or_create(
                user=request.user, kind=request.kind, organisation=request.organisation
            )
        request.status = (
            MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.REFUSED
        )
        request.decided_at = timezone.now()
        request.decided_by = by
        request.save()
        message = decision_email(request)
        transaction.on_commit(lambda: enqueue_email(message))
    return role


def decision_email(request: MembershipRequest) -> EmailMessage:
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    if request.status == MembershipRequest.Status.APPROVED:
        subject = _("Votre accès à l'espace professionnel est ouvert")
        body = _(
            "Bonjour,\n\nLa coordination a accepté votre demande : vous êtes désormais "
            "%(kind)s pour %(organisation)s.\n\nVotre espace : %(url)s\n"
        ) % {
            "kind": request.get_kind_display(),
            "organisation": request.organisation,
            "url": site + reverse("core:workspace"),
        }
    else:
        subject = _("Votre demande d'accès à l'espace professionnel")
        body = _(
            "Bonjour,\n\nLa coordination n'a pas accepté votre demande de rattachement à "
            "%(organisation)s. Pour en savoir plus, contactez la coordination du contrat local.\n"
        ) % {"organisation": request.organisation}
    return EmailMessage(
        subject=f"[Maillage] {subject}",
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[request.user.email],
    )
