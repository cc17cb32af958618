"""Reads and exports of personal data by partners and coordinators leave an audit event (who,
when, what, never the data itself), read by the coordination on the "Journal des accès"."""

import csv
import io
from datetime import time, timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from maillage.core import audit
from maillage.core.audit import AuditEvent
from maillage.trainings.models import Attendance, SignedSheet, TrainingSession

from ..network.survey_factories import SurveyFactory
from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def past_session(territory, organisation, trainer):
    """A session given last week by the trainer of the organisation, with two registrants of
    another organisation, both present."""
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    day = timezone.localdate() - timedelta(days=7)
    session = SessionFactory(
        module=module,
        status=TrainingSession.Status.HELD,
        slots=[(day, time(9), time(12, 30))],
    )
    session.trainers.add(trainer)
    return session


@pytest.fixture
def registrations(past_session, other_organisation):
    people = [
        RegistrationFactory(
            session=past_session,
            first_name="Sophie",
            last_name="Martin",
            email="sophie.martin@example.org",
            organisation=other_organisation,
        ),
        RegistrationFactory(
            session=past_session,
            first_name="Karim",
            last_name="Benali",
            email="karim.benali@example.org",
            organisation=other_organisation,
        ),
    ]
    slot = past_session.slots.first()
    for registration in people:
        Attendance.objects.create(
            slot=slot, registration=registration, status=Attendance.Status.PRESENT
        )
    return people


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def assert_no_personal_data(event: AuditEvent) -> None:
    text = f"{event.details} {event.object_type} {event.object_id}"
    for word in ("Sophie", "Martin", "Karim", "Benali", "@"):
        assert word not in text


# The helper


def test_record_fills_who_when_what_and_the_territory_of_the_target(
    past_session, trainer, territory
):
    event = audit.record(
        "trainings.registrants.viewed", by=trainer, target=past_session, details={"rows": 2}
    )

    assert event.user == trainer
    assert event.territory == territory
    assert event.object_type == "trainings.trainingsession"
    assert event.object_id == str(past_session.pk)
    assert event.at <= timezone.now()
    assert event.details == {"rows": 2}


@pytest.mark.parametrize(
    "details",
    [
        {"email": "x"},
        {"last_name": "Martin"},
        {"phone": "0241000000"},
        {"note": "sophie.martin@example.org"},
        {"note": "x" * 101},
        {"ids": [1, 2]},
    ],
)
def test_record_refuses_details_that_could_hold_personal_data(details, trainer):
    with pytest.raises(ValueError):
        audit.record("trainings.registrants.viewed", by=trainer, details=details)
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("action", ["viewed", "Trainings.Viewed", "trainings viewed.x.y"])
def test_record_refuses_an_action_that_is_not_a_dotted_code(action, trainer):
    with pytest.raises(ValueError):
        audit.record(action, by=trainer)


# The views


def test_trainer_viewing_the_registrants_of_a_session_is_recorded(
    login, trainer, past_session, registrations, organisation
):
    response = login(trainer).get(reverse("trainings:session_manage", args=[past_session.pk]))

    assert response.status_code == 200
    assert "BENALI" in response.content.decode()
    [event] = events("trainings.registrants.viewed")
    assert event.user == trainer
    assert event.object_id == str(past_session.pk)
    assert event.territory_id == past_session.territory_id
    assert_no_personal_data(event)


def test_attendance_page_and_sheet_are_recorded(login, trainer, past_session, registrations):
    client = login(trainer)

    assert (
        client.get(reverse("trainings:session_attendance", args=[past_session.pk])).status_code
        == 200
    )
    sheet = client.get(reverse("trainings:attendance_sheet", args=[past_session.pk]))

    assert sheet["Content-Type"] == "application/pdf"
    assert events("trainings.attendance.viewed").get().user == trainer
    assert events("trainings.attendance_sheet.exported").get().user == trainer


def test_signed_sheet_download_is_recorded(settings, tmp_path, login, trainer, past_session):
    settings.MEDIA_ROOT = tmp_path
    sheet = SignedSheet.objects.create(
        slot=past_session.slots.first(),
        file=ContentFile(PDF, name="emargement.pdf"),
        content_type="application/pdf",
        size=len(PDF),
    )

    response = login(trainer).get(reverse("trainings:signed_sheet_download", args=[sheet.pk]))

    assert response.status_code == 200
    # Reading the whole file closes it (the test client closes a consumed stream).
    assert b"".join(response.streaming_content) == PDF
    assert events("trainings.signed_sheet.downloaded").get().object_id == str(past_session.pk)


def test_evaluation_results_view_is_recorded(login, trainer, past_session):
    response = login(trainer).get(reverse("trainings:session_evaluation", args=[past_session.pk]))

    assert response.status_code == 200
    assert events("trainings.evaluations.viewed").count() == 1


def test_downloading_someone_elses_certificate_is_recorded_not_ones_own(
    login, trainer, coordinator, past_session, registrations
):
    registration = registrations[0]
    url = reverse("trainings:registration_certificate", args=[registration.pk])

    response = login(trainer).get(url)

    assert response.status_code == 200
    event = events("trainings.certificate.downloaded").get()
    assert event.user == trainer
    assert event.organisation_id == registration.organisation_id
    assert event.object_type == "trainings.registration"
    assert_no_personal_data(event)

    registration.user = coordinator
    registration.save()
    login(coordinator).get(url)
    assert events("trainings.certificate.downloaded").count() == 1


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_coordinator_exporting_survey_answers_is_recorded(
    extension, login, coordinator, contract, territory
):
    survey = SurveyFactory(contract=contract)

    response = login(coordinator).get(
        reverse(f"network:survey_export_{extension}", args=[survey.pk])
    )

    assert response.status_code == 200
    event = events("network.survey_answers.exported").get()
    assert event.user == coordinator
    assert event.territory == territory
    assert event.details == {"format": extension}


def test_a_page_refused_records_nothing(login, other_referent, past_session, registrations):
    response = login(other_referent).get(
        reverse("trainings:session_manage", args=[past_session.pk])
    )

    assert response.status_code == 404
    assert AuditEvent.objects.count() == 0


# The "Journal des accès"


@pytest.fixture
def logged_events(past_session, trainer, referent, organisation, other_organisation, territory):
    audit.record("trainings.registrants.viewed", by=trainer, target=past_session)
    audit.record(
        "trainings.certificate.downloaded",
        by=referent,
        target=past_session,
        organisation=other_organisation,
    )
    return AuditEvent.objects.all()


def test_coordinator_reads_the_log_of_their_territory(login, coordinator, logged_events):
    response = login(coordinator).get(reverse("core:audit_log"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert html.count("data-audit-event") == 2
    assert "Liste des inscrits consultée" in html
    assert "formatrice@example.org" in html


def test_the_log_filters_by_action_and_organisation(
    login, coordinator, logged_events, other_organisation
):
    client = login(coordinator)

    by_action = client.get(
        reverse("core:audit_log"), {"action": "trainings.certificate.downloaded"}
    )
    by_organisation = client.get(reverse("core:audit_log"), {"organisation": other_organisation.pk})

    assert by_action.content.decode().count("data-audit-event") == 1
    assert "referente@example.org" in by_action.content.decode()
    assert by_organisation.content.decode().count("data-audit-event") == 1


def test_the_log_is_paginated(login, coordinator, past_session, trainer):
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="trainings.registrants.viewed",
            user=trainer,
            territory_id=past_session.territory_id,
        )
        for _ in range(55)
    )
    client = login(coordinator)

    first = client.get(reverse("core:audit_log")).content.decode()
    second = client.get(reverse("core:audit_log"), {"page": 2}).content.decode()

    assert first.count("data-audit-event") == 50
    assert second.count("data-audit-event") == 5


def test_the_log_shows_nothing_of_another_territory(login, other_coordinator, logged_events):
    response = login(other_coordinator).get(reverse("core:audit_log"))

    assert response.status_code == 200
    assert "data-audit-event" not in response.content.decode()


@pytest.mark.parametrize("user", ["referent", "trainer", "professional"])
def test_partners_cannot_read_the_log(user, request, login):
    response = login(request.getfixturevalue(user)).get(reverse("core:audit_log"))

    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("core:audit_log"))

    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_csv_export_of_the_log_is_itself_recorded(login, coordinator, logged_events, territory):
    response = login(coordinator).get(reverse("core:audit_log"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Date"
    assert len(rows) == 3
    assert {row[3] for row in rows[1:]} == {
        "trainings.registrants.viewed",
        "trainings.certificate.downloaded",
    }
    exported = events("core.audit.exported").get()
    assert exported.user == coordinator
    assert exported.territory == territory
    assert exported.details == {"format": "csv", "rows": 2}
