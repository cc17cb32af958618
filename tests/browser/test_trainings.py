"""Trainings in a real browser: a referent registers two staff members at once, a
professional registers then cancels; the pages they cross pass axe (WCAG 2.1 AA)."""

import pytest

from maillage.trainings.models import Registration

from ..trainings.factories import ModuleFactory, SessionFactory
from .test_accessibility import AXE, assert_accessible


@pytest.fixture(scope="module")
def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def session(transactional_db, territory, organisation):
    module = ModuleFactory(
        territory=territory,
        title="Primo-accueil des victimes de violences sexistes et sexuelles",
        slug="primo-accueil",
        trainer_organisation=organisation,
    )
    return SessionFactory(module=module, capacity=12)


def test_a_referent_registers_two_staff_members_at_once(
    page,
    url,
    log_in,
    referent,
    session,
    axe_source,
    outside_requests,
):
    log_in(page, referent)
    page.goto(url(session.get_absolute_url()))
    assert_accessible(page, axe_source)
    with page.expect_navigation():
        page.get_by_role("link", name="Inscrire des membres de mon équipe").click()
    assert page.get_by_role("heading", name="Inscrire des membres de mon équipe").is_visible()
    assert_accessible(page, axe_source)

    for row, (first, last, email, function) in enumerate(
        [
            ("Sophie", "Martin", "sophie.martin@example.org", "Agente d'accueil"),
            ("Karim", "Benali", "karim.benali@example.org", "Éducateur spécialisé"),
        ],
        start=1,
    ):
        page.get_by_label(f"Prénom (personne {row})", exact=True).fill(first)
        page.get_by_label(f"Nom (personne {row})", exact=True).fill(last)
        page.get_by_label(f"Adresse électronique (personne {row})", exact=True).fill(email)
        page.get_by_label(f"Fonction (personne {row})", exact=True).fill(function)
    with page.expect_navigation():
        page.get_by_role("button", name="Inscrire ces personnes").click()

    assert page.get_by_text("2 personnes inscrites. Chacune reçoit un courriel.").is_visible()
    staff = page.locator(
        "section", has=page.get_by_role("heading", name="Les inscriptions de ma structure")
    )
    assert staff.get_by_role("rowheader", name="Sophie Martin").is_visible()
    assert staff.get_by_role("rowheader", name="Karim Benali").is_visible()
    assert_accessible(page, axe_source)
    assert set(session.registrations.values_list("email", "status")) == {
        ("sophie.martin@example.org", Registration.Status.CONFIRMED),
        ("karim.benali@example.org", Registration.Status.CONFIRMED),
    }
    assert outside_requests == []


def test_a_professional_registers_then_cancels(
    page,
    url,
    log_in,
    professional,
    session,
    axe_source,
):
    log_in(page, professional)
    page.goto(url(session.get_absolute_url()))
    with page.expect_navigation():
        page.get_by_role("link", name="M'inscrire").click()
    page.get_by_label("Prénom").fill("Paul")
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Professionnel")
    page.get_by_label("Fonction").fill("Juriste")
    assert_accessible(page, axe_source)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirmer mon inscription").click()

    assert page.get_by_text("Vous êtes inscrit·e.").is_visible()
    mine = page.locator("section", has=page.get_by_role("heading", name="Mes inscriptions"))
    assert mine.get_by_role("rowheader", name="Paul Professionnel").is_visible()

    with page.expect_navigation():
        mine.get_by_role("link", name="Annuler l'inscription de Paul Professionnel").click()
    assert page.get_by_role("heading", name="Annuler cette inscription ?").is_visible()
    assert_accessible(page, axe_source)
    with page.expect_navigation():
        page.get_by_role("button", name="Annuler l'inscription").click()

    assert page.get_by_text("L'inscription de Paul Professionnel est annulée.").is_visible()
    assert page.get_by_text("Aucune inscription à venir.").is_visible()
    registration = session.registrations.get()
    assert registration.status == Registration.Status.CANCELLED


def test_the_catalogue_and_the_calendar_are_accessible(page, url, session, axe_source):
    page.goto(url("/formations/"))
    assert page.get_by_role("heading", name=session.module.title).is_visible()
    assert_accessible(page, axe_source)
    page.goto(url(f"/formations/calendrier/?mois={session.slot_list[0].date:%Y-%m}"))
    assert page.get_by_role("link", name=session.module.title).first.is_visible()
    assert_accessible(page, axe_source)
    assert page.context.cookies() == []
