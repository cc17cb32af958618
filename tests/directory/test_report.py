import html

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from maillage.directory.feedback import ErrorReport

from ..factories import OrganisationFactory, RoleFactory
from .factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    """The rate limit lives in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(organisation):
    return ServiceFactory(organisation=organisation, name="Accueil de jour")


def report_url(service) -> str:
    return reverse("directory:report", args=[service.pk])


def test_the_service_page_links_to_the_report_form(client, service):
    page = client.get(service.get_absolute_url()).content.decode()
    assert report_url(service) in page
    assert "Signaler une erreur" in page


def test_the_report_form_sets_no_cookie_and_warns_against_personal_data(client, service):
    response = client.get(report_url(service))

    assert response.status_code == 200
    assert response.cookies == {}
    page = html.unescape(response.content.decode())
    assert "Ne donnez aucune information personnelle" in page
    assert "csrfmiddlewaretoken" not in page
    assert 'maxlength="500"' in page


def test_a_visitor_without_cookie_reports_an_error(
    service, referent, coordinator, other_referent, mailoutbox, django_capture_on_commit_callbacks
):
    visitor = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token

    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            report_url(service), {"kind": "phone", "message": "Le numéro ne répond plus."}
        )

    assert response.status_code == 200
    assert response.cookies == {}
    report = ErrorReport.objects.get()
    assert (report.service, report.kind, report.status) == (service, "phone", "open")
    assert report.message == "Le numéro ne répond plus."
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == sorted([referent.email, coordinator.email])
    assert other_referent.email not in mailoutbox[0].to
    assert "Le numéro ne répond plus." in mailoutbox[0].body
    assert "Le numéro de téléphone" in mailoutbox[0].body


def test_the_honeypot_is_refused(client, service, referent, mailoutbox):
    response = client.post(
        report_url(service), {"kind": "hours", "message": "", "site": "https://spam.example"}
    )

    assert response.status_code == 400
    assert not ErrorReport.objects.exists()
    assert mailoutbox == []


def test_a_report_needs_a_kind_and_at_most_500_characters(client, service):
    response = client.post(report_url(service), {"kind": "", "message": "x" * 501})

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "rien n'a été envoyé" in page
    assert "500 caractères" in page
    assert not ErrorReport.objects.exists()


def test_reports_are_rate_limited_per_address(client, service):
    for _ in range(5):
        assert client.post(report_url(service), {"kind": "other"}).status_code == 200

    response = client.post(report_url(service), {"kind": "other"})

    assert response.status_code == 429
    assert "Réessayez dans une heure" in html.unescape(response.content.decode())
    assert ErrorReport.objects.count() == 5


def test_no_report_on_an_unpublished_service(client, organisation):
    draft = ServiceFactory(organisation=organisation, status="draft")
    assert client.post(report_url(draft), {"kind": "other"}).status_code == 404
    assert not ErrorReport.objects.exists()


def test_the_coordinator_sees_and_closes_open_reports(login, coordinator, service):
    report = ErrorReport.objects.create(service=service, kind="address", message="A déménagé")
    foreign = ServiceFactory(organisation=OrganisationFactory(), name="Service lointain")
    ErrorReport.objects.create(service=foreign, kind="other")
    client = login(coordinator)

    page = client.get(reverse("directory:reports")).content.decode()
    assert "A déménagé" in page
    assert "Service lointain" not in page

    response = client.post(reverse("directory:report_close", args=[report.pk]))

    report.refresh_from_db()
    assert response.status_code == 302
    assert report.status == ErrorReport.Status.CLOSED
    assert report.closed_by == coordinator
    assert "A déménagé" not in client.get(reverse("directory:reports")).content.decode()


def test_a_coordinator_cannot_close_another_territorys_report(login, other_coordinator, service):
    report = ErrorReport.objects.create(service=service, kind="other")

    response = login(other_coordinator).post(reverse("directory:report_close", args=[report.pk]))

    report.refresh_from_db()
    assert response.status_code == 404
    assert report.status == ErrorReport.Status.OPEN


def test_a_referent_does_not_see_the_reports_page(login, referent):
    assert login(referent).get(reverse("directory:reports")).status_code == 403


def test_a_professional_of_the_structure_gets_no_report_email(
    client, service, mailoutbox, django_capture_on_commit_callbacks
):
    professional = RoleFactory(kind="professional", organisation=service.organisation).user

    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(service), {"kind": "closed"})

    assert ErrorReport.objects.count() == 1
    assert all(professional.email not in message.to for message in mailoutbox)
