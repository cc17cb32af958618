"""Uploaded files checked by content, not by name: a PDF, PNG or JPEG under a size limit.

The extension and the browser's content type prove nothing (an HTML page renamed `.pdf` stays
an HTML page): the first bytes of the file decide. Shared by the signed attendance sheets
(trainings) and the materials of the prevention library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # 10 MB
# The first bytes that tell what a file really is (its extension proves nothing).
MAGIC_BYTES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
)
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg"}


class UploadRefused(Exception):
    """An uploaded file is refused; the message says why, in French."""


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def sniff(head: bytes, *, hint: str = "") -> str:
    """The content type of a file from its first bytes, or UploadRefused."""
    for magic, kind in MAGIC_BYTES:
        if head.startswith(magic):
            return kind
    message = _(
        "Ce fichier n'est ni un PDF, ni une image PNG ou JPEG (son contenu ne correspond "
        "pas, quelle que soit son extension)."
    )
    raise UploadRefused(f"{message} {hint}".strip())


def check_upload(
    upload: UploadedFile,
    *,
    max_size: int = MAX_UPLOAD_SIZE,
    size_hint: str = "",
    type_hint: str = "",
) -> CheckedUpload:
    """Read an upload, refusing it when empty, too large or neither a PDF, PNG nor JPEG."""

    def too_large() -> UploadRefused:
        message = _("Le fichier dépasse %(size)d Mo.") % {"size": max_size // (1024 * 1024)}
        return UploadRefused(f"{message} {size_hint}".strip())

    if upload.size is None or upload.size > max_size:
        raise too_large()
    if upload.size == 0:
        raise UploadRefused(_("Le fichier est vide."))
    upload.seek(0)
    content = upload.read(max_size + 1)
    if len(content) > max_size:
        raise too_large()
    if not content:
        raise UploadRefused(_("Le fichier est vide."))
    checked = CheckedUpload(content=content, content_type=sniff(content[:16], hint=type_hint))
    inspect_content(checked)
    return checked


# What a PDF may not carry: scripts and actions that launch something when it is opened.
PDF_ACTIVE_CONTENT = re.compile(rb"/(?:JavaScript|JS|Launch|RichMedia)(?![A-Za-z0-9])")
PNG_END = b"IEND\xaeB`\x82"


def inspect_content(checked: CheckedUpload, *, max_pixels: int | None = None) -> None:
    """Refuse what the first bytes do not show: a PDF with scripts, an image too large once
    decompressed, a PNG with something else glued after its end (a polyglot), a truncated or
    unreadable image. Only headers are read: no pixel is decoded here."""
    if checked.content_type == PDF:
        if PDF_ACTIVE_CONTENT.search(checked.content):
            raise UploadRefused(
                _(
                    "Ce PDF contient du code (JavaScript) ou une action automatique : il est "
                    "refusé. Enregistrez-le de nouveau en PDF simple (« Imprimer en PDF »)."
                )
            )
        return
    if checked.content_type == PNG:
        end = checked.content.rfind(PNG_END)
        if end == -1 or checked.content[end + len(PNG_END) :].strip(b"\x00"):
            raise UploadRefused(
                _(
                    "Cette image PNG est abîmée ou contient autre chose après l'image : "
                    "enregistrez-la de nouveau et redéposez-la."
                )
            )
    _image_header(checked.content, max_pixels or MAX_IMAGE_PIXELS)


def _image_header(content: bytes, max_pixels: int) -> None:
    _open_image(content, max_pixels, decode=False)


def _open_image(content: bytes, max_pixels: int, *, decode: bool):
    """The image, its size checked from the header before any pixel is decoded; then verified
    (`decode=False`) or decoded (`decode=True`). Bombs and unreadable files are refused."""
    import io
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            if image.width * image.height > max_pixels:
                raise _too_many_pixels(max_pixels)
            if decode:
                image.load()
            else:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(max_pixels) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadRefused(
            _("Cette image est illisible ou abîmée : enregistrez-la de nouveau et redéposez-la.")
        ) from error
    return image


# Images are decoded and saved again before storage: what a camera or an editor hid in them
# (EXIF with the GPS position, comments, XMP) is dropped, and a file crafted to exhaust the
# memory once decoded (a "decompression bomb") is refused before its pixels are read.
MAX_IMAGE_PIXELS = 60_000_000  # 60 megapixels: an A2 poster at 300 dpi, with room to spare
KEPT_IMAGE_INFO = ("icc_profile", "transparency", "dpi")


def _too_many_pixels(max_pixels: int) -> UploadRefused:
    return UploadRefused(
        _(
            "L'image est trop grande une fois décompressée (plus de %(megapixels)d mégapixels) : "
            "réduisez ses dimensions, ou déposez-la en PDF."
        )
        % {"megapixels": max_pixels // 1_000_000}
    )


def reencode_image(checked: CheckedUpload, *, max_pixels: int = MAX_IMAGE_PIXELS) -> CheckedUpload:
    """A PNG or JPEG saved again without its metadata (EXIF, GPS, comments, XMP); the
    orientation it carried is applied to the pixels. Other types are returned as they are."""
    if checked.content_type not in (PNG, JPEG):
        return checked
    import io

    from PIL import ImageOps

    image = _open_image(checked.content, max_pixels, decode=True)
    original_format = image.format
    orientation = image.getexif().get(0x0112, 1)  # EXIF Orientation
    kept = {key: image.info[key] for key in KEPT_IMAGE_INFO if key in image.info}
    if orientation != 1:
        image = ImageOps.exif_transpose(image)
    image.info = dict(kept)
    options: dict = {key: value for key, value in kept.items() if key != "transparency"}
    output = io.BytesIO()
    if checked.content_type == JPEG:
        if orientation == 1 and original_format == "JPEG":
            # Untouched pixels: keep the original quantisation, no loss of quality.
            options.update(quality="keep", subsampling="keep")
        else:
            options.update(quality=95)
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(output, format="JPEG", **options)
    else:
        image.save(output, format="PNG", optimize=True, **options)
    return CheckedUpload(content=output.getvalue(), content_type=checked.content_type)
