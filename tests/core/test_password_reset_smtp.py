"""Password reset through a real SMTP server (aiosmtpd on a free local port)."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_password_reset_mail_goes_through_smtp(client, settings, referent, smtp_server):
    controller, inbox = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 5},
        }
    }

    response = client.post(reverse("account_reset_password"), {"email": referent.email})

    assert response.status_code == 302
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == referent.email
    body = message.get_payload(decode=True) or message.get_payload()[0].get_payload(decode=True)
    link = re.search(rb"http://testserver(/compte/password/reset/key/\S+)", body).group(1)
    new_password = "une-phrase-de-passe-toute-neuve"
    page = client.get(link.decode(), follow=True)
    assert page.status_code == 200
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link.decode(),
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    referent.refresh_from_db()
    assert referent.check_password(new_password)
