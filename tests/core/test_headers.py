import pytest


@pytest.mark.django_db
def test_security_headers_on_a_public_page(client):
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "microphone=()" in response.headers["Permissions-Policy"]


@pytest.mark.django_db
def test_the_inline_theme_style_carries_the_nonce_of_the_header(client, territory):
    response = client.get("/")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert territory.primary_colour in response.content.decode()


@pytest.mark.django_db
def test_hsts_is_sent_over_https(client):
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")


@pytest.mark.django_db
def test_pages_with_personal_data_are_never_cached(login, referent):
    client = login(referent)
    response = client.get("/espace/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
