import pytest
from django.urls import reverse

from ..network.survey_factories import InvitationFactory, answer_post, build_survey


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


# Cache-Control: no-store on every page with personal data (ASVS 5.0 14.3): pages behind a login,
# exports, and the pages a secret token in the address opens, such as the survey answer page.


@pytest.fixture
def survey(contract):
    return build_survey(contract, open=True)


@pytest.mark.django_db
def test_the_survey_answer_page_is_never_cached(client, survey, organisation):
    invitation = InvitationFactory(survey=survey, organisation=organisation)
    url = reverse("network:survey_answer", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    answered = client.post(url, answer_post(survey))
    assert answered.status_code == 200
    assert answered.headers["Cache-Control"] == "no-store"
    assert answered.cookies == {}
    assert client.get(reverse("network:survey_answer", args=["inconnu"]))["Cache-Control"] == (
        "no-store"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["network:survey_export_csv", "network:survey_export_xlsx", "network:survey_results"]
)
def test_survey_results_and_exports_are_never_cached(login, coordinator, survey, name):
    response = login(coordinator).get(reverse(name, args=[survey.pk]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/espace/prevention/actions/export.csv", "/espace/structures/"])
def test_workspace_pages_and_exports_are_never_cached(login, coordinator, path):
    response = login(coordinator).get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_public_pages_are_not_marked_personal(client, territory):
    response = client.get("/")
    assert "no-store" not in response.get("Cache-Control", "")
    assert response.cookies == {}
