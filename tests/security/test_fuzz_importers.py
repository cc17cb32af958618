"""Property-based fuzzing of every importer: the data·inclusion JSON and the CSV import of
the directory (maillage.directory.exchange.importer, behind the back-office import page and
`maillage import-services`), and its opening-hours parser.

Whatever the file holds (a valid file with one value replaced by anything JSON can carry,
random bytes, broken CSV), the import never raises: it answers with a report. A refused file
(any error) writes nothing in any table; an accepted one writes directory rows only.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maillage.directory.exchange.importer import import_services, parse_opening_hours

from ..factories import CommuneFactory
from .conftest_fuzz import changed_tables, examples, table_counts

DATA = Path(__file__).parent.parent / "directory" / "data"
VALID_JSON = json.loads((DATA / "services-valides.json").read_text(encoding="utf-8"))
VALID_CSV = (DATA / "services-valides.csv").read_text(encoding="utf-8")
CSV_ROWS = list(csv.reader(io.StringIO(VALID_CSV, newline="")))

# What an accepted import may write: the directory, its organisations, their history.
WRITABLE_PREFIXES = ("directory_", "core_organisation", "core_historicalorganisation")

HOSTILE_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        '=HYPERLINK("http://x")',
        "<script>alert(1)</script>",
        "9" * 400,
        "é" * 5000,
        "\ud7ff\U0010ffff",
        "Lu-Di 25:99-00:00",
        "2025-02-30",
        "-1",
        "1e309",
        "NaN",
        "../../etc/passwd",
        "dora--sf49",
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
    | HOSTILE_TEXT
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture
def communes(db):
    return [
        CommuneFactory(insee_code="49007", name="Angers", postal_codes=["49000", "49100"]),
        CommuneFactory(insee_code="49015", name="Avrillé", postal_codes=["49240"]),
    ]


def check_import(content: bytes, *, format: str, territory) -> None:
    """Import, and hold the invariants: a report, never an exception; no partial write."""
    before = table_counts()
    report = import_services(io.BytesIO(content), format=format, territory=territory, dry_run=False)
    changed = changed_tables(before, table_counts())
    if report.errors_count:
        assert not report.written
        assert changed == {}, [(e.row, e.field, e.message) for e in report.errors[:3]]
        assert all(error.message for error in report.errors)  # each error says why
    else:
        assert report.written
        assert all(name.startswith(WRITABLE_PREFIXES) for name in changed), changed


def mutated_json(data) -> st.SearchStrategy[bytes]:
    """The valid file, with one field of one record (or a whole record) replaced."""

    @st.composite
    def build(draw):
        document = json.loads(json.dumps(VALID_JSON))
        kind = draw(st.sampled_from(["structures", "services"]))
        records = document[kind]
        index = draw(st.integers(0, len(records) - 1))
        if draw(st.integers(0, 9)) == 0:
            records[index] = draw(JSON_VALUES)
        else:
            keys = [*sorted(records[index]), "champ_inconnu"]
            records[index][draw(st.sampled_from(keys))] = draw(JSON_VALUES)
        return json.dumps(document, ensure_ascii=draw(st.booleans())).encode()

    return build()


def mutated_csv() -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw):
        rows = [list(row) for row in CSV_ROWS]
        row = draw(st.integers(1, len(rows) - 1))
        column = draw(st.integers(0, len(rows[0]) - 1))
        rows[row][column] = draw(
            st.text(st.characters(blacklist_categories=("Cs",)), max_size=80) | HOSTILE_TEXT
        )
        if draw(st.integers(0, 9)) == 0:
            rows[row] = rows[row][: draw(st.integers(0, len(rows[row])))]  # a short line
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode()

    return build()


@pytest.mark.django_db
@given(content=mutated_json(VALID_JSON))
@examples(40)
def test_data_inclusion_import_survives_any_value_in_any_field(communes, territory, content):
    check_import(content, format="data-inclusion", territory=territory)


@pytest.mark.django_db
@given(content=mutated_csv())
@examples(40)
def test_csv_import_survives_any_value_in_any_cell(communes, territory, content):
    check_import(content, format="csv", territory=territory)


@pytest.mark.django_db
@given(
    content=st.binary(max_size=400)
    | st.text(max_size=400).map(lambda text: text.encode("utf-8", "surrogatepass"))
    | st.sampled_from([b"", b"\xef\xbb\xbf", b"[", b"{}", b'{"services": null}', b"[1, 2]"]),
    format=st.sampled_from(["data-inclusion", "csv"]),
)
@examples(40)
def test_any_bytes_get_a_report_and_write_nothing(communes, territory, content, format):
    check_import(content, format=format, territory=territory)


@given(text=st.text(max_size=80) | HOSTILE_TEXT)
@examples(200)
def test_the_opening_hours_parser_never_raises(text):
    hours = parse_opening_hours(text)
    assert hours is None or isinstance(hours.slots, list)
