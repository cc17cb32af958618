"""Background work, run by `maillage db_worker` (immediately in the tests)."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.tasks import task


@task
def send_email(*, subject: str, body: str, from_email: str, to: list[str], html: str = "") -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def enqueue_email(message: EmailMessage) -> None:
    """Hand a rendered message to the worker: the page answers without waiting for SMTP."""
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    send_email.enqueue(
        subject=str(message.subject),
        body=message.body,
        from_email=message.from_email,
        to=list(message.to),
        html=html,
    )
