import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult


@pytest.mark.django_db(transaction=True)
def test_account_mail_waits_for_the_background_worker(client, settings, referent, mailoutbox):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    response = client.post(reverse("account_reset_password"), {"email": referent.email})

    assert response.status_code == 302
    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [referent.email]
    assert "/compte/password/reset/key/" in mailoutbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
