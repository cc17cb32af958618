"""Attendance certificates: only above the module's threshold, read back with pdftotext,
verified by a public page that shows little and sets no cookie."""

import html
import re

import pytest
from django.urls import reverse

from maillage.trainings.attendance import record_attendance
from maillage.trainings.certificates import NotEligible, issue_certificate
from maillage.trainings.models import Attendance, Certificate, TrainingSession
from maillage.trainings.services import mark_held

from ..factories import RoleFactory
from .factories import RegistrationFactory
from .test_attendance import pdftotext

pytestmark = pytest.mark.django_db

A = Attendance.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def sophie(past_session, staff_organisation):
    return RegistrationFactory(
        session=past_session,
        first_name="Sophie",
        last_name="Martin",
        email="sophie.martin@example.org",
        function="Agente d'accueil",
        organisation=staff_organisation,
    )


@pytest.fixture
def karim(past_session, staff_organisation):
    return RegistrationFactory(
        session=past_session,
        first_name="Karim",
        last_name="Benali",
        email="karim.benali@example.org",
        organisation=staff_organisation,
    )


@pytest.fixture
def held(past_session, sophie, karim, trainer):
    """Sophie attended both half-days (late in the afternoon), Karim the morning only."""
    morning, afternoon = past_session.slot_list
    record_attendance(
        slot=morning, statuses={sophie.pk: A.PRESENT, karim.pk: A.PRESENT}, by=trainer
    )
    record_attendance(slot=afternoon, statuses={sophie.pk: A.LATE, karim.pk: A.ABSENT}, by=trainer)
    past_session.status = TrainingSession.Status.HELD
    past_session.save(update_fields=["status"])
    return past_session


def certificate_url(registration) -> str:
    return reverse("trainings:registration_certificate", args=[registration.pk])


def test_the_certificate_carries_name_module_dates_hours_duration_and_code(
    client, held, sophie, organisation
):
    response = client.get(
        reverse("trainings:registration_certificate_by_token", args=[sophie.access_token])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = pdftotext(response.content)
    flat = " ".join(content.split())
    certificate = Certificate.objects.get(registration=sophie)
    day = held.first_slot.date
    assert "Attestation de formation" in flat
    assert "Sophie Martin" in flat
    assert "Primo-accueil des victimes de violences sexistes et sexuelles" in flat
    assert f"{day.day} " in flat and str(day.year) in flat
    assert "9h00 \u2013 12h30" in flat and "13h30 \u2013 17h00" in flat
    assert "7 heures (2 demi-journée(s) sur 2)" in flat
    assert "Solidarité Femmes 49" in flat  # the trainer organisation
    assert certificate.code in flat
    assert f"/formations/attestations/{certificate.code}/" in flat


def test_the_code_is_random_and_unique(held, sophie):
    certificate = issue_certificate(registration=sophie)
    assert re.fullmatch(r"[A-Z2-7]{5}(-[A-Z2-7]{5}){3}", certificate.code)
    assert issue_certificate(registration=sophie) == certificate  # issued once


def test_no_certificate_below_the_threshold(client, login, coordinator, held, karim):
    with pytest.raises(NotEligible, match="1 demi-journée"):
        issue_certificate(registration=karim)
    assert login(coordinator).get(certificate_url(karim)).status_code == 404
    assert (
        client.get(
            reverse("trainings:registration_certificate_by_token", args=[karim.access_token])
        ).status_code
        == 404
    )
    assert not Certificate.objects.exists()


def test_a_lower_threshold_lets_half_attendance_through(held, karim):
    held.module.certificate_threshold = 50
    held.module.save()
    karim.session.module.refresh_from_db()
    assert issue_certificate(registration=karim).registration == karim


def test_no_certificate_before_the_session_is_held(past_session, sophie, trainer):
    for slot in past_session.slot_list:
        record_attendance(slot=slot, statuses={sophie.pk: A.PRESENT}, by=trainer)
    with pytest.raises(NotEligible):
        issue_certificate(registration=sophie)


def test_who_may_download_a_certificate(
    login, held, sophie, coordinator, trainer, other_coordinator, professional, organisation
):
    referent = RoleFactory(kind="referent", organisation=sophie.organisation).user
    for user in (coordinator, trainer, referent):
        response = login(user).get(certificate_url(sophie))
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
    assert login(other_coordinator).get(certificate_url(sophie)).status_code == 404
    assert login(professional).get(certificate_url(sophie)).status_code == 404


def test_the_registrant_downloads_it_from_their_link(client, held, sophie, karim):
    page = text(client.get(sophie.access_url()))
    assert "Télécharger mon attestation de formation" in page
    assert "Télécharger mon attestation" not in text(client.get(karim.access_url()))


def test_the_verification_page_finds_a_valid_code_and_sets_no_cookie(client, held, sophie):
    certificate = issue_certificate(registration=sophie)
    response = client.get(reverse("trainings:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    page = text(response)
    assert "Attestation valide" in page
    assert "Sophie Martin" in page
    assert "Primo-accueil des victimes" in page
    assert str(held.first_slot.date.year) in page
    assert sophie.email not in page and "Ville d'Angers" not in page
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_the_verification_page_refuses_an_unknown_code(client, held):
    response = client.get(reverse("trainings:certificate_verify", args=["AAAAA-BBBBB-CCCCC-DDDDD"]))
    assert response.status_code == 404
    assert "Attestation inconnue" in text(response)
    assert response.cookies == {}


def test_marking_held_emails_certificates_to_qualifying_attendees_only(
    past_session, sophie, karim, trainer, committed, mailoutbox
):
    morning, afternoon = past_session.slot_list
    record_attendance(
        slot=morning, statuses={sophie.pk: A.PRESENT, karim.pk: A.PRESENT}, by=trainer
    )
    record_attendance(
        slot=afternoon, statuses={sophie.pk: A.PRESENT, karim.pk: A.ABSENT}, by=trainer
    )
    with committed():
        mark_held(session=past_session)
    certificates = [m for m in mailoutbox if "attestation" in m.subject]
    assert [m.to for m in certificates] == [[sophie.email]]
    name, content, mimetype = certificates[0].attachments[0]
    assert mimetype == "application/pdf" and name.startswith("attestation-")
    assert "Sophie Martin" in pdftotext(content)
    assert Certificate.objects.get().emailed_at is not None
