"""WCAG 2.1 A and AA rules checked by axe-core on the main pages (DESIGN.md §3: RGAA 4.1).

axe is run with page.evaluate(): the Content-Security-Policy refuses inline scripts without
its nonce, so add_script_tag() would be blocked, and bypass_csp would test another page.
"""

from pathlib import Path

import pytest

from maillage.core.models import Organisation, Role, Territory

from ..conftest import enrol_second_factor
from ..factories import TEST_PASSWORD, UserFactory

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    assert AXE.exists(), f"{AXE} is missing (npm pack axe-core, see vendor/VERSION)"
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def demo(demo, transactional_db):
    """The Angers demo: its 2024 contract (25 signatories) and Solidarité Femmes 49."""
    territory = Territory.objects.get(slug="angers-loire-metropole")
    return {
        "territory": territory,
        "contract": territory.current_contract(),
        "organisation": Organisation.objects.get(name="Solidarité Femmes 49"),
    }


def run_axe(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """(values) => axe.run(document, {runOnly: {type: "tag", values}})
            .then((results) => results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            })))""",
        WCAG_AA,
    )


def assert_accessible(page, axe_source: str) -> None:
    violations = run_axe(page, axe_source)
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}\n      {n['summary']}" for n in v["nodes"])
        for v in violations
    )
    assert violations == [], f"axe found WCAG 2.1 AA violations on {page.url}:\n{report}"


def test_axe_does_report_violations(page, url, axe_source):
    """The check itself works: an image without text alternative is caught."""
    page.goto(url("/"))
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in [v["id"] for v in run_axe(page, axe_source)]


def test_home_page(page, url, demo, axe_source):
    page.goto(url("/"))
    assert_accessible(page, axe_source)


def test_login_page(page, url, demo, axe_source):
    page.goto(url("/compte/login/"))
    assert_accessible(page, axe_source)


def test_login_page_with_errors(page, url, demo, axe_source):
    page.goto(url("/compte/login/"))
    page.locator("input[name=login]").fill("personne@example.org")
    page.locator("input[name=password]").fill("pas le bon mot de passe")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()
    assert_accessible(page, axe_source)


def test_public_contract_page(page, url, demo, axe_source):
    page.goto(url(demo["contract"].get_absolute_url()))
    assert page.locator("[data-signature]").count() == 25
    assert_accessible(page, axe_source)


def test_public_organisation_page(page, url, demo, axe_source):
    page.goto(url(demo["organisation"].get_absolute_url()))
    assert_accessible(page, axe_source)


def test_safety_page(page, url, demo, axe_source):
    page.goto(url("/securite/"))
    assert_accessible(page, axe_source)


def test_english_home_page(page, url, demo, axe_source):
    page.goto(url("/en/"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert_accessible(page, axe_source)


def test_second_factor_pages(page, url, demo, axe_source, log_in):
    """The code page (with its error) and the enrolment page a new coordinator is sent to."""
    coordinator = UserFactory(email="coordination.a11y@example.org")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, territory=demo["territory"])
    enrol_second_factor(coordinator)
    page.goto(url("/compte/login/"))
    page.locator("input[name=login]").fill(coordinator.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Connexion").click()
    assert page.url == url("/compte/2fa/authenticate/")
    assert_accessible(page, axe_source)
    page.locator("input[name=code]").fill("000000")
    with page.expect_navigation():
        page.locator("main form").first.get_by_role("button", name="Connexion").click()
    assert page.locator("input[name=code][aria-invalid=true]").count() == 1
    assert_accessible(page, axe_source)

    newcomer = UserFactory(email="nouvelle.a11y@example.org")
    Role.objects.create(user=newcomer, kind=Role.Kind.COORDINATOR, territory=demo["territory"])
    page.context.clear_cookies()
    log_in(page, newcomer)
    assert page.url == url("/compte/2fa/totp/activate/")
    assert_accessible(page, axe_source)


def test_workspace_pages(page, url, demo, axe_source, log_in):
    coordinator = UserFactory(email="coordination.a11y@example.org")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, territory=demo["territory"])
    enrol_second_factor(coordinator)
    log_in(page, coordinator)

    assert page.url == url("/espace/")
    assert_accessible(page, axe_source)

    page.goto(url(f"/espace/contrats/{demo['contract'].pk}/"))
    assert page.url == url(f"/espace/contrats/{demo['contract'].pk}/")
    assert_accessible(page, axe_source)


def test_organisation_form_with_errors(page, url, demo, axe_source, log_in):
    referent = Role.objects.get(kind=Role.Kind.REFERENT, organisation=demo["organisation"]).user
    referent.set_password(TEST_PASSWORD)
    referent.save()
    log_in(page, referent)
    page.goto(url(f"/espace/structures/{demo['organisation'].pk}/modifier/"))
    page.get_by_label("Courriel public").fill("pas-une-adresse")
    page.get_by_label("Nom").fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("alert").count() == 1
    assert_accessible(page, axe_source)


def test_directory_pages(page, url, demo, axe_source):
    from maillage.directory.models import Service

    page.goto(url("/annuaire/"))
    assert_accessible(page, axe_source)
    page.goto(url("/annuaire/?q=hebergement&public=femmes&ouvert=on"))
    assert_accessible(page, axe_source)
    page.goto(url("/annuaire/?q=ecoute"))
    page.locator("details.search__filters summary").click()
    assert_accessible(page, axe_source)
    service = Service.objects.get(name__startswith="Accueil de jour")
    page.goto(url(service.get_absolute_url()))
    assert_accessible(page, axe_source)
