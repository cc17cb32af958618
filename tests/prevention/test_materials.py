"""The services of materials: review states and their rule, files per purpose and language
(checked by content, images re-encoded without metadata, bombs refused), the preview image,
restocks with their history, the low-stock alert sent when an approval reaches the threshold."""

import io
import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from maillage.core.models import Role
from maillage.core.uploads import UploadRefused
from maillage.prevention import materials as services
from maillage.prevention.materials import MaterialError
from maillage.prevention.models import Material, MaterialVariant
from maillage.prevention.services import approve_print_order, attach_file

from ..factories import RoleFactory, UserFactory
from .factories import (
    MaterialFactory,
    MaterialVariantFactory,
    PrintOrderFactory,
    image_bytes,
    jpeg_with_exif,
    pdf_bytes,
    png_bomb,
)

pytestmark = pytest.mark.django_db
RS = Material.ReviewState
P = MaterialVariant.Purpose
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def draft(campaign):
    return MaterialFactory(
        campaign=campaign, title="Affiche témoin", draft=True, licence="CC BY-ND 4.0"
    )


# Review states


def test_a_draft_without_file_cannot_be_validated(draft, coordinator):
    with pytest.raises(MaterialError, match="Déposez au moins un fichier"):
        services.change_review_state(material=draft, to=RS.VALIDATED, by=coordinator)
    draft.refresh_from_db()
    assert draft.review_state == RS.DRAFT


def test_a_draft_without_licence_cannot_be_validated(draft, coordinator, media):
    MaterialVariantFactory(material=draft)
    draft.licence = ""
    draft.save()
    with pytest.raises(MaterialError, match="licence et les conditions de réutilisation"):
        services.change_review_state(material=draft, to=RS.VALIDATED, by=coordinator)


def test_a_video_is_validated_with_the_link_of_its_page(campaign, coordinator):
    video = MaterialFactory(campaign=campaign, kind="video", draft=True, licence="Libre")
    assert services.validation_problems(video) == [
        "Ajoutez le lien de la page où la vidéo est publiée, ou un fichier."
    ]
    video.external_url = "https://videos.example.org/temoin"
    video.save()
    services.change_review_state(material=video, to=RS.VALIDATED, by=coordinator)
    video.refresh_from_db()
    assert video.review_state == RS.VALIDATED


def test_draft_validated_archived_and_validated_again_with_history(draft, coordinator, media):
    MaterialVariantFactory(material=draft)
    for state in (RS.VALIDATED, RS.ARCHIVED, RS.VALIDATED):
        services.change_review_state(material=draft, to=state, by=coordinator)
        draft.refresh_from_db()
        assert draft.review_state == state
    last = draft.history.first()
    assert (last.history_user, last.history_change_reason) == (coordinator, "État : Validé")


@pytest.mark.parametrize(
    ("start", "target"),
    [(RS.DRAFT, RS.ARCHIVED), (RS.VALIDATED, RS.DRAFT), (RS.ARCHIVED, RS.DRAFT)],
)
def test_other_transitions_are_refused(campaign, coordinator, start, target):
    material = MaterialFactory(campaign=campaign, review_state=start, licence="x")
    with pytest.raises(MaterialError, match="ne peut pas passer"):
        services.change_review_state(material=material, to=target, by=coordinator)


# Files: checked by content, re-encoded, size limits


def test_a_jpeg_is_stored_without_its_exif_gps_or_comment(draft, coordinator, media):
    original = jpeg_with_exif()
    assert b"AppareilSecret" in original and b"commentaire-secret" in original
    variant = services.upload_variant(
        material=draft,
        purpose=P.WEB,
        language="fr",
        upload=upload("photo.png", original),
        by=coordinator,
    )
    stored = read(variant.file)
    assert variant.content_type == "image/jpeg" and variant.file.name.endswith(".jpg")
    assert b"AppareilSecret" not in stored and b"commentaire-secret" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.size == (640, 480)
    assert len(image.getexif()) == 0
    assert "exif" not in image.info and "comment" not in image.info
    assert variant.size == len(stored)


def test_the_main_file_is_re_encoded_too(draft, media):
    attach_file(material=draft, upload=upload("photo.jpg", jpeg_with_exif()))
    stored = read(draft.file)
    assert b"AppareilSecret" not in stored
    assert len(Image.open(io.BytesIO(stored)).getexif()) == 0


def test_a_decompression_bomb_is_refused_before_decoding(draft, coordinator, media):
    with pytest.raises(UploadRefused, match="trop grande une fois décompressée"):
        services.upload_variant(
            material=draft,
            purpose=P.PRINT,
            language="fr",
            upload=upload("bombe.png", png_bomb()),
            by=coordinator,
        )
    assert not MaterialVariant.objects.exists()
    assert not any(media.rglob("*.*"))


def test_html_disguised_as_png_is_refused(draft, coordinator, media):
    with pytest.raises(UploadRefused, match="ni un PDF, ni une image PNG ou JPEG"):
        services.upload_variant(
            material=draft, purpose=P.WEB, language="fr", upload=upload("x.png", HTML), by=None
        )
    assert not MaterialVariant.objects.exists()


def test_a_web_file_is_limited_to_10_mb_a_print_file_to_50(draft, coordinator, media):
    big = pdf_bytes() + b"0" * (11 * 1024 * 1024)
    with pytest.raises(UploadRefused, match="Limite pour un fichier « Web » : 10 Mo"):
        services.upload_variant(
            material=draft, purpose=P.WEB, language="fr", upload=upload("a.pdf", big), by=None
        )
    variant = services.upload_variant(
        material=draft, purpose=P.PRINT, language="fr", upload=upload("a.pdf", big), by=None
    )
    assert variant.size == len(big)


def test_a_new_file_replaces_the_one_of_the_same_purpose_and_language(
    draft, media, django_capture_on_commit_callbacks
):
    first = services.upload_variant(
        material=draft,
        purpose=P.PRINT,
        language="fr",
        bleed_mm=3,
        upload=upload("a.pdf", pdf_bytes()),
        by=None,
    )
    old_name = first.file.name
    with django_capture_on_commit_callbacks(execute=True):
        second = services.upload_variant(
            material=draft,
            purpose=P.PRINT,
            language="fr",
            bleed_mm=5,
            upload=upload("b.pdf", pdf_bytes(300, 300)),
            by=None,
        )
    assert second.pk == first.pk and second.bleed_mm == 5
    assert MaterialVariant.objects.count() == 1
    assert not first.file.storage.exists(old_name)
    assert second.file.storage.exists(second.file.name)


def test_bleed_is_for_print_files_only(draft, media):
    with pytest.raises(MaterialError, match="fond perdu"):
        services.upload_variant(
            material=draft,
            purpose=P.WEB,
            language="fr",
            bleed_mm=3,
            upload=upload("a.pdf", pdf_bytes()),
            by=None,
        )


# Preview


def test_a_preview_is_drawn_from_the_first_page_of_a_pdf(draft, media):
    services.upload_variant(
        material=draft,
        purpose=P.PRINT,
        language="fr",
        upload=upload("a.pdf", pdf_bytes()),
        by=None,
    )
    draft.refresh_from_db()
    preview = Image.open(io.BytesIO(read(draft.preview)))
    assert preview.format == "PNG"
    assert preview.width == services.PREVIEW_WIDTH
    assert preview.height == round(595 * services.PREVIEW_WIDTH / 420)


def test_a_preview_is_drawn_from_an_image_reduced(draft, media):
    attach_file(material=draft, upload=upload("a.png", image_bytes("PNG", (1800, 900))))
    draft.refresh_from_db()
    preview = Image.open(io.BytesIO(read(draft.preview)))
    assert (preview.format, preview.size) == ("PNG", (600, 300))


def test_a_source_file_gives_no_preview(draft, media):
    services.upload_variant(
        material=draft,
        purpose=P.SOURCE,
        language="fr",
        upload=upload("a.pdf", pdf_bytes()),
        by=None,
    )
    draft.refresh_from_db()
    assert not draft.preview


def test_a_failed_preview_keeps_the_upload(draft, media, monkeypatch, caplog):
    def broken(content, content_type):
        raise RuntimeError("pdfium is unhappy")

    monkeypatch.setattr(services, "build_preview", broken)
    with caplog.at_level(logging.ERROR, logger="maillage.prevention.materials"):
        variant = services.upload_variant(
            material=draft,
            purpose=P.WEB,
            language="fr",
            upload=upload("a.pdf", pdf_bytes()),
            by=None,
        )
    draft.refresh_from_db()
    assert not draft.preview
    assert variant.file.storage.exists(variant.file.name)
    assert "could not be built" in caplog.text


def test_deleting_the_last_file_empties_the_preview(
    draft, media, django_capture_on_commit_callbacks
):
    variant = services.upload_variant(
        material=draft,
        purpose=P.WEB,
        language="fr",
        upload=upload("a.pdf", pdf_bytes()),
        by=None,
    )
    draft.refresh_from_db()
    assert draft.preview
    name = variant.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_variant(variant=variant, by=None)
    draft.refresh_from_db()
    assert not draft.preview
    assert not MaterialVariant.objects.exists()
    assert not variant.file.storage.exists(name)


# Stock


def test_a_restock_adds_copies_and_keeps_its_history(guide, coordinator):
    services.restock(material=guide, quantity=250, note="réimpression de mars", by=coordinator)
    guide.refresh_from_db()
    assert guide.stock == 750
    moves = services.stock_history(guide)
    assert (moves[0].change, moves[0].stock, moves[0].by) == (250, 750, coordinator)
    assert moves[0].reason == "Réapprovisionnement : +250 (réimpression de mars)"


@pytest.mark.parametrize("quantity", [0, -5, services.MAX_RESTOCK + 1])
def test_a_restock_needs_a_sensible_quantity(guide, quantity):
    with pytest.raises(MaterialError):
        services.restock(material=guide, quantity=quantity, by=None)
    guide.refresh_from_db()
    assert guide.stock == 500


# Low-stock alert


@pytest.fixture
def low_guide(guide):
    guide.stock_alert_threshold = 100
    guide.save()
    return guide


def test_an_approval_reaching_the_threshold_emails_the_coordinators(
    low_guide,
    organisation,
    coordinator,
    other_coordinator,
    referent,
    django_capture_on_commit_callbacks,
):
    second = UserFactory(email="coordination2@example.org")
    Role.objects.create(
        user=second, kind=Role.Kind.COORDINATOR, territory=low_guide.campaign.territory
    )
    order = PrintOrderFactory(material=low_guide, organisation=organisation, quantity=400)
    with django_capture_on_commit_callbacks(execute=True):
        approve_print_order(order=order, by=coordinator)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["coordination2@example.org", "coordination@example.org"]
    assert "Stock bas" in message.subject and low_guide.title in message.subject
    assert "100 exemplaires" in message.body
    assert f"/espace/prevention/supports/{low_guide.pk}/stock/" in message.body


def test_no_alert_above_the_threshold_nor_once_already_under(
    low_guide, organisation, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_print_order(
            order=PrintOrderFactory(material=low_guide, organisation=organisation, quantity=300),
            by=coordinator,
        )
    assert mail.outbox == []  # 200 left, above 100
    with django_capture_on_commit_callbacks(execute=True):
        approve_print_order(
            order=PrintOrderFactory(material=low_guide, organisation=organisation, quantity=150),
            by=coordinator,
        )
    assert len(mail.outbox) == 1  # 50 left: crossed
    with django_capture_on_commit_callbacks(execute=True):
        approve_print_order(
            order=PrintOrderFactory(material=low_guide, organisation=organisation, quantity=10),
            by=coordinator,
        )
    assert len(mail.outbox) == 1  # already under: no new email


def test_no_alert_when_restocked_before_the_worker_runs(low_guide, coordinator):
    low_guide.stock = 50
    low_guide.save()
    services.restock(material=low_guide, quantity=1000, by=coordinator)
    assert services.send_low_stock_alert.call(material_id=low_guide.pk) is False
    assert mail.outbox == []


def test_no_threshold_no_alert(
    guide, organisation, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approve_print_order(
            order=PrintOrderFactory(material=guide, organisation=organisation, quantity=500),
            by=coordinator,
        )
    assert mail.outbox == []


# The library's visibility


def test_the_library_for_each_visitor(campaign, foreign_organisation, referent, coordinator):
    from django.contrib.auth.models import AnonymousUser

    public = MaterialFactory(campaign=campaign)
    restricted = MaterialFactory(campaign=campaign, is_public=False)
    MaterialFactory(campaign=campaign, is_public=False, draft=True)
    elsewhere = MaterialFactory(is_public=False)
    outsider = RoleFactory(organisation=foreign_organisation).user
    assert set(services.library_for(AnonymousUser())) == {public}
    assert set(services.library_for(referent)) == {public, restricted}
    assert set(services.library_for(coordinator)) == {public, restricted}
    assert set(services.library_for(outsider)) == {public}
    assert elsewhere not in services.library_for(referent)
