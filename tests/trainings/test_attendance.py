"""Attendance per half-day: marked online by the trainer or the coordination, printed as an
attendance sheet (read back with pdftotext), signed sheets uploaded back (checked by content)."""

import html
import subprocess
from datetime import time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillage.trainings.attendance import (
    MAX_SHEET_SIZE,
    AttendanceError,
    attendance_summary,
    record_attendance,
)
from maillage.trainings.models import Attendance, Registration, SignedSheet

from ..prevention.factories import image_bytes, pdf_bytes
from .factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db

A = Attendance.Status
PNG = image_bytes("PNG", (8, 8))  # a real image: a bare PNG signature is refused
PDF = pdf_bytes()  # a real PDF: uploads are read by a PDF parser


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def people(past_session, staff_organisation):
    return [
        RegistrationFactory(
            session=past_session,
            first_name="Sophie",
            last_name="Martin",
            function="Agente d'accueil",
            organisation=staff_organisation,
        ),
        RegistrationFactory(
            session=past_session,
            first_name="Karim",
            last_name="Benali",
            function="Éducateur spécialisé",
            organisation=staff_organisation,
        ),
    ]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attendance_url(session) -> str:
    return reverse("trainings:session_attendance", args=[session.pk])


def test_the_trainer_marks_a_half_day_in_one_form(login, trainer, past_session, people):
    morning, _afternoon = past_session.slot_list
    sophie, karim = people
    response = login(trainer).post(
        attendance_url(past_session),
        {"slot": morning.pk, f"statut-{sophie.pk}": A.PRESENT, f"statut-{karim.pk}": A.LATE},
    )
    assert response.status_code == 302
    assert dict(morning.attendances.values_list("registration_id", "status")) == {
        sophie.pk: A.PRESENT,
        karim.pk: A.LATE,
    }
    assert set(morning.attendances.values_list("marked_by", flat=True)) == {trainer.pk}


def test_all_present_marks_everyone_present(login, coordinator, past_session, people):
    morning = past_session.first_slot
    login(coordinator).post(attendance_url(past_session), {"slot": morning.pk, "all_present": "1"})
    assert morning.attendances.filter(status=A.PRESENT).count() == 2


def test_a_correction_is_kept_in_the_history(trainer, past_session, people):
    morning = past_session.first_slot
    sophie = people[0]
    record_attendance(slot=morning, statuses={sophie.pk: A.ABSENT}, by=trainer)
    record_attendance(slot=morning, statuses={sophie.pk: A.EXCUSED}, by=trainer)
    attendance = Attendance.objects.get(registration=sophie, slot=morning)
    assert attendance.status == A.EXCUSED
    assert [h.status for h in attendance.history.order_by("history_date")] == [A.ABSENT, A.EXCUSED]


def test_the_summary_counts_present_and_late_as_attended(trainer, past_session, people):
    morning, afternoon = past_session.slot_list
    sophie, karim = people
    record_attendance(slot=morning, statuses={sophie.pk: A.PRESENT, karim.pk: A.LATE}, by=trainer)
    record_attendance(
        slot=afternoon, statuses={sophie.pk: A.PRESENT, karim.pk: A.EXCUSED}, by=trainer
    )
    summary = {s.registration.pk: (s.attended, s.total) for s in attendance_summary(past_session)}
    assert summary == {sophie.pk: (2, 2), karim.pk: (1, 2)}


def test_the_page_shows_attended_slots_per_person(login, trainer, past_session, people):
    morning = past_session.first_slot
    record_attendance(slot=morning, statuses={people[0].pk: A.PRESENT}, by=trainer)
    page = text(login(trainer).get(attendance_url(past_session)))
    assert "MARTIN Sophie" in page
    assert "1 / 2" in page
    assert "0 / 2" in page
    assert "Tous présents" in page


def test_attendance_is_not_marked_before_the_day(trainer, session):
    registration = RegistrationFactory(session=session)
    with pytest.raises(AttendanceError):
        record_attendance(
            slot=session.first_slot, statuses={registration.pk: A.PRESENT}, by=trainer
        )


def test_only_the_sessions_registrants_can_be_marked(trainer, past_session, people):
    stranger = RegistrationFactory()
    with pytest.raises(AttendanceError):
        record_attendance(
            slot=past_session.first_slot, statuses={stranger.pk: A.PRESENT}, by=trainer
        )
    cancelled = RegistrationFactory(session=past_session, status=Registration.Status.CANCELLED)
    with pytest.raises(AttendanceError):
        record_attendance(
            slot=past_session.first_slot, statuses={cancelled.pk: A.PRESENT}, by=trainer
        )


def test_the_attendance_sheet_carries_names_dates_hours_and_signature_boxes(
    login, trainer, past_session, people
):
    trainer.first_name, trainer.last_name = "Claire", "Formatrice"
    trainer.save()
    response = login(trainer).get(reverse("trainings:attendance_sheet", args=[past_session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = pdftotext(response.content)
    pages = content.split("\f")
    morning_page, afternoon_page = pages[0], pages[1]
    day = past_session.first_slot.date
    assert "FEUILLE D'ÉMARGEMENT" in morning_page
    assert "Primo-accueil des victimes" in morning_page
    assert "9h00 \u2013 12h30" in morning_page
    assert "13h30 \u2013 17h00" in afternoon_page
    for page in (morning_page, afternoon_page):
        assert f"{day.day} " in page and str(day.year) in page
        assert "MARTIN Sophie" in page and "Agente d'accueil" in page
        assert "BENALI Karim" in page and "Éducateur spécialisé" in page
        assert "Ville d'Angers" in page
        assert "Signature" in page
        assert "Claire Formatrice" in page
        assert "Maison des solidarités" in page


def test_the_sheet_of_one_half_day(login, trainer, past_session, people):
    afternoon = past_session.last_slot
    response = login(trainer).get(
        reverse("trainings:attendance_sheet", args=[past_session.pk]), {"demi": afternoon.pk}
    )
    content = pdftotext(response.content)
    assert "13h30 \u2013 17h00" in content
    assert "9h00 \u2013 12h30" not in content
    assert "demi-journée 2 sur 2" in content


@pytest.mark.parametrize("name", ["attendance_sheet", "session_attendance"])
def test_another_territorys_coordinator_gets_404(login, other_coordinator, past_session, name):
    response = login(other_coordinator).get(reverse(f"trainings:{name}", args=[past_session.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["attendance_sheet", "session_attendance"])
def test_a_professional_gets_404(login, professional, past_session, name):
    response = login(professional).get(reverse(f"trainings:{name}", args=[past_session.pk]))
    assert response.status_code == 404


def test_a_professional_cannot_mark_attendance(login, professional, past_session, people):
    response = login(professional).post(
        attendance_url(past_session),
        {"slot": past_session.first_slot.pk, "all_present": "1"},
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


# Signed sheets


def upload(client, slot, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("trainings:signed_sheet_upload", args=[slot.pk]),
        {f"demi{slot.pk}-file": SimpleUploadedFile(name, content, content_type)},
        follow=True,
    )


def test_a_signed_pdf_is_kept_under_an_unguessable_name(login, trainer, past_session, media):
    slot = past_session.first_slot
    response = upload(login(trainer), slot, "emargement.pdf", PDF, "application/pdf")
    assert "La feuille signée est enregistrée." in text(response)
    sheet = SignedSheet.objects.get()
    assert sheet.content_type == "application/pdf"
    assert sheet.file.name.startswith("trainings/emargements/")
    assert "emargement" not in sheet.file.name.removeprefix("trainings/emargements/")
    assert len(sheet.file.name.rsplit("/", 1)[1]) == 32 + len(".pdf")


def test_a_photo_of_the_sheet_is_accepted(login, trainer, past_session, media):
    upload(login(trainer), past_session.first_slot, "photo.png", PNG, "image/png")
    assert SignedSheet.objects.get().content_type == "image/png"


@pytest.mark.parametrize(
    "name, content",
    [
        ("feuille.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),  # a Windows program
        ("feuille.png", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
    ],
)
def test_a_disguised_file_is_refused(login, trainer, past_session, media, name, content):
    response = upload(login(trainer), past_session.first_slot, name, content, "application/pdf")
    assert "n'est ni un PDF, ni une image PNG ou JPEG" in text(response)
    assert not SignedSheet.objects.exists()
    assert not any(media.rglob("*.*"))


def test_an_oversized_file_is_refused(login, trainer, past_session, media):
    content = PDF + b"0" * MAX_SHEET_SIZE
    response = upload(login(trainer), past_session.first_slot, "gros.pdf", content)
    assert "Le fichier dépasse 10 Mo" in text(response)
    assert not SignedSheet.objects.exists()


def test_the_signed_sheet_is_downloaded_by_the_trainer_only(
    client, login, trainer, coordinator, other_coordinator, professional, past_session, media
):
    upload(login(trainer), past_session.first_slot, "emargement.pdf", PDF)
    sheet = SignedSheet.objects.get()
    url = reverse("trainings:signed_sheet_download", args=[sheet.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    response = login(coordinator).get(url)
    assert response.status_code == 200
    # Read to the end: the test client then closes the file without closing the connection.
    assert b"".join(response.streaming_content) == PDF
    assert login(other_coordinator).get(url).status_code == 404
    assert login(professional).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_attendance_after_the_session_is_held_sends_the_late_certificates(
    trainer, past_session, people, committed, mailoutbox
):
    from maillage.trainings.services import mark_held

    with committed():
        mark_held(session=past_session)
    assert mailoutbox == []  # nobody attended yet: no certificate, no questionnaire
    morning, afternoon = past_session.slot_list
    sophie = people[0]
    with committed():
        record_attendance(slot=morning, statuses={sophie.pk: A.PRESENT}, by=trainer)
        record_attendance(slot=afternoon, statuses={sophie.pk: A.PRESENT}, by=trainer)
    subjects = sorted(m.subject for m in mailoutbox)
    assert len(subjects) == 2
    assert all(m.to == [sophie.email] for m in mailoutbox)
    with committed():
        record_attendance(slot=afternoon, statuses={sophie.pk: A.LATE}, by=trainer)
    assert len(mailoutbox) == 2  # nothing sent twice


def test_a_future_slot_shows_no_form(login, trainer, module):
    day = timezone.localdate() + timedelta(days=3)
    session = SessionFactory(module=module, slots=[(day, time(9), time(12))])
    session.trainers.add(trainer)
    RegistrationFactory(session=session)
    page = text(login(trainer).get(attendance_url(session)))
    assert "La présence se note le jour de la demi-journée ou après" in page
