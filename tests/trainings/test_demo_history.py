"""The demo rebuilds the first contract's training results as records: 16 "primo-accueil"
sessions (November 2021 - October 2024), more than 200 people from about 80 structures, 75 staff
of 24 bars — and the statistics page computes them, moving when an attendee is added."""

import re

import pytest
from django.urls import reverse

from maillage.core.models import Organisation, User
from maillage.trainings.models import (
    Attendance,
    CharterApplication,
    Module,
    Registration,
    TrainingSession,
)
from maillage.trainings.statistics import compute_statistics

from ..conftest import login_with_second_factor


def figures(html: str, table: str, label: str) -> list[int]:
    """The numbers of a row of a statistics table, as the page prints them."""
    section = html.split(f'data-table="{table}"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", section, re.S)
    return [int(value) for value in re.findall(r"<td>(\d+)</td>", row.group(1))]


def total(html: str, key: str) -> int:
    return int(re.search(rf'data-figure="{key}">(\d+)<', html).group(1))


pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_coordinator(demo):
    return User.objects.get(email="coordination@demo.maillage.fr")


def test_the_demo_holds_the_first_contracts_sessions(demo):
    primo = Module.objects.get(slug="primo-accueil")
    held = primo.sessions.filter(status=TrainingSession.Status.HELD).with_dates()
    assert held.count() == 16
    assert min(s.first_date for s in held).strftime("%Y-%m") == "2021-11"
    assert max(s.last_date for s in held).strftime("%Y-%m") == "2024-10"
    registrations = Registration.objects.filter(session__in=held)
    assert Attendance.objects.filter(slot__session__in=held).count() == 2 * registrations.count()
    statistics = compute_statistics(module=primo).totals
    assert statistics.sessions_held == 16
    assert statistics.people_trained > 200
    assert 75 <= statistics.structures_reached <= 85
    assert Organisation.objects.filter(name__endswith="(démo)").exists()


def test_the_demo_trains_75_staff_of_24_bars_with_their_labels(demo):
    totals = compute_statistics().totals
    assert totals.venues_trained == 24
    assert totals.venue_staff_trained == 75
    assert Organisation.objects.filter(kind=Organisation.Kind.NIGHTLIFE).count() == 24
    assert CharterApplication.objects.labelled().count() == 20
    assert CharterApplication.objects.filter(decision="granted", year=2023).exists()


def test_the_statistics_page_shows_the_demo_figures_and_they_move_with_an_attendee(
    demo_coordinator, client
):
    login_with_second_factor(client, demo_coordinator)
    url = reverse("trainings:statistics")
    html = client.get(url).content.decode()
    primo = "Primo-accueil des victimes de violences sexistes et sexuelles"
    sessions, people, structures, *_ = figures(html, "modules", primo)
    assert sessions == 16
    assert people > 200
    assert 75 <= structures <= 85
    assert total(html, "venues_trained") == 24
    assert total(html, "venue_staff_trained") == 75
    filtered = client.get(url, {"module": "primo-accueil"}).content.decode()
    assert total(filtered, "sessions_held") == 16
    assert total(filtered, "people_trained") == people

    # One more attendee in the last held session: a new person from a new structure.
    session = (
        TrainingSession.objects.filter(module__slug="primo-accueil", status="held")
        .with_dates()
        .order_by("-last_date")
        .first()
    )
    newcomer = Organisation.objects.create(
        territory=session.module.territory, name="Structure nouvelle", kind="association"
    )
    registration = Registration.objects.filter(session=session).first()
    extra = Registration.objects.create(
        session=session,
        trainee=type(registration.trainee).objects.create(email_key="nouvelle@example.org"),
        first_name="Nouvelle",
        last_name="Personne",
        email="nouvelle@example.org",
        email_key="nouvelle@example.org",
        function="Accueil",
        organisation=newcomer,
        status="confirmed",
    )
    Attendance.objects.create(registration=extra, slot=session.slot_list[0], status="present")

    html = client.get(url).content.decode()
    assert figures(html, "modules", primo)[:3] == [16, people + 1, structures + 1]


def test_the_history_is_registered_ahead_of_each_session(demo):
    """Registrations of the history went through register_people a month before their session
    (so every rule held), then the session was confirmed and marked held."""
    for registration in Registration.objects.filter(session__status="held")[:20]:
        assert registration.confirmed_at is not None
        assert registration.created_at.date() < registration.session.first_slot.date
