"""Spreadsheet-safe text for every CSV/XLSX export.

A cell whose text starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read as a
formula by spreadsheet software (CSV injection, OWASP). Every export writes its rows through
this module: `csv_writer()` for CSV, `safe_row()` before `sheet.append()` for XLSX, so that any
text typed by a partner or a visitor comes out as plain text (prefixed with an apostrophe).
Numbers, dates and booleans stay what they are.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

# The ASCII starts of a formula, and their full-width forms (some spreadsheets fold them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
KEPT_TYPES = (bool, int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)
# Control characters an XLSX file cannot hold (openpyxl refuses the whole workbook): dropped.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas (=, +, -, @, tab, CR at the start) in exported text."""
    text = "" if value is None else CONTROL_CHARACTERS.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_value(value: object) -> object:
    """A cell ready to export: numbers, dates and None as they are, any text made safe."""
    if value is None or isinstance(value, KEPT_TYPES):
        return value
    return safe_cell(value)


def safe_row(row: Iterable[object]) -> list[object]:
    """Every cell of a row through `safe_value`: the one way rows reach an export."""
    return [safe_value(value) for value in row]


class SafeWriter:
    """A `csv.writer` that makes every cell safe before writing it."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **options: Any) -> SafeWriter:
    """`csv.writer(stream, **options)`, each cell neutralised (see the module docstring)."""
    return SafeWriter(stream, **options)
