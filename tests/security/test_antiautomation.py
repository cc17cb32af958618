"""Anti-automation on the forms robots like: a honeypot field and a rate limit (one helper,
maillage.core.ratelimit) on the "signaler une erreur" form, training registrations (self and
staff) and nightlife charter applications; allauth's own limit on signup. A filled honeypot
or a post over the limit writes nothing and gets a French message (or a 429 page that still
shows the emergency numbers)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import Organisation
from maillage.trainings import charter_views, registration_views

from ..directory.factories import ServiceFactory
from ..factories import OrganisationFactory
from ..trainings.factories import ModuleFactory, SessionFactory
from .conftest_fuzz import changed_tables, table_counts

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year
BOT = "https://spam.example/achat"
TOO_MANY = "Trop d'envois depuis cette connexion"


@pytest.fixture(autouse=True)
def empty_counters():
    cache.clear()
    yield
    cache.clear()


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


@pytest.fixture
def session(territory, organisation):
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    return SessionFactory(module=module)


@pytest.fixture
def venue(territory):
    return OrganisationFactory(
        territory=territory, name="Le Comptoir", kind=Organisation.Kind.NIGHTLIFE
    )


def self_registration(other_organisation, **extra):
    return {
        "first_name": "Paul",
        "last_name": "Professionnel",
        "organisation": other_organisation.pk,
        "function": "Juriste",
        "commune": "",
        **extra,
    }


def staff_registration(organisation, n: int, **extra):
    return {
        "organisation": organisation.pk,
        "commune": "",
        "personne-TOTAL_FORMS": "1",
        "personne-INITIAL_FORMS": "0",
        "personne-MIN_NUM_FORMS": "0",
        "personne-MAX_NUM_FORMS": "50",
        "personne-0-first_name": "Agent",
        "personne-0-last_name": f"Numéro {n}",
        "personne-0-email": f"agent{n}@example.org",
        "personne-0-function": "Accueil",
        **extra,
    }


def application(venue, **extra):
    return {
        "venue": venue.pk,
        "year": YEAR,
        "contact_name": "Alex Gérant",
        "contact_email": "contact@comptoir.example.org",
        "staff_count": 8,
        "submitted_on": f"{YEAR}-02-03",
        **extra,
    }


# Honeypots


def test_the_honeypot_is_hidden_from_people_and_out_of_the_tab_order(login, professional, session):
    html = text(login(professional).get(reverse("trainings:register_self", args=[session.pk])))
    tag = html[html.index('name="site"') - 120 : html.index('name="site"') + 200]
    assert 'class="visually-hidden"' in tag and 'tabindex="-1"' in tag
    assert 'aria-hidden="true"' in tag and 'autocomplete="off"' in tag
    assert '<label for="id_site"' not in html  # no visible label for it


def test_a_filled_honeypot_writes_nothing_on_every_form(
    client, login, professional, referent, coordinator, organisation, other_organisation,
    session, venue,
):  # fmt: skip
    service = ServiceFactory(organisation=organisation)
    cases = [
        (
            client,
            reverse("directory:report", args=[service.pk]),
            {"kind": "hours", "message": "", "site": BOT},
        ),
        (
            login(professional),
            reverse("trainings:register_self", args=[session.pk]),
            self_registration(other_organisation, site=BOT),
        ),
    ]
    for http, url, data in cases:
        before = table_counts()
        response = http.post(url, data)
        assert response.status_code in (200, 400), url
        assert "Ce formulaire n'a pas pu être envoyé." in text(response), url
        assert changed_tables(before, table_counts()) == {}, url
    http = login(referent)
    before = table_counts()
    response = http.post(
        reverse("trainings:register_staff", args=[session.pk]),
        staff_registration(organisation, 1, site=BOT),
    )
    assert "Ce formulaire n'a pas pu être envoyé." in text(response)
    assert changed_tables(before, table_counts()) == {}
    http = login(coordinator)
    before = table_counts()
    response = http.post(reverse("trainings:charter_application_add"), application(venue, site=BOT))
    assert "Ce formulaire n'a pas pu être envoyé." in text(response)
    assert changed_tables(before, table_counts()) == {}


# Rate limits


def test_error_reports_over_the_limit_get_a_429_with_the_emergency_numbers(
    client, organisation, settings
):
    service = ServiceFactory(organisation=organisation)
    url = reverse("directory:report", args=[service.pk])
    from maillage.directory import freshness

    for _ in range(freshness.REPORTS_PER_HOUR):
        assert client.post(url, {"kind": "hours", "message": ""}).status_code == 200
    before = table_counts()
    response = client.post(url, {"kind": "hours", "message": ""})
    assert response.status_code == 429
    assert "Trop de signalements" in text(response)
    assert "3919" in text(response) and "114" in text(response)
    assert changed_tables(before, table_counts()) == {}


def test_training_registrations_over_the_limit_write_nothing(
    login, referent, organisation, session, monkeypatch
):
    monkeypatch.setattr(registration_views, "REGISTRATION_POSTS", 2)
    http = login(referent)
    url = reverse("trainings:register_staff", args=[session.pk])
    for n in (1, 2):
        assert http.post(url, staff_registration(organisation, n)).status_code == 302
    before = table_counts()
    response = http.post(url, staff_registration(organisation, 3))
    assert response.status_code == 200
    assert TOO_MANY in text(response)
    assert changed_tables(before, table_counts()) == {}


def test_self_registration_over_the_limit_writes_nothing(
    login, professional, other_organisation, territory, organisation, monkeypatch
):
    monkeypatch.setattr(registration_views, "REGISTRATION_POSTS", 1)
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    first, second = SessionFactory(module=module), SessionFactory(module=module)
    http = login(professional)
    data = self_registration(other_organisation)
    assert http.post(reverse("trainings:register_self", args=[first.pk]), data).status_code == 302
    before = table_counts()
    response = http.post(reverse("trainings:register_self", args=[second.pk]), data)
    assert TOO_MANY in text(response)
    assert changed_tables(before, table_counts()) == {}


def test_charter_applications_over_the_limit_write_nothing(
    login, coordinator, venue, territory, monkeypatch
):
    monkeypatch.setattr(charter_views, "CHARTER_POSTS", 1)
    other = OrganisationFactory(territory=territory, kind=Organisation.Kind.NIGHTLIFE)
    http = login(coordinator)
    url = reverse("trainings:charter_application_add")
    assert http.post(url, application(venue)).status_code == 302
    before = table_counts()
    response = http.post(url, application(other))
    assert TOO_MANY in text(response)
    assert changed_tables(before, table_counts()) == {}


def test_signups_over_the_limit_get_a_429_with_the_emergency_numbers(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    url = reverse("account_signup")

    def signup(n: int):
        return client.post(
            url,
            {
                "email": f"personne{n}@example.org",
                "password1": "une phrase de passe assez longue",
                "password2": "une phrase de passe assez longue",
            },
        )

    for n in (1, 2):
        assert signup(n).status_code == 302
        client.logout()
    before = table_counts()
    response = signup(3)
    assert response.status_code == 429
    assert "3919" in text(response)
    assert changed_tables(before, table_counts()) == {}


def test_a_filled_honeypot_on_signup_creates_no_account(client):
    before = table_counts()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "robot@example.org",
            "password1": "une phrase de passe assez longue",
            "password2": "une phrase de passe assez longue",
            "site": BOT,
        },
    )
    assert response.status_code == 200
    assert "Ce formulaire n'a pas pu être envoyé." in text(response)
    assert changed_tables(before, table_counts()) == {}
