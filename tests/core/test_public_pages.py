import re

import pytest
from django.urls import reverse

from maillage.core.models import EmergencyNumber

PUBLIC_PAGES = [
    "/",
    "/securite/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
]


@pytest.fixture
def public_urls(contract, signatures, organisation):
    return [*PUBLIC_PAGES, contract.get_absolute_url(), organisation.get_absolute_url(), "/en/"]


@pytest.mark.django_db
def test_every_public_page_answers_without_setting_a_cookie(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, f"{url} set {list(response.cookies)}"
        assert "Set-Cookie" not in response.headers, url


@pytest.mark.django_db
def test_emergency_banner_is_read_from_data(client):
    numbers = list(EmergencyNumber.objects.values_list("number", flat=True))
    assert numbers == ["17", "112", "114", "3919"]
    EmergencyNumber.objects.create(number="115", label="Hébergement d'urgence", position=9)
    EmergencyNumber.objects.filter(number="3919").update(is_active=False)

    html = client.get("/").content.decode()

    assert 'href="tel:115"' in html
    assert 'href="sms:114"' in html
    assert 'href="tel:3919"' not in html


@pytest.mark.django_db
def test_quick_exit_is_a_real_link_to_the_neutral_site(client, settings):
    html = client.get("/securite/").content.decode()
    assert f'href="{settings.QUICK_EXIT_URL}"' in html
    assert "data-quick-exit" in html
    # The script under its hashed name (the manifest storage of production), served.
    script = re.search(r'src="(/static/js/quick-exit\.[0-9a-f]{12}\.js)"', html).group(1)
    response = client.get(script)
    assert response.status_code == 200
    assert b"Escape" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_page_titles_are_discreet(client, public_urls):
    for url in public_urls:
        html = client.get(url).content.decode().lower()
        title = html.split("<title>")[1].split("</title>")[0]
        assert "violence" not in title, url


@pytest.mark.django_db
def test_language_switch_is_a_plain_link_to_the_english_url(client, contract):
    html = client.get(contract.get_absolute_url()).content.decode()
    assert f'href="/en{contract.get_absolute_url()}"' in html
    assert "set_language" not in html
    english = client.get(f"/en{contract.get_absolute_url()}")
    assert english.status_code == 200
    assert '<html lang="en">' in english.content.decode()


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_demo_notice_shows_only_in_demo_mode(client, settings):
    settings.DEMO_MODE = True
    assert "Données de démonstration" in client.get("/").content.decode()
    settings.DEMO_MODE = False
    assert "Données de démonstration" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_unknown_contract_answers_404(client, contract, other_territory):
    url = reverse("core:contract", args=[other_territory.slug, contract.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_english_pages_are_translated(client, territory):
    html = client.get("/en/").content.decode()
    assert "Leave this site" in html
    assert "Find help, act together" in html
    assert 'href="/"' in html and ">Français</a>" in html


@pytest.mark.django_db
def test_not_found_page_keeps_the_safe_shell(client):
    response = client.get("/nexiste-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page introuvable" in html
    assert "data-quick-exit" in html
    assert 'href="tel:3919"' in html


def test_server_error_page_renders_without_context(settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert settings.QUICK_EXIT_URL in html
    assert "sms:114" in html


@pytest.mark.django_db
def test_healthz_ready_waits_for_the_search_index(client, monkeypatch):
    """Readiness: 503 while this worker has no search index (a build starts), 200 once it has."""
    from maillage.directory import index

    monkeypatch.setattr(index, "_current", None)
    monkeypatch.setattr(index, "start_warm_up", lambda: None)  # built below, not in a thread
    response = client.get("/healthz?ready")
    assert response.status_code == 503
    assert response.content == b"not ready: search index\n"
    assert response["Retry-After"] == "2"
    assert client.get("/healthz").status_code == 200  # alive meanwhile

    index.current()
    response = client.get("/healthz?ready")
    assert response.status_code == 200
    assert response.content == b"ready\n"


@pytest.mark.django_db
def test_readiness_starts_the_index_build_when_no_one_does(monkeypatch):
    from maillage.directory import index

    started = []
    monkeypatch.setattr(index, "_current", None)
    monkeypatch.setattr(index, "start_warm_up", lambda: started.append(True))
    assert index.is_ready() is False
    assert started == [True]
    index.warm_up()  # what the thread runs
    assert index.is_ready() is True
    assert started == [True]
