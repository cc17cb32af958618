"""SMTP down: emails wait in the task queue and are retried with a growing delay, never lost
(a real SMTP server, aiosmtpd, and the real database worker)."""

import logging
from datetime import timedelta

import pytest
from aiosmtpd import controller as aiosmtpd_controller
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from maillage.core.tasks import EMAIL_RETRY_DELAYS, deliver, enqueue_email, send_email

from ..conftest import Inbox, free_port

# The real database worker claims tasks in its own transactions.
worker_test = pytest.mark.django_db(transaction=True)


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def smtp_on(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def make_due() -> None:
    """As if the delay had passed."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def message() -> EmailMessage:
    return EmailMessage(
        "Rappel : mettez à jour vos services",
        "Bonjour, merci de vérifier vos fiches.",
        "Maillage <ne-pas-repondre@maillage.local>",
        ["referente@example.org"],
    )


def attempts() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.order_by("enqueued_at"))


@worker_test
def test_email_waits_while_smtp_is_down_and_arrives_once_when_it_is_back(settings, queue):
    port = free_port()
    smtp_on(settings, port)  # nothing listens there yet: connection refused
    before = timezone.now()

    enqueue_email(message())
    run_worker()

    first, second = attempts()
    assert first.status == "FAILED"
    assert first.exception_class_path == "maillage.core.tasks.EmailRetryScheduled"
    assert second.status == "READY"
    assert second.args_kwargs["kwargs"]["attempt"] == 2
    assert second.args_kwargs["kwargs"]["to"] == ["referente@example.org"]
    assert second.run_after >= before + timedelta(seconds=EMAIL_RETRY_DELAYS[0])
    run_worker()  # not due yet: nothing happens
    assert DBTaskResult.objects.get(pk=second.pk).status == "READY"

    inbox = Inbox()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        make_due()
        run_worker()
        make_due()
        run_worker()
    finally:
        controller.stop()

    assert DBTaskResult.objects.get(pk=second.pk).status == "SUCCESSFUL"
    assert DBTaskResult.objects.count() == 2
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["To"] == "referente@example.org"


class TryLaterOnce(Inbox):
    """Answers 451 (temporary) to the first message, then accepts."""

    def __init__(self) -> None:
        super().__init__()
        self.refused = 0

    async def handle_DATA(self, server, session, envelope):
        if not self.refused:
            self.refused += 1
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)


class RefuseRecipient(Inbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "550 5.1.1 No such user"


@pytest.fixture
def server_with(settings):
    controllers = []

    def start(handler):
        controller = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        smtp_on(settings, controller.port)
        return handler

    yield start
    for controller in controllers:
        controller.stop()


@worker_test
def test_temporary_4xx_answer_is_retried(queue, server_with):
    handler = server_with(TryLaterOnce())

    enqueue_email(message())
    run_worker()
    assert [a.status for a in attempts()] == ["FAILED", "READY"]
    assert handler.messages == []

    make_due()
    run_worker()
    assert [a.status for a in attempts()] == ["FAILED", "SUCCESSFUL"]
    assert len(handler.messages) == 1


@worker_test
def test_permanent_refusal_is_not_retried_and_is_logged(queue, server_with, caplog):
    server_with(RefuseRecipient())

    with caplog.at_level(logging.ERROR, logger="maillage.core.tasks"):
        enqueue_email(message())
        run_worker()

    (only,) = attempts()
    assert only.status == "FAILED"
    assert only.exception_class_path == "maillage.core.tasks.EmailNotSent"
    assert "NOT SENT after 1 attempt" in caplog.text


@worker_test
def test_last_attempt_gives_up_and_is_visible_as_failed(settings, queue, caplog):
    smtp_on(settings, free_port())
    settings.EMAIL_RETRY_DELAYS = (60, 60)

    with caplog.at_level(logging.ERROR, logger="maillage.core.tasks"):
        enqueue_email(message())
        for _ in range(3):
            run_worker()
            make_due()

    results = attempts()
    assert [a.status for a in results] == ["FAILED"] * 3
    assert [a.args_kwargs["kwargs"].get("attempt", 1) for a in results] == [1, 2, 3]
    assert results[-1].exception_class_path == "maillage.core.tasks.EmailNotSent"
    assert "NOT SENT after 3 attempt(s)" in caplog.text


def test_the_immediate_backend_reports_the_failure_without_looping(settings):
    smtp_on(settings, free_port())

    result = send_email.enqueue(
        subject="Sujet", body="Texte", from_email="a@example.org", to=["b@example.org"]
    )

    assert result.status == "FAILED"
    assert result.errors[0].exception_class_path == "maillage.core.tasks.EmailNotSent"


@worker_test
def test_an_email_rendered_by_a_task_joins_the_retries_with_its_attachment(settings, queue):
    """Training, survey and stock emails are rendered inside their own task and sent with
    deliver(): SMTP down, the message (attachment included) waits in the queue instead of
    failing with that task."""
    port = free_port()
    smtp_on(settings, port)  # nothing listens there yet: connection refused
    convocation = message()
    convocation.attach("convocation.pdf", b"%PDF-1.7 convocation", "application/pdf")

    deliver(convocation)

    (retry,) = attempts()
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    inbox = Inbox()
    controller = aiosmtpd_controller.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        make_due()
        run_worker()
    finally:
        controller.stop()

    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"
    assert len(inbox.messages) == 1
    (attachment,) = [part for part in inbox.messages[0].walk() if part.get_filename()]
    assert attachment.get_filename() == "convocation.pdf"
    assert attachment.get_payload(decode=True) == b"%PDF-1.7 convocation"


def test_deliver_raises_when_the_backend_cannot_defer(settings):
    """The immediate backend (tests, or a site without a worker) cannot wait: the error shows."""
    smtp_on(settings, free_port())
    with pytest.raises(OSError):
        deliver(message())
