"""Logging in through the real forms: coordinators need a TOTP second factor."""

from maillage.core.models import Role

from ..conftest import totp_code
from ..factories import TEST_PASSWORD, UserFactory

ENROLMENT = "/compte/2fa/totp/activate/"


def submit_password(page, url, email):
    page.goto(url("/compte/login/"))
    form = page.locator("main form", has=page.locator("input[name=login]"))
    form.get_by_label("Courriel").fill(email)
    form.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    with page.expect_navigation():
        form.get_by_role("button", name="Connexion").click()


def test_coordinator_without_second_factor_must_enrol_one(page, url, territory, contract):
    user = UserFactory(email="nouvelle.coordination@example.org")
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=territory)

    submit_password(page, url, user.email)

    assert page.url == url(ENROLMENT)
    for path in ["/espace/", f"/espace/contrats/{contract.pk}/", "/espace/structures/", "/"]:
        page.goto(url(path))
        assert page.url == url(ENROLMENT), path
    assert page.locator("input[name=code]").is_visible()


def test_coordinator_logs_in_with_password_then_totp_code(page, url, coordinator):
    submit_password(page, url, coordinator.email)

    assert page.url == url("/compte/2fa/authenticate/")
    form = page.locator("main form", has=page.locator("input[name=code]"))
    form.locator("input[name=code]").fill(totp_code())
    with page.expect_navigation():
        form.get_by_role("button", name="Connexion").click()

    assert page.url == url("/espace/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mon espace"
