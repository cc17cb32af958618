"""CSV and XLSX exports of services, for people (a spreadsheet to print or share).

One row per service, public information only. Every cell that a spreadsheet could take for a
formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from maillage.core.exports import csv_writer, safe_cell, safe_row

from ..models import Service
from .hsds import PREFETCH, public_email, public_phones


def headers() -> list[str]:
    return [
        _("Service"),
        _("Structure"),
        _("Types d'aide"),
        _("Publics"),
        _("Commune"),
        _("Adresse"),
        _("Téléphones"),
        _("Courriel"),
        _("Site web"),
        _("Vérifié le"),
    ]


def service_row(service: Service) -> list[str]:
    """A service as people read it; a hidden address shows as its commune only."""
    places = list(service.places.all())
    phones = [
        f"{phone.label} : {phone.number}" if phone.label else phone.number
        for phone in public_phones(service)
    ]
    row = [
        service.name,
        service.organisation.name,
        ", ".join(t.display_label for t in service.help_types.all()),
        ", ".join(t.display_label for t in service.publics.all()),
        ", ".join(dict.fromkeys(place.commune.name for place in places)),
        " ; ".join(place.public_address for place in places if not place.hide_address),
        " ; ".join(phones),
        public_email(service),
        service.website,
        service.last_verified_on.strftime("%d/%m/%Y") if service.last_verified_on else "",
    ]
    return [safe_cell(value) for value in row]


def rows(services) -> Iterator[list[str]]:
    services = services.select_related("organisation").prefetch_related(*PREFETCH)
    for service in services.order_by("name", "pk"):
        yield service_row(service)


def services_csv(services) -> str:
    """A CSV for French spreadsheets: semicolons; write it as utf-8-sig so Excel reads accents."""
    buffer = io.StringIO()
    writer = csv_writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    writer.writerows(rows(services))
    return buffer.getvalue()


def services_xlsx(services) -> bytes:
    """An XLSX workbook, one sheet, cells written as text (never as formulas)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Services"))
    bold = Font(bold=True)
    header_cells = []
    for title in headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows(services):
        cells = []
        for value in safe_row(row):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, even when it looks like a formula
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
