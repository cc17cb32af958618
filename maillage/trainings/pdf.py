"""Printed documents of the trainings, rendered by WeasyPrint through the directory's
renderer (our static files only, nothing fetched from the network)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from maillage.directory.pdf import render_pdf

from .models import Registration


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
