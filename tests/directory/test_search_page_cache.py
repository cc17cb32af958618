"""The anonymous search page kept a minute in the cache (issue 8): its own CSP nonce on each
response, a fresh page after any change of the directory, never for a logged-in professional,
zero-result searches still counted, no cookie."""

import re
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from maillage.directory import page_cache
from maillage.directory.feedback import ZeroResultTermCount
from maillage.directory.models import Service, Visibility

from .factories import PhoneFactory, ServiceFactory

pytestmark = pytest.mark.django_db
URL = reverse("directory:search")


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def nonces(response) -> tuple[str, str]:
    """The nonce in the page's <style> and the one in the CSP header."""
    html = re.search(r'<style nonce="([^"]+)">', response.text).group(1)
    header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    return html, header


def rename_quietly(service: Service, name: str) -> None:
    """A change the search index is not told about (no signal, no new token): only a page
    rendered anew shows it."""
    Service.objects.filter(pk=service.pk).update(name=name)


def test_a_cached_page_carries_the_nonce_of_its_own_response(client, territory):
    service = ServiceFactory(name="Hébergement d'urgence")
    first = client.get(URL, {"q": "hebergement"})
    rename_quietly(service, "Nom changé sans le dire")
    second = client.get(URL, {"q": "hebergement"})

    assert "Hébergement d&#x27;urgence" in second.text  # served from the cache
    assert "Nom changé" not in second.text
    html_nonce, header_nonce = nonces(second)
    assert html_nonce == header_nonce
    assert html_nonce != nonces(first)[0]  # a new nonce for each response
    assert page_cache.NONCE_PLACEHOLDER not in second.text
    assert second.text.replace(html_nonce, "N") == first.text.replace(nonces(first)[0], "N")


def test_the_same_headers_and_no_cookie_whether_cached_or_not(client, territory):
    ServiceFactory(name="Écoute")
    first = client.get(URL, {"q": "ecoute"})
    second = client.get(URL, {"q": "ecoute"})
    assert first.status_code == second.status_code == 200
    assert not first.cookies and not second.cookies
    assert "Set-Cookie" not in second.headers
    for header in ("Vary", "Cache-Control", "Content-Type", "Content-Language"):
        assert first.headers.get(header) == second.headers.get(header), header
    first_csp = first.headers["Content-Security-Policy"].replace(nonces(first)[1], "N")
    assert second.headers["Content-Security-Policy"].replace(nonces(second)[1], "N") == first_csp


def test_a_change_of_the_directory_gives_a_fresh_page(client):
    service = ServiceFactory(name="Hébergement d'urgence")
    assert "Hébergement d&#x27;urgence" in client.get(URL, {"q": "hebergement"}).text
    service.name = "Hébergement renommé"
    service.save()  # a new search token
    page = client.get(URL, {"q": "hebergement"}).text
    assert "Hébergement renommé</a>" in page
    assert "Hébergement d&#x27;urgence</a>" not in page


def test_another_query_string_is_another_page(client):
    service = ServiceFactory(name="Hébergement d'urgence")
    client.get(URL, {"q": "hebergement"})
    rename_quietly(service, "Hébergement renommé")
    assert "Hébergement renommé" in client.get(URL, {"q": "hebergement", "page": "1"}).text


def test_a_logged_in_professional_is_never_served_nor_stored(client, professional):
    service = ServiceFactory(name="Hébergement d'urgence")
    PhoneFactory(service=service, number="02 41 99 99 99", visibility=Visibility.PROFESSIONALS)
    client.force_login(professional)
    assert "02 41 99 99 99" in client.get(URL, {"q": "hebergement"}).text
    client.logout()
    client.cookies.clear()
    anonymous = client.get(URL, {"q": "hebergement"}).text
    assert "02 41 99 99 99" not in anonymous  # the professional's page was not stored

    rename_quietly(service, "Hébergement renommé")
    client.force_login(professional)
    assert "Hébergement renommé" in client.get(URL, {"q": "hebergement"}).text


def test_a_visitor_with_a_cookie_gets_a_page_rendered_anew(client):
    service = ServiceFactory(name="Hébergement d'urgence")
    client.get(URL, {"q": "hebergement"})
    rename_quietly(service, "Hébergement renommé")
    client.cookies["django_language"] = "fr"
    assert "Hébergement renommé" in client.get(URL, {"q": "hebergement"}).text


def test_each_search_without_results_is_still_counted(client):
    ServiceFactory(name="Hébergement d'urgence")
    for _ in range(3):
        assert "0 résultat" in client.get(URL, {"q": "permanence introuvable"}).text
    assert ZeroResultTermCount.objects.get().count == 3


def test_open_now_pages_are_kept_for_the_minute_only():
    ServiceFactory(name="Écoute")  # a search token
    request = RequestFactory().get(URL, {"ouvert": "on"})
    plain = RequestFactory().get(URL, {"q": "ecoute"})

    def key_at(request, hour: int, minute: int) -> str | None:
        moment = datetime(2026, 11, 27, hour, minute, 10, tzinfo=ZoneInfo("Europe/Paris"))
        with mock.patch("django.utils.timezone.now", return_value=moment):
            return page_cache.key_for(request)[0]

    assert key_at(request, 10, 0) == key_at(request, 10, 0)
    assert key_at(request, 10, 0) != key_at(request, 10, 1)
    assert key_at(plain, 10, 0) == key_at(plain, 10, 1)


def test_no_cache_before_the_directory_has_a_token_or_when_turned_off(client, settings):
    request = RequestFactory().get(URL, {"q": "x"})
    assert page_cache.key_for(request) == (None, None)  # no token yet: nothing worth keeping
    ServiceFactory(name="Écoute")
    assert page_cache.key_for(request)[0] is not None
    settings.DIRECTORY_PAGE_CACHE_SECONDS = 0
    assert page_cache.key_for(request) == (None, None)


def test_the_filters_keep_the_widgets_markup(client):
    """The checkboxes are printed without the widget templates (cheaper): same markup."""
    ServiceFactory(name="Écoute", terms__help=["ecoute"])
    page = client.get(URL, {"aide": ["ecoute", "inconnu"], "gratuit": "on"}).text
    assert (
        '<input type="checkbox" name="aide" value="ecoute" id="id_aide_0" aria-invalid="true" '
        "checked>" in page
    )
    assert '<input type="checkbox" name="gratuit" id="id_gratuit" checked>' in page
    page = client.get(URL, {"aide": "ecoute"}).text
    assert '<input type="checkbox" name="aide" value="ecoute" id="id_aide_0" checked>' in page
    assert 'Parler à quelqu&#x27;un <span class="muted">(1)</span>' in page
