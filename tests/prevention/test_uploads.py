"""A material's file is checked by its content, whatever its name says."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.core.uploads import MAX_UPLOAD_SIZE

from .factories import pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()  # a real PDF: uploads are read by a PDF parser
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(client, material, name: str, content: bytes):
    return client.post(
        reverse("prevention:material_file", args=[material.pk]),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_disguised_html_file_is_refused_with_a_clear_message(login, coordinator, guide, media):
    response = upload(login(coordinator), guide, "guide.pdf", HTML)
    html = response.content.decode()
    assert response.status_code == 200
    assert "n&#x27;est ni un PDF, ni une image PNG ou JPEG" in html
    assert "quelle que soit son extension" in html
    guide.refresh_from_db()
    assert not guide.file
    assert not any(media.rglob("*.*"))


def test_a_pdf_is_stored_under_an_unguessable_name(login, coordinator, guide, media):
    response = upload(login(coordinator), guide, "guide.pdf", PDF)
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.content_type == "application/pdf"
    assert guide.file.name.startswith("prevention/supports/")
    assert guide.file.name.endswith(".pdf")
    assert "guide" not in guide.file.name.removeprefix("prevention/supports/")


def test_an_oversized_file_is_refused(login, coordinator, guide, media):
    response = upload(login(coordinator), guide, "gros.pdf", PDF + b"0" * MAX_UPLOAD_SIZE)
    assert "Le fichier dépasse 10 Mo" in response.content.decode()


def test_a_referent_cannot_upload(login, referent, guide, media):
    assert upload(login(referent), guide, "guide.pdf", PDF).status_code == 403
