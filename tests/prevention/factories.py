from datetime import date

import factory

from maillage.prevention.models import (
    Audience,
    Campaign,
    Language,
    Material,
    MaterialVariant,
    PrintOrder,
)

from ..factories import OrganisationFactory, TerritoryFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    territory = factory.SubFactory(TerritoryFactory)
    title = factory.Sequence(lambda n: f"Campagne {n}")
    starts_on = date(2024, 11, 1)


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    campaign = factory.SubFactory(CampaignFactory)
    kind = Material.Kind.GUIDE
    title = factory.Sequence(lambda n: f"Support {n}")
    audience = Audience.GENERAL_PUBLIC
    review_state = Material.ReviewState.VALIDATED
    is_public = True
    stock = 1000

    class Params:
        draft = factory.Trait(review_state=Material.ReviewState.DRAFT)


class PrintOrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PrintOrder

    material = factory.SubFactory(MaterialFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    quantity = 100


class MaterialVariantFactory(factory.django.DjangoModelFactory):
    """A variant with a small PDF stored through the storage API (use with the `media`
    fixture)."""

    class Meta:
        model = MaterialVariant

    material = factory.SubFactory(MaterialFactory)
    purpose = MaterialVariant.Purpose.WEB
    language = Language.FRENCH
    content_type = "application/pdf"
    file = factory.django.FileField(
        filename="variante.pdf", data=b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    size = 40


# Files for the upload tests, built in memory.


def pdf_bytes(width: float = 420, height: float = 595) -> bytes:
    """A real one-page PDF (pypdf), which pypdfium2 can render."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=width, height=height)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (1200, 800), **options) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    """A JPEG carrying the camera's make and a GPS position in its EXIF, and a comment."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "AppareilSecret"  # Make
    exif.get_ifd(0x8825).update({1: "N", 2: (47.0, 28.0, 12.5), 3: "W", 4: (0.0, 33.0, 4.2)})
    return image_bytes("JPEG", (640, 480), exif=exif, comment=b"commentaire-secret")


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A small PNG whose header announces a huge image (a decompression bomb)."""
    import struct
    import zlib

    png = image_bytes("PNG", (1, 1))
    # The IHDR chunk follows the 8-byte signature: length (4), type (4), data (13), CRC (4).
    data = struct.pack(">II", width, height) + png[24:29]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + data) & 0xFFFFFFFF)
    return png[:16] + data + crc + png[33:]
