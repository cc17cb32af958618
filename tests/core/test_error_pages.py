"""The 400, 403 and CSRF-failure pages are French pages of the site (quick exit, emergency
numbers, a way back), and set no cookie for an anonymous visitor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import path, reverse

from maillage import urls as root_urls

pytestmark = pytest.mark.django_db


def refuse(request):
    raise PermissionDenied


# The site's URLconf, plus one page that refuses everyone.
urlpatterns = [*root_urls.urlpatterns, path("interdit/", refuse)]
handler400 = root_urls.handler400
handler403 = root_urls.handler403


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def assert_site_page(response, status: int, title: str) -> str:
    assert response.status_code == status
    html = text(response)
    assert f"<h1>{title}" in html
    assert "data-quick-exit" in html and "Quitter le site" in html
    assert 'href="tel:3919"' in html and 'href="tel:17"' in html and 'href="sms:114"' in html
    assert '<html lang="fr">' in html
    assert 'href="/"' in html  # a way back
    assert response["Cache-Control"] == "no-store"
    return html


def test_a_request_for_another_host_gets_the_french_400_page(client):
    response = client.get("/", HTTP_HOST="imposteur.example")
    html = assert_site_page(response, 400, "Demande incorrecte")
    assert "Bad Request" not in html
    assert not response.cookies


def test_a_page_the_account_may_not_see_gets_the_french_403_page(client, login, professional):
    # The coordination's membership requests: a partner's link leads to a refusal.
    response = login(professional).get(reverse("core:membership_requests"))
    html = assert_site_page(response, 403, "Accès refusé")
    assert "403 Forbidden" not in html
    assert reverse("core:workspace") in html  # back to the workspace


def test_the_403_page_for_an_anonymous_visitor_sets_no_cookie(client, settings):
    """No page refuses an anonymous visitor with a 403 today (they are sent to the login
    page): a URLconf of this module raises PermissionDenied."""
    settings.ROOT_URLCONF = __name__
    response = client.get("/interdit/")
    html = assert_site_page(response, 403, "Accès refusé")
    assert reverse("core:workspace") not in html
    assert not response.cookies


def test_a_failed_csrf_check_gets_the_french_page_and_no_cookie():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_login"), {"login": "a@example.org", "password": "un mot de passe"}
    )
    html = assert_site_page(response, 403, "Le formulaire n'a pas pu être vérifié")
    assert "Rien n'a été enregistré" in html
    assert "CSRF verification failed" not in html
    assert not response.cookies


def test_the_settings_name_the_error_views(settings):
    assert settings.CSRF_FAILURE_VIEW == "maillage.core.views.errors.csrf_failure"
    assert root_urls.handler400 == "maillage.core.views.errors.bad_request"
    assert root_urls.handler403 == "maillage.core.views.errors.permission_denied"
