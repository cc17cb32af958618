"""Audit log of reads and exports of personal data (STYLE.md: one helper, dotted action
codes, who, when, what).

Partners (referents, trainers) and coordinators see the names and emails of professionals:
registrants of a session, attendance, certificates, survey answers. Each time they read or
export such a list, the view calls `record("trainings.registrants.viewed", by=user,
target=session)`. The coordination of the territory reads the log on the "Journal des
accès" page.

An event says who, when, which action and on which object (type and id): never the personal
data itself. Its details hold only small facts such as the format or a row count, and
`record` refuses keys that look like personal data.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ACTION_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+){2,}$")
# Detail keys that would carry a third person's data: refused by `record`.
FORBIDDEN_DETAIL_KEY = re.compile(
    r"mail|name|^nom|phone|t[eé]l[eé]?phone|address|adresse|(^|_)ip(_|$)", re.I
)

# The action codes recorded by the views, with their label on the "Journal des accès" page.
ACTIONS: dict[str, Any] = {
    "trainings.registrants.viewed": _("Liste des inscrits consultée"),
    "trainings.attendance.viewed": _("Présences consultées"),
    "trainings.attendance_sheet.exported": _("Feuille d'émargement téléchargée"),
    "trainings.signed_sheet.downloaded": _("Feuille signée téléchargée"),
    "trainings.certificate.downloaded": _("Attestation d'une autre personne téléchargée"),
    "trainings.evaluations.viewed": _("Évaluations consultées"),
    "network.survey_answers.exported": _("Réponses à une enquête exportées"),
    "core.audit.exported": _("Journal des accès exporté"),
}


class AuditEvent(models.Model):
    """Who read or exported personal data, when, and on which object."""

    action = models.CharField(_("action"), max_length=100, db_index=True)
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    territory = models.ForeignKey(
        "core.Territory",
        verbose_name=_("territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "core.Organisation",
        verbose_name=_("structure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("type d'objet"), max_length=100, blank=True)
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64, blank=True)
    details = models.JSONField(_("précisions"), default=dict, blank=True)

    class Meta:
        app_label = "core"
        verbose_name = _("événement du journal des accès")
        verbose_name_plural = _("journal des accès")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["territory", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"

    @property
    def action_label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))


def _territory_id(target: Any) -> int | None:
    from .models import Territory

    if target is None:
        return None
    if isinstance(target, Territory):
        return target.pk
    return getattr(target, "territory_id", None)


def _organisation_id(target: Any) -> int | None:
    from .models import Organisation

    if target is None:
        return None
    if isinstance(target, Organisation):
        return target.pk
    return getattr(target, "organisation_id", None)


def _check_details(details: dict[str, Any]) -> dict[str, Any]:
    for key, value in details.items():
        if FORBIDDEN_DETAIL_KEY.search(key):
            raise ValueError(f"Audit details must not hold personal data: {key!r}.")
        if not isinstance(value, (int, float, bool, type(None))) and not (
            isinstance(value, str) and len(value) <= 100 and "@" not in value
        ):
            raise ValueError(f"Audit details take short plain values only: {key!r}.")
    return details


def record(
    action: str,
    *,
    by: Any,
    target: Any = None,
    details: dict[str, Any] | None = None,
    territory: Any = None,
    organisation: Any = None,
) -> AuditEvent:
    """Write one audit event: `action` is a dotted code (`trainings.registrants.viewed`),
    `by` the user, `target` the object read or exported (its territory and organisation are
    taken from it unless given)."""
    if not ACTION_CODE.match(action):
        raise ValueError(f"An audit action is a dotted code such as a.b.c, not {action!r}.")
    user = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        user=user,
        territory_id=territory.pk if territory is not None else _territory_id(target),
        organisation_id=(organisation.pk if organisation is not None else _organisation_id(target)),
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        details=_check_details(details or {}),
    )
