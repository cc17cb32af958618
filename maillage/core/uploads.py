"""Uploaded files checked by content, not by name: a PDF, PNG or JPEG under a size limit.

The extension and the browser's content type prove nothing (an HTML page renamed `.pdf` stays
an HTML page): the first bytes of the file decide. Shared by the signed attendance sheets
(trainings) and the materials of the prevention library.
"""

from __future__ import annotations

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
    return CheckedUpload(content=content, content_type=sniff(content[:16], hint=type_hint))
