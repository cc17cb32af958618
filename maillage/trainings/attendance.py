"""Attendance: the trainer marks each half-day online, prints the attendance sheet
(feuille d'émargement) and uploads the signed paper sheet back.

Who is on the sheet: the confirmed registrations of the session. A status left empty means
"not marked" (an earlier mark is removed; the history keeps it). Present and late count as
attended.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.models import User
from maillage.core.uploads import MAX_UPLOAD_SIZE, UploadRefused, check_upload

from .models import Attendance, Registration, SignedSheet, TrainingSession, TrainingSlot

R = Registration.Status
A = Attendance.Status

MAX_SHEET_SIZE = MAX_UPLOAD_SIZE  # 10 MB: a phone photo or a scanned page or two


class AttendanceError(Exception):
    """Attendance cannot be recorded; the message says why, in French."""


class SheetRefused(UploadRefused):
    """An uploaded sheet is refused; the message says why, in French."""


def registrants(session: TrainingSession):
    """Who is on the attendance sheet: the confirmed registrations, by name."""
    return (
        session.registrations.filter(status=R.CONFIRMED)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def check_can_mark(slot: TrainingSlot) -> None:
    session = slot.session
    if session.status == TrainingSession.Status.CANCELLED:
        raise AttendanceError(_("Cette session est annulée."))
    if slot.date > timezone.localdate():
        raise AttendanceError(
            _("La présence se note le jour de la demi-journée ou après, pas avant.")
        )


def record_attendance(
    *, slot: TrainingSlot, statuses: Mapping[int, str], by: User | None
) -> dict[str, int]:
    """Save the statuses of a half-day at once ({registration id: status or ""}).

    Only the session's confirmed registrations can be marked; a status equal to the one
    recorded is left untouched (who marked it and when stay true). Returns counts of what
    changed. When the session is already held, the certificates and evaluation invitations
    due are sent (the follow-up is idempotent).
    """
    check_can_mark(slot)
    valid = set(A.values)
    for status in statuses.values():
        if status and status not in valid:
            raise AttendanceError(
                _("Statut de présence inconnu : %(status)s.") % {"status": status}
            )
    changed = {"marked": 0, "cleared": 0}
    with transaction.atomic():
        allowed = set(registrants(slot.session).values_list("pk", flat=True))
        unknown = set(statuses) - allowed
        if unknown:
            raise AttendanceError(_("Une des personnes n'est pas inscrite à cette session."))
        existing = {a.registration_id: a for a in slot.attendances.select_for_update()}
        now = timezone.now()
        for registration_id, status in statuses.items():
            current = existing.get(registration_id)
            if not status:
                if current is not None:
                    current.delete()
                    changed["cleared"] += 1
                continue
            if current is None:
                Attendance.objects.create(
                    registration_id=registration_id,
                    slot=slot,
                    status=status,
                    marked_by=by,
                    marked_at=now,
                )
            elif current.status != status:
                current.status = status
                current.marked_by = by
                current.marked_at = now
                current.save(update_fields=["status", "marked_by", "marked_at"])
            else:
                continue
            changed["marked"] += 1
        held = TrainingSession.objects.filter(
            pk=slot.session_id, status=TrainingSession.Status.HELD
        ).exists()
        if held:
            from .tasks import follow_up_session

            transaction.on_commit(partial(follow_up_session.enqueue, session_id=slot.session_id))
    return changed


@dataclass(frozen=True)
class Summary:
    registration: Registration
    attended: int
    total: int
    statuses: list[str]  # one per slot, in time order ("" when not marked)

    @property
    def share(self) -> float:
        return self.attended / self.total if self.total else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def attended_count(registration: Registration) -> int:
    return registration.attendances.filter(status__in=Attendance.ATTENDED).count()


def attendance_summary(session: TrainingSession) -> list[Summary]:
    """For each registrant: the half-days attended out of the session's, and each status."""
    slots = session.slot_list
    marks: dict[tuple[int, int], str] = {
        (registration_id, slot_id): status
        for registration_id, slot_id, status in Attendance.objects.filter(
            slot__session=session
        ).values_list("registration_id", "slot_id", "status")
    }
    summaries = []
    for registration in registrants(session):
        statuses = [marks.get((registration.pk, slot.pk), "") for slot in slots]
        attended = sum(1 for status in statuses if status in Attendance.ATTENDED)
        summaries.append(Summary(registration, attended, len(slots), statuses))
    return summaries


def slot_statuses(slot: TrainingSlot) -> dict[int, str]:
    return dict(slot.attendances.values_list("registration_id", "status"))


def upload_signed_sheet(
    *, slot: TrainingSlot, upload: UploadedFile, by: User | None
) -> SignedSheet:
    """Keep a scan of the signed paper sheet of a half-day, checked by size and content."""
    try:
        checked = check_upload(
            upload,
            max_size=MAX_SHEET_SIZE,
            size_hint=_("Réduisez la résolution de la numérisation."),
            type_hint=_("Numérisez la feuille en PDF ou photographiez-la."),
        )
    except UploadRefused as refusal:
        raise SheetRefused(str(refusal)) from refusal
    content, kind = checked.content, checked.content_type
    sheet = SignedSheet(slot=slot, content_type=kind, size=len(content), uploaded_by=by)
    with transaction.atomic():
        sheet.file.save("sheet", ContentFile(content), save=False)
        sheet.save()
    return sheet
