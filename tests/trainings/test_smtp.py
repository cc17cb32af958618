"""Trainings' emails delivered to a real SMTP server (aiosmtpd, started by the test)."""

from email.header import decode_header, make_header

import pytest

from maillage.trainings.registration import cancel_registration, register_person

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def smtp_to(settings, controller) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }


def test_confirmation_cancellation_and_seat_offer_go_through_smtp(
    settings, smtp_server, module, person, committed
):
    controller, inbox = smtp_server
    smtp_to(settings, controller)
    session = SessionFactory(module=module, capacity=1)
    with committed():
        first = register_person(session=session, person=person(1), by=None)
        register_person(session=session, person=person(2), by=None)  # waiting list

    assert [m["To"] for m in inbox.messages] == ["agent1@example.org", "agent2@example.org"]
    confirmation = inbox.messages[0]
    assert "Inscription confirmée" in subject(confirmation)
    attachments = [part.get_filename() for part in confirmation.walk() if part.get_filename()]
    assert any(name.endswith(".pdf") for name in attachments)
    assert any(name.endswith(".ics") for name in attachments)
    pdf = next(p for p in confirmation.walk() if (p.get_filename() or "").endswith(".pdf"))
    assert pdf.get_payload(decode=True).startswith(b"%PDF")

    with committed():
        cancel_registration(registration=first, by=None)
    after = [(m["To"], subject(m)) for m in inbox.messages[2:]]
    assert [to for to, _subject in after] == ["agent1@example.org", "agent2@example.org"]
    assert "Inscription annulée" in after[0][1]
    assert "Une place s'est libérée" in after[1][1]
