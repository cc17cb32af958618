"""Background work, run by `maillage db_worker` (immediately in the tests).

Emails go through the task queue and are never lost when the SMTP server is down: a send that
fails for a temporary reason (connection refused or dropped, timeout, a 4xx answer) fails this
attempt and enqueues the next one after a growing delay (`EMAIL_RETRY_DELAYS`, about 24 hours in
all by default). After the last attempt, or on a permanent refusal (5xx for the sender, the
recipients or the message), the task fails with `EmailNotSent` and an error is logged: the
administrators find it in the admin's task results (status "Failed"), with the message's
recipients and subject in its arguments.

A subject is sent on one line: a line break in it (a name typed with one, before names were
checked) would make Python's email package refuse the whole message.
"""

import base64
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

from .validators import single_line

logger = logging.getLogger(__name__)

# Seconds to wait before each new attempt: 1 min, 5 min, 15 min, 1 h, 2 h, 4 h, 8 h, 8 h
# (about 23.4 hours after the first failure, 9 attempts in all).
EMAIL_RETRY_DELAYS = (60, 300, 900, 3600, 7200, 14400, 28800, 28800)


class EmailRetryScheduled(Exception):
    """This attempt failed for a temporary reason; the next one is enqueued."""


class EmailNotSent(Exception):
    """The message could not be delivered (permanent refusal, or every attempt failed)."""


def is_temporary(error: Exception) -> bool:
    """Whether another attempt may succeed: network errors and 4xx answers, not 5xx refusals
    of the sender, the recipients or the message (an SMTP authentication failure counts as
    temporary: the configuration can be fixed while the message waits)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _text in error.recipients.values())
    if isinstance(error, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return 400 <= error.smtp_code < 500
    return isinstance(error, OSError)  # smtplib.SMTPException is an OSError


def retry_delays() -> tuple[int, ...]:
    return tuple(getattr(settings, "EMAIL_RETRY_DELAYS", EMAIL_RETRY_DELAYS))


@task
def send_email(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html: str = "",
    attachments: list[list[str]] | None = None,
    attempt: int = 1,
) -> None:
    """`attachments`: [filename, base64 content, mimetype] each (task arguments are JSON)."""
    message = EmailMultiAlternatives(single_line(subject), body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, base64.b64decode(content), mimetype)
    try:
        message.send()
    except Exception as error:
        delays = retry_delays()
        can_defer = send_email.get_backend().supports_defer
        if is_temporary(error) and attempt <= len(delays) and can_defer:
            run_after = timezone.now() + timedelta(seconds=delays[attempt - 1])
            send_email.using(run_after=run_after).enqueue(
                subject=subject, body=body, from_email=from_email, to=to, html=html,
                attachments=attachments, attempt=attempt + 1,
            )  # fmt: skip
            logger.warning(
                "Email %r to %d recipient(s) not sent (attempt %d: %s); next attempt at %s.",
                subject, len(to), attempt, error, run_after.isoformat(),
            )  # fmt: skip
            raise EmailRetryScheduled(
                f"attempt {attempt} failed ({error}); next attempt at {run_after.isoformat()}"
            ) from error
        logger.error(
            "Email %r to %d recipient(s) NOT SENT after %d attempt(s): %s",
            subject, len(to), attempt, error,
        )  # fmt: skip
        raise EmailNotSent(f"given up after {attempt} attempt(s): {error}") from error


def _arguments(message: EmailMessage) -> dict:
    """The message as JSON task arguments: text, HTML alternative and attachments."""
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    attachments = []
    for attachment in message.attachments:
        filename, content, mimetype = attachment
        if isinstance(content, str):
            content = content.encode()
        attachments.append([filename, base64.b64encode(content).decode("ascii"), mimetype or ""])
    return {
        "subject": single_line(message.subject),
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "html": html,
        "attachments": attachments,
    }


def enqueue_email(message: EmailMessage) -> None:
    """Hand a rendered message to the worker: the page answers without waiting for SMTP."""
    send_email.enqueue(**_arguments(message))


def deliver(message: EmailMessage) -> None:
    """Send a message rendered by a task, now; if SMTP fails for a temporary reason, the message
    joins `send_email`'s retries (its second attempt) instead of being lost with this task.
    A permanent refusal, or a backend that cannot defer (the tests' immediate one), raises."""
    message.subject = single_line(message.subject)
    try:
        message.send()
    except Exception as error:
        delays = retry_delays()
        if not (is_temporary(error) and delays and send_email.get_backend().supports_defer):
            raise
        run_after = timezone.now() + timedelta(seconds=delays[0])
        send_email.using(run_after=run_after).enqueue(**_arguments(message), attempt=2)
        logger.warning(
            "Email %r to %d recipient(s) not sent (attempt 1: %s); next attempt at %s.",
            message.subject, len(message.to), error, run_after.isoformat(),
        )  # fmt: skip
