"""Small PDFs written byte by byte for the upload checks: each object's body is given, the
cross-reference table (or stream) is computed, so that a real parser reads the file."""

from __future__ import annotations

import io
import zlib

PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Resources<<>>>>"


def pdf(*bodies: bytes, version: bytes = b"1.4") -> bytes:
    """A PDF of these objects (numbered from 1; object 1 is the catalog) with a classic
    cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-" + version + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    )
    return out.getvalue()


def page_pdf(catalog_extra: bytes = b"", page_extra: bytes = b"", *more: bytes) -> bytes:
    """A one-page PDF: `catalog_extra` is added to the catalog, `page_extra` to the page,
    `more` objects follow (numbered from 4)."""
    return pdf(
        b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>",
        PAGES,
        PAGE[:-2] + page_extra + b">>",
        *more,
    )


def pdf_with_object_stream(*, visible: list[bytes], compressed: list[bytes]) -> bytes:
    """A PDF 1.5 whose `visible` objects (numbered from 1; 1 is the catalog) are written
    plainly and whose `compressed` ones (numbered next) sit in a Flate-compressed object
    stream, listed by a cross-reference stream."""
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    entries: list[tuple[int, int, int]] = [(0, 0, 65535)]
    for number, body in enumerate(visible, start=1):
        entries.append((1, out.tell(), 0))
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    first = len(visible) + 1
    stream_number = first + len(compressed)
    header, data = [], b""
    for index, body in enumerate(compressed):
        header.append(b"%d %d" % (first + index, len(data)))
        data += body + b"\n"
        entries.append((2, stream_number, index))
    head = b" ".join(header) + b"\n"
    packed = zlib.compress(head + data)
    entries.append((1, out.tell(), 0))
    out.write(
        b"%d 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
        % (stream_number, len(compressed), len(head), len(packed))
    )
    out.write(packed + b"\nendstream\nendobj\n")
    xref_number = stream_number + 1
    entries.append((1, out.tell(), 0))
    rows = b"".join(
        kind.to_bytes(1, "big") + field.to_bytes(4, "big") + generation.to_bytes(2, "big")
        for kind, field, generation in entries
    )
    xref = out.tell()
    out.write(
        b"%d 0 obj\n<</Type/XRef/Size %d/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n"
        % (xref_number, len(entries), len(rows))
    )
    out.write(rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def pdf_with_script() -> bytes:
    """A JavaScript action run when the document opens."""
    return page_pdf(b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
