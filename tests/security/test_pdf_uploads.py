"""Uploaded PDFs are read by a PDF parser: scripts, automatic or outward actions, embedded
files, multimedia and XFA forms are refused whatever their spelling (`/J#61vaScript`) or their
hiding place (a compressed object stream, an object no page refers to); a damaged or locked
file is refused; a plain PDF with a link passes, and so does one whose binary data happens to
hold the bytes "/JS"."""

from __future__ import annotations

import io
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from maillage.core import uploads
from maillage.core.uploads import UploadRefused, check_upload

from ..prevention.factories import pdf_bytes
from .pdfs import PAGE, PAGES, page_pdf, pdf_with_object_stream, pdf_with_script

ACTIVE = re.escape("contient du code (JavaScript) ou une action automatique")
UNREADABLE = "Ce PDF est illisible, abîmé ou protégé par un mot de passe"
TOO_COMPLEX = "Ce PDF est trop complexe pour être vérifié"


def check(content: bytes):
    return check_upload(SimpleUploadedFile("guide.pdf", content))


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def with_document_script() -> bytes:
    """A script of the document's JavaScript name tree (run when it opens)."""
    return page_pdf(
        b"/Names<</JavaScript 4 0 R>>",
        b"",
        b"<</Names[(bonjour) 5 0 R]>>",
        b"<</S/JavaScript/JS(app.alert('bonjour'))>>",
    )


def with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_attachment("facture.exe", b"MZ\x90\x00")
    return written(writer)


def link(action: bytes) -> bytes:
    """A link annotation on the page running `action` when clicked."""
    return page_pdf(
        b"", b"/Annots[4 0 R]", b"<</Type/Annot/Subtype/Link/Rect[0 0 50 50]/A" + action + b">>"
    )


HOSTILE = {
    "escaped JavaScript name": page_pdf(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"),
    "JavaScript run on opening": pdf_with_script(),
    "JavaScript name tree": with_document_script(),
    "JavaScript hidden in a compressed object stream": pdf_with_object_stream(
        visible=[b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE],
        compressed=[b"<</S/JavaScript/JS(app.alert(1))>>"],
    ),
    "JavaScript in an object no page refers to": page_pdf(
        b"", b"", b"<</S/JavaScript/JS(app.alert(1))>>"
    ),
    "escaped name in a compressed object stream": pdf_with_object_stream(
        visible=[b"<</Type/Catalog/Pages 2 0 R>>", PAGES, PAGE],
        compressed=[b"<</S/#4Caunch/F(calc.exe)>>"],
    ),
    "launch action on a link": link(b"<</S/Launch/F(cmd.exe)>>"),
    "form submitted to an address": link(b"<</S/SubmitForm/F(https://example.org/)>>"),
    "data imported from a file": link(b"<</S/ImportData/F(donnees.fdf)>>"),
    "another PDF opened (GoToR)": link(b"<</S/GoToR/F(\\\\\\\\serveur\\\\partage.pdf)/D[0/Fit]>>"),
    "an embedded PDF opened (GoToE)": link(b"<</S/GoToE/T<</R/C/N(a)>>/D[0/Fit]>>"),
    "automatic page action (AA)": page_pdf(b"", b"/AA<</O<</S/URI/URI(https://example.org/)>>>>"),
    "web address opened on opening": page_pdf(b"/OpenAction<</S/URI/URI(https://example.org/)>>"),
    "embedded file": with_embedded_file(),
    "AcroForm with XFA": page_pdf(
        b"/AcroForm<</Fields[]/XFA 4 0 R>>",
        b"",
        b"<</Length 9>>\nstream\n<xdp:xdp>\nendstream",
    ),
    "rich media annotation": page_pdf(
        b"", b"/Annots[4 0 R]", b"<</Type/Annot/Subtype/RichMedia/Rect[0 0 9 9]>>"
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_pdf_with_active_content_is_refused(case):
    with pytest.raises(UploadRefused, match=ACTIVE):
        check(HOSTILE[case])


def test_a_plain_pdf_with_a_link_and_an_opening_view_passes():
    plain = page_pdf(
        b"/OpenAction[3 0 R/Fit]/Outlines 5 0 R",
        b"/Annots[4 0 R]",
        b"<</Type/Annot/Subtype/Link/Rect[0 0 50 50]/A<</S/URI/URI(https://arretonslesviolences.gouv.fr/)>>>>",
        b"<</Type/Outlines/Count 0>>",
    )
    assert check(plain).content_type == "application/pdf"
    assert check(pdf_bytes()).content_type == "application/pdf"
    go_to = page_pdf(b"/OpenAction<</S/GoTo/D[3 0 R/Fit]>>")
    assert check(go_to).content_type == "application/pdf"


def test_binary_data_holding_the_bytes_of_a_name_passes():
    """An image's compressed data may hold "/JS" by chance: only names of objects count."""
    data = zlib.compress(b"\x00" * 64) + b"/JS /JavaScript /Launch\x00\xff"
    image = (
        b"<</Type/XObject/Subtype/Image/Width 8/Height 8/ColorSpace/DeviceGray"
        b"/BitsPerComponent 8/Length %d>>\nstream\n%s\nendstream" % (len(data), data)
    )
    content = page_pdf(b"", b"/Resources<</XObject<</Im1 4 0 R>>>>", image)
    assert check(content).content_type == "application/pdf"


def test_a_loop_of_references_is_walked_once():
    looping = page_pdf(b"/Loop 4 0 R", b"", b"[4 0 R 5 0 R]", b"<</Back 4 0 R/Self 5 0 R>>")
    assert check(looping).content_type == "application/pdf"


def test_a_pdf_the_parser_cannot_read_is_refused():
    for content in (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n",  # no trailer, no cross-reference
        b"%PDF-1.7\n" + bytes(range(256)) * 4,
    ):
        with pytest.raises(UploadRefused, match=UNREADABLE):
            check(content)


def test_a_pdf_locked_by_a_password_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", algorithm="AES-128")
    with pytest.raises(UploadRefused, match=UNREADABLE):
        check(written(writer))


def test_a_pdf_only_protected_against_editing_is_read_and_checked():
    """An empty user password: readers open it without asking, and so does the check."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="", owner_password="proprietaire", algorithm="AES-128")
    assert check(written(writer)).content_type == "application/pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("1")}
    )
    writer.encrypt(user_password="", owner_password="proprietaire", algorithm="AES-128")
    with pytest.raises(UploadRefused, match=ACTIVE):
        check(written(writer))


def test_the_walk_is_bounded(monkeypatch):
    many = page_pdf(b"/Many 4 0 R", b"", b"[" + b"1 " * 5000 + b"]")
    assert check(many).content_type == "application/pdf"
    monkeypatch.setattr(uploads, "MAX_PDF_NODES", 1000)
    with pytest.raises(UploadRefused, match=TOO_COMPLEX):
        check(many)


def test_object_streams_are_decompressed_within_a_budget(monkeypatch):
    padding = b"%" + b"0" * 200_000 + b"\n"
    inflating = pdf_with_object_stream(
        visible=[b"<</Type/Catalog/Pages 2 0 R/Extra 4 0 R>>", PAGES, PAGE],
        compressed=[b"<</Harmless true>>" + padding],
    )
    assert check(inflating).content_type == "application/pdf"
    monkeypatch.setattr(uploads, "MAX_PDF_OBJECT_STREAM_BYTES", 100_000)
    with pytest.raises(UploadRefused, match=TOO_COMPLEX):
        check(inflating)
