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
    checked = CheckedUpload(content=content, content_type=sniff(content[:16], hint=type_hint))
    inspect_content(checked)
    return checked


PNG_END = b"IEND\xaeB`\x82"


def inspect_content(checked: CheckedUpload, *, max_pixels: int | None = None) -> None:
    """Refuse what the first bytes do not show: a PDF with scripts, actions or files inside
    (read by a PDF parser, see `inspect_pdf`), an image too large once decompressed, a PNG with
    something else glued after its end (a polyglot), a truncated or unreadable image. No pixel
    is decoded here."""
    if checked.content_type == PDF:
        inspect_pdf(checked.content)
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


# PDFs are read by a parser (pypdf), never searched as bytes: a name may be written with
# escapes (`/J#61vaScript` is `/JavaScript`), objects may sit compressed inside object streams,
# and a search of the raw bytes also finds "/JS" by chance in the compressed data of a large,
# harmless file. Every object of the document is visited (from the trailer, and every object of
# the cross-reference tables, so that compressed and unreferenced ones are read too), and a
# PDF carrying any of these decoded names, as a key or as a value, is refused:
ACTIVE_PDF_NAMES = frozenset(
    {
        # Scripts: the document-level JavaScript name tree, JavaScript actions and their code.
        "/JavaScript",
        "/JS",
        # Actions that run or open something outside the document: launch a program, submit
        # the form's data to an address, import data from a file, open another PDF (GoToR,
        # which also leaks the reader's network credentials on a UNC path) or a PDF embedded
        # in this one (GoToE). A guide for the public has no use for any of them.
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        # Actions run by an event (opening a page, entering a field, closing the document…),
        # not by a click of the reader.
        "/AA",
        # Files carried inside the PDF, and the annotations that show them.
        "/EmbeddedFile",
        "/EmbeddedFiles",
        "/EF",
        "/FileAttachment",
        # Flash and multimedia content, which runs its own code.
        "/RichMedia",
        "/RichMediaContent",
        "/RichMediaExecute",
        "/Rendition",
        # XFA forms: an XML form (with its own scripts) in place of the page content.
        "/XFA",
    }
)
# What the document does when opened: going to a page or a view is harmless (office suites
# write it: `/OpenAction [3 0 R /Fit]`); any other action (opening a web address, printing, a
# script…) happens without the reader asking for it, and is refused.
HARMLESS_OPEN_ACTIONS = frozenset({"/GoTo"})
# Bounds against a hostile file: objects visited (direct and indirect), and bytes decompressed
# for the object streams (each stream is also bounded by pypdf's own limits, lowered below).
MAX_PDF_NODES = 2_000_000
MAX_PDF_OBJECT_STREAM_BYTES = 64 * 1024 * 1024
MAX_PDF_STREAM_OUTPUT = 32 * 1024 * 1024


def _pdf_refused() -> UploadRefused:
    return UploadRefused(
        _(
            "Ce PDF contient du code (JavaScript) ou une action automatique : il est "
            "refusé. Enregistrez-le de nouveau en PDF simple (« Imprimer en PDF »)."
        )
    )


def _pdf_unreadable() -> UploadRefused:
    return UploadRefused(
        _(
            "Ce PDF est illisible, abîmé ou protégé par un mot de passe : enregistrez-le de "
            "nouveau en PDF simple (« Imprimer en PDF ») et redéposez-le."
        )
    )


def _pdf_too_complex() -> UploadRefused:
    return UploadRefused(
        _(
            "Ce PDF est trop complexe pour être vérifié : enregistrez-le de nouveau en PDF "
            "simple (« Imprimer en PDF ») et redéposez-le."
        )
    )


def inspect_pdf(content: bytes) -> None:
    """Read a PDF with pypdf and refuse it (UploadRefused, French message) when it carries
    scripts, automatic or outward actions, embedded files, multimedia or an XFA form (see
    ACTIVE_PDF_NAMES), when it cannot be read (damaged, or protected by a password), or when
    it is too large to be walked within the bounds."""
    import io
    import warnings

    import pypdf
    from pypdf.errors import LimitReachedError

    try:
        with (
            warnings.catch_warnings(),
            pypdf.apply_configuration(
                zlib_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
                lzw_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
                run_length_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
                array_based_stream_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
                brotli_maximum_output_length=MAX_PDF_STREAM_OUTPUT,
            ),
        ):
            warnings.simplefilter("ignore")  # a damaged file is refused below, not warned of
            reader = pypdf.PdfReader(io.BytesIO(content), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise _pdf_unreadable()  # a password is needed to read what it holds
            _decode_object_streams(reader)
            _walk_pdf(reader)
    except UploadRefused:
        raise
    except (LimitReachedError, RecursionError, MemoryError) as error:
        raise _pdf_too_complex() from error
    except Exception as error:  # whatever a hostile file makes the parser raise
        raise _pdf_unreadable() from error


def _decode_object_streams(reader) -> None:
    """Decompress the object streams first, counting their bytes: many small streams that
    each inflate within pypdf's limit must not add up to gigabytes."""
    from pypdf.generic import StreamObject

    total = 0
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        stream = reader.get_object(number)
        if not isinstance(stream, StreamObject):
            raise _pdf_unreadable()
        total += len(stream.get_data())
        if total > MAX_PDF_OBJECT_STREAM_BYTES:
            raise _pdf_too_complex()


def _walk_pdf(reader) -> None:
    """Visit every object once (indirect references resolved, each at most once), refusing
    the document at the first active name; bounded by MAX_PDF_NODES."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NullObject,
    )

    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    nodes = 0
    while stack:
        node = stack.pop()
        nodes += 1
        if nodes > MAX_PDF_NODES:
            raise _pdf_too_complex()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
            if node is None or isinstance(node, NullObject):
                continue
        if isinstance(node, NameObject):
            if node in ACTIVE_PDF_NAMES:
                raise _pdf_refused()
        elif isinstance(node, DictionaryObject):  # streams included (their data is not read)
            for name, value in node.items():
                if name in ACTIVE_PDF_NAMES:
                    raise _pdf_refused()
                if name == "/OpenAction" and not _harmless_open_action(value):
                    raise _pdf_refused()
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)


def _harmless_open_action(value) -> bool:
    """A destination (an array, a name or a string), or a GoTo action."""
    from pypdf.generic import DictionaryObject

    action = value.get_object()
    if not isinstance(action, DictionaryObject):
        return True
    return action.get("/S") in HARMLESS_OPEN_ACTIONS and "/Next" not in action


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
