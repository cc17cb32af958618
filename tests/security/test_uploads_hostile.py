"""Hostile uploads on every upload field: disguised files (HTML named .pdf or .png, an SVG
with a script, polyglots), oversized files and archive bombs (a zip bomb, a nested zip, a PNG
decompression bomb) are refused with a French message, and nothing is written: no row in any
table, no file in the storage.

The upload fields: a material's main file and its variants (prevention), an action sheet's
attachments (network), a half-day's signed attendance sheet (trainings), the directory import
(JSON or CSV). The territory logo is edited in the admin only. No field accepts a ZIP: an
archive is refused on its first bytes, before anything could extract it.
"""

from __future__ import annotations

import io
import zipfile
from datetime import time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from maillage.core.uploads import MAX_UPLOAD_SIZE
from maillage.trainings.models import TrainingSession

from ..network.factories import ActionSheetFactory
from ..prevention.factories import (
    CampaignFactory,
    MaterialFactory,
    image_bytes,
    pdf_bytes,
    png_bomb,
)
from ..trainings.factories import ModuleFactory, SessionFactory
from .conftest_fuzz import changed_tables, table_counts
from .pdfs import page_pdf, pdf_with_script

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
PDF_WITH_SCRIPT = pdf_with_script()
# The same script, its names written with escapes (`/J#61vaScript` is `/JavaScript`).
PDF_WITH_ESCAPED_SCRIPT = page_pdf(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>")


def zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A few kilobytes that unzip to 50 MB of zeros."""
    return zip_of("guide.pdf", b"\x00" * (50 * 1024 * 1024))


def hostile_files() -> dict[str, tuple[str, bytes, str]]:
    """name: (file name, content, what the French message must say)."""
    bomb = zip_bomb()
    not_a_document = "n'est ni un PDF, ni une image PNG ou JPEG"
    return {
        "html named .pdf": ("guide.pdf", HTML, not_a_document),
        "html named .png": ("affiche.png", HTML, not_a_document),
        "svg with a script": ("affiche.png", SVG, not_a_document),
        "pdf with javascript": ("guide.pdf", PDF_WITH_SCRIPT, "JavaScript"),
        "pdf with escaped javascript": ("guide.pdf", PDF_WITH_ESCAPED_SCRIPT, "JavaScript"),
        "png + html polyglot": ("affiche.png", image_bytes("PNG", (8, 8)) + HTML, "abîmée"),
        "png + zip polyglot": ("affiche.png", image_bytes("PNG", (8, 8)) + bomb, "abîmée"),
        "zip bomb": ("guide.pdf", bomb, not_a_document),
        "nested zip": ("guide.zip", zip_of("dedans.zip", bomb), not_a_document),
        "png decompression bomb": ("affiche.png", png_bomb(), "trop grande une fois décompressée"),
        "oversized": ("gros.pdf", pdf_bytes() + b"0" * MAX_UPLOAD_SIZE, "Le fichier dépasse"),
    }


HOSTILE = hostile_files()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def targets(territory, contract, organisation, trainer):
    """Each upload field: (url, the POST data without the file, the file's field name)."""
    material = MaterialFactory(campaign=CampaignFactory(territory=territory), draft=True)
    sheet = ActionSheetFactory(priority__contract=contract, pilot=organisation)
    day = timezone.localdate() - timedelta(days=7)
    session = SessionFactory(
        module=ModuleFactory(territory=territory, trainer_organisation=organisation),
        status=TrainingSession.Status.CONFIRMED,
        slots=[(day, time(9), time(12, 30))],
    )
    session.trainers.add(trainer)
    slot = session.first_slot
    return {
        "material": (reverse("prevention:material_file", args=[material.pk]), {}, "file"),
        "variant": (
            reverse("prevention:variant_add", args=[material.pk]),
            {"purpose": "web", "language": "fr"},
            "file",
        ),
        "attachment": (
            reverse("network:attachment_add", args=[sheet.pk]),
            {"attachment-title": "Programme"},
            "attachment-file",
        ),
        "signed sheet": (
            reverse("trainings:signed_sheet_upload", args=[slot.pk]),
            {},
            f"demi{slot.pk}-file",
        ),
    }


def who(target: str) -> str:
    return {"signed sheet": "trainer", "attachment": "referent"}.get(target, "coordinator")


@pytest.mark.parametrize("target", ["material", "variant", "attachment", "signed sheet"])
def test_every_upload_field_refuses_every_hostile_file_and_writes_nothing(
    request, login, coordinator, referent, trainer, targets, media, target
):
    client = login(request.getfixturevalue(who(target)))
    url, data, field = targets[target]
    for case, (name, content, message) in HOSTILE.items():
        before = table_counts()
        upload = SimpleUploadedFile(name, content, content_type="application/pdf")
        response = client.post(url, {**data, field: upload})
        assert changed_tables(before, table_counts()) == {}, (target, case)
        assert response.status_code in (200, 302, 400), (case, response.status_code)
        html = response.content.decode().replace("&#x27;", "'")
        if response.status_code == 302:  # the refusal is shown on the next page, as a message
            html = " ".join(str(m) for m in get_messages(response.wsgi_request))
        assert message in html, f"{target}, {case}: no French message saying {message!r}"
        assert changed_tables(before, table_counts()) == {}, (target, case)
        assert not [path for path in media.rglob("*") if path.is_file()], (target, case)


@pytest.mark.parametrize("target", ["material", "variant", "attachment", "signed sheet"])
def test_a_real_pdf_and_a_real_png_are_still_accepted(
    request, login, coordinator, referent, trainer, targets, media, target
):
    client = login(request.getfixturevalue(who(target)))
    url, data, field = targets[target]
    for name, content in (("guide.pdf", pdf_bytes()), ("affiche.png", image_bytes("PNG"))):
        before = table_counts()
        client.post(url, {**data, field: SimpleUploadedFile(name, content)}, follow=True)
        assert changed_tables(before, table_counts()), f"{target}: {name} was not stored"


def test_the_import_refuses_archives_and_binaries_before_reading_them(
    login, coordinator, media, monkeypatch
):
    monkeypatch.setattr("maillage.directory.import_views.MAX_UPLOAD_BYTES", 1024 * 1024)
    client = login(coordinator)
    bomb = zip_bomb()
    cases = {
        "zip bomb named .json": (
            "services.json",
            bomb,
            "data-inclusion",
            "n'est pas du texte",
        ),
        "nested zip named .csv": ("services.csv", zip_of("a.zip", bomb), "csv", "pas du texte"),
        "png bomb named .csv": ("services.csv", png_bomb(), "csv", "pas du texte"),
        "html named .json": ("services.json", HTML, "data-inclusion", "n'est pas du JSON"),
        "oversized": ("services.csv", b"a;b\n" * 300_000, "csv", "Le fichier dépasse"),
        "latin-1": ("services.csv", "nom\nAccueil d'écoute".encode("latin-1"), "csv", "UTF-8"),
    }
    for case, (name, content, kind, message) in cases.items():
        before = table_counts()
        response = client.post(
            reverse("directory:import"),
            {"file": SimpleUploadedFile(name, content), "format": kind},
        )
        html = response.content.decode().replace("&#x27;", "'")
        assert response.status_code == 200, case
        assert message in html, f"{case}: no French message saying {message!r}"
        assert changed_tables(before, table_counts()) == {}, case
        assert not [path for path in media.rglob("*") if path.is_file()], case
