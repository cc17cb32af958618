"""Printed documents of the trainings, rendered by WeasyPrint through the directory's
renderer (our static files only, nothing fetched from the network)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maillage.directory.pdf import render_pdf

from .models import Registration, TrainingSession, TrainingSlot


def convocation_pdf(registration: Registration) -> bytes:
    """The convocation attached to the confirmation email: who, what, when, where."""
    session = registration.session
    module = session.module
    return render_pdf(
        "trainings/pdf/convocation.html",
        {
            "registration": registration,
            "session": session,
            "module": module,
            "slots": session.slot_list,
            "trainers": list(session.trainers.order_by("last_name", "first_name")),
            "territory": module.territory,
        },
        title=_("Convocation — %(title)s") % {"title": module.title},
    )


def attendance_sheet_pdf(
    session: TrainingSession, slots: list[TrainingSlot] | None = None
) -> bytes:
    """The attendance sheet (feuille d'émargement) to print: one page or more per half-day,
    one line per confirmed registrant with a signature box, the trainers' signature boxes."""
    from .attendance import registrants

    module = session.module
    slots = session.slot_list if slots is None else slots
    all_slots = session.slot_list
    return render_pdf(
        "trainings/pdf/attendance_sheet.html",
        {
            "session": session,
            "module": module,
            "pages": [{"slot": slot, "index": all_slots.index(slot) + 1} for slot in slots],
            "slot_total": len(all_slots),
            "registrations": list(registrants(session)),
            "trainers": list(session.trainers.order_by("last_name", "first_name")),
            "territory": module.territory,
        },
        title=_("Feuille d'émargement — %(title)s") % {"title": module.title},
    )
