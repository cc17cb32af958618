"""The hypothesis profile of the hostile-input tests (fuzzing, schemathesis): bounded and
reproducible. Imported by the modules that fuzz; `HYPOTHESIS_FUZZ_EXAMPLES` raises the count
for a longer run by hand (`HYPOTHESIS_FUZZ_EXAMPLES=500 pytest tests/security/test_fuzz_*`)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

from ..queries import CACHE_TABLE

FUZZ_EXAMPLES = int(os.environ.get("HYPOTHESIS_FUZZ_EXAMPLES", "25"))

settings.register_profile(
    "maillage-fuzz",
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run: a CI failure replays locally
    database=None,  # nothing written under .hypothesis/
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the database is rolled back by hand, per example
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)

fuzz_settings = settings.get_profile("maillage-fuzz")


def examples(count: int | None = None) -> settings:
    """The fuzz profile, with `count` examples instead of the default when given."""
    if count is None:
        return settings(fuzz_settings)
    return settings(fuzz_settings, max_examples=min(count, FUZZ_EXAMPLES * 4))


def table_counts() -> dict[str, int]:
    """The number of rows of every table of the database, in one query: compared before and
    after a refused input, nothing may have been written (no partial write)."""
    from django.db import connection

    # The shared cache's table is left out: a rate-limit counter is no data (with Redis it
    # would not be in the database at all).
    tables = sorted(
        name
        for name in connection.introspection.table_names(include_views=False)
        if name != CACHE_TABLE
    )
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue, quoted: nothing from a user.
    query = " UNION ALL ".join(
        f"SELECT {index}, COUNT(*) FROM {quote(name)}"  # noqa: S608
        for index, name in enumerate(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        counts = dict(cursor.fetchall())
    return {name: counts[index] for index, name in enumerate(tables)}


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {
        name: (before.get(name, 0), count)
        for name, count in after.items()
        if before.get(name, 0) != count
    }
