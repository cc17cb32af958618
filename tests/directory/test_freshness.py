import html
import re
from datetime import timedelta

import pytest
from django.core import signing
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.directory.feedback import FreshnessReminder, ZeroResultTermCount
from maillage.directory.freshness import TOKEN_SALT, make_token
from maillage.directory.models import Service

from ..factories import OrganisationFactory
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def run_reminders(capture) -> None:
    with capture(execute=True):
        call_command("send-freshness-reminders", "--base-url", "https://maillage.example.org")


def text(response) -> str:
    return html.unescape(response.content.decode())


def confirm_link(message) -> str:
    return re.search(r"https://maillage\.example\.org(/\S*toujours-a-jour/\S+/)", message.body)[1]


def test_the_reminder_reaches_the_referent_once(
    referent, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(155))

    run_reminders(django_capture_on_commit_callbacks)
    run_reminders(django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [referent.email]
    assert service.name in mailoutbox[0].subject
    assert "toujours-a-jour" in mailoutbox[0].body
    assert FreshnessReminder.objects.filter(service=service).count() == 1


def test_no_reminder_for_a_service_verified_two_months_ago(
    referent, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    ServiceFactory(organisation=organisation, last_verified_on=days_ago(60))
    ServiceFactory(organisation=organisation, last_verified_on=days_ago(155), status="draft")

    run_reminders(django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert not FreshnessReminder.objects.exists()


def test_a_new_verification_period_brings_a_new_reminder(
    referent, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(300))
    FreshnessReminder.objects.create(service=service, verified_on=days_ago(300))
    Service.objects.filter(pk=service.pk).update(last_verified_on=days_ago(160))

    run_reminders(django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1


def test_the_link_asks_before_marking_the_service_verified(
    referent, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(155))
    run_reminders(django_capture_on_commit_callbacks)
    client = Client(enforce_csrf_checks=True)
    url = confirm_link(mailoutbox[0])

    page = client.get(url)
    service.refresh_from_db()
    assert page.status_code == 200
    assert "toujours à jour" in page.content.decode()
    assert service.last_verified_on == days_ago(155)  # a GET changes nothing

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = client.post(url, {"csrfmiddlewaretoken": token})

    service.refresh_from_db()
    assert response.status_code == 200
    assert service.last_verified_on == timezone.localdate()
    assert service.last_verified_by == referent


def test_the_confirmation_needs_its_csrf_token(referent, organisation):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(155))
    url = reverse("directory:still_up_to_date", args=[make_token(service, referent)])

    response = Client(enforce_csrf_checks=True).post(url)

    service.refresh_from_db()
    assert response.status_code == 403
    assert service.last_verified_on == days_ago(155)


def test_a_tampered_link_is_refused_in_french(client, referent, organisation):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(155))
    token = make_token(service, referent)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = client.post(reverse("directory:still_up_to_date", args=[tampered]))

    service.refresh_from_db()
    assert response.status_code == 400
    assert "Ce lien n'est pas valide" in text(response)
    assert service.last_verified_on == days_ago(155)


def test_an_expired_link_is_refused_in_french(client, referent, organisation, monkeypatch):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(155))
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    monkeypatch.setattr(signer, "timestamp", lambda: signing.b62_encode(0))
    old = signer.sign_object({"service": str(service.pk), "user": referent.pk})

    response = client.post(reverse("directory:still_up_to_date", args=[old]))

    service.refresh_from_db()
    assert response.status_code == 400
    assert "Ce lien a expiré" in text(response)
    assert service.last_verified_on == days_ago(155)


def test_a_link_stops_working_once_the_referent_left(referent, organisation, client):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(155))
    token = make_token(service, referent)
    referent.roles.all().delete()

    response = client.post(reverse("directory:still_up_to_date", args=[token]))

    assert response.status_code == 400
    assert "n'est plus valable" in text(response)


def test_the_coordinator_sees_the_share_of_fresh_services(login, coordinator, organisation):
    ServiceFactory(organisation=organisation, name="Frais", last_verified_on=days_ago(10))
    ServiceFactory(organisation=organisation, name="Ancien", last_verified_on=days_ago(400))
    ServiceFactory(organisation=organisation, name="Jamais vérifié", last_verified_on=None)
    ServiceFactory(organisation=organisation, name="Brouillon", status="draft")
    foreign = OrganisationFactory(name="Ailleurs")
    ServiceFactory(organisation=foreign, name="Autre territoire", last_verified_on=None)

    page = text(login(coordinator).get(reverse("directory:freshness")))

    assert "1 services publiés sur 3" in page
    assert "33 %" in page
    assert page.index("Jamais vérifié") < page.index("Ancien")  # never verified first
    assert "Frais" not in page
    assert "Brouillon" not in page
    assert "Autre territoire" not in page


def test_the_coordinator_marks_a_stale_service_verified(login, coordinator, organisation):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(400))

    response = login(coordinator).post(reverse("directory:service_verify", args=[service.pk]))

    service.refresh_from_db()
    assert response.status_code == 302
    assert service.last_verified_on == timezone.localdate()
    assert service.last_verified_by == coordinator
    assert service.history.first().last_verified_on == timezone.localdate()


def test_the_freshness_page_is_for_coordinators(login, referent):
    assert login(referent).get(reverse("directory:freshness")).status_code == 403


def test_the_freshness_page_queries_do_not_grow_with_rows(
    login, coordinator, organisation, django_assert_max_num_queries
):
    for _ in range(5):
        ServiceFactory(organisation=organisation, last_verified_on=days_ago(400))
    client = login(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("directory:freshness")).status_code == 200


def test_a_search_that_finds_nothing_counts_its_known_words(client, organisation):
    ServiceFactory(organisation=organisation, name="Hébergement d'urgence")

    client.get("/annuaire/", {"q": "Médiation animaux"})
    client.get("/annuaire/", {"q": "médiations pour mes animaux"})
    client.get("/annuaire/", {"q": "hébergement"})

    rows = set(ZeroResultTermCount.objects.values_list("territory", "term", "count", "month"))
    month = timezone.localdate().replace(day=1)
    territory = organisation.territory_id
    assert rows == {(territory, "mediat", 2, month), (territory, "animal", 2, month)}


def test_the_coordinator_sees_the_searches_without_results(login, coordinator, territory):
    month = timezone.localdate().replace(day=1)
    previous = (month - timedelta(days=1)).replace(day=1)
    count = ZeroResultTermCount.objects.create
    count(territory=territory, month=month, term="mediat", count=4)
    count(territory=territory, month=previous, term="nuit", count=2)
    count(territory=territory, month=previous - timedelta(days=40), term="anim", count=9)

    page = text(login(coordinator).get(reverse("directory:zero_results")))

    assert "médiation" in page
    assert "nuit" in page
    assert "anim" not in page


def test_a_referent_confirms_their_own_service_from_the_workspace(login, referent, organisation):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(170))
    edit = reverse("directory:service_edit", args=[service.pk])
    client = login(referent)
    assert (
        reverse("directory:service_verify", args=[service.pk]) in client.get(edit).content.decode()
    )

    response = client.post(reverse("directory:service_verify", args=[service.pk]), {"next": edit})

    service.refresh_from_db()
    assert response.url == edit
    assert service.last_verified_on == timezone.localdate()


def test_a_referent_cannot_confirm_another_structures_service(login, other_referent, organisation):
    service = ServiceFactory(organisation=organisation, last_verified_on=days_ago(170))

    response = login(other_referent).post(reverse("directory:service_verify", args=[service.pk]))

    service.refresh_from_db()
    assert response.status_code == 403
    assert service.last_verified_on == days_ago(170)
