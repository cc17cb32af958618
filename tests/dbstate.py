"""Committed states of the test database, saved once and put back between tests.

Two states:
- "clean": the database as the migrations leave it (their rows: emergency numbers, taxonomy,
  national numbers), saved right after the test database is created;
- "demo": the Angers demo loaded on top of it, with the clock on the demo's day
  (tests/clock.py), once per test session (per worker with pytest-xdist).

Before each test that uses the database, the committed state it needs is put back if another
one is there: "demo" for the tests that ask for the `demo` fixture, "clean" for the others.
The test itself then runs as pytest-django says (in a transaction rolled back at its end, or,
for live-server and transactional tests, on the committed data, flushed at its end; the next
test then gets its state back).

Putting a state back copies it whole: SQLite's online backup API (the in-memory test database
is replaced page by page in milliseconds); on PostgreSQL, each table is copied once into a
schema of its own, then truncated and filled again from it (foreign keys are deferrable, so the
order does not matter), and the sequences are set past the highest keys.
"""

import sqlite3
from dataclasses import dataclass, field

import pytest

CLEAN = "clean"
DEMO = "demo"
DIRTY = "dirty"  # committed rows of a transactional test, or flushed by it


@dataclass
class DatabaseState:
    current: str | None = None  # None until the test database exists
    sqlite_copies: dict[str, sqlite3.Connection] = field(default_factory=dict)
    postgres_tables: dict[str, list[str]] = field(default_factory=dict)  # non-empty tables

    def has(self, name: str) -> bool:
        return name in self.sqlite_copies or name in self.postgres_tables

    def save(self, name: str) -> None:
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.ensure_connection()
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(copy)
            self.sqlite_copies[name] = copy
        elif connection.vendor == "postgresql":
            self.postgres_tables[name] = _save_postgres(connection, name)
        else:  # pragma: no cover - the suite runs on SQLite and PostgreSQL only
            raise NotImplementedError(connection.vendor)
        self.current = name

    def restore(self, name: str) -> None:
        from django.core.cache import cache
        from django.db import connection

        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.sqlite_copies[name].backup(connection.connection)
        else:
            _restore_postgres(connection, name, self.postgres_tables[name])
        cache.clear()
        self.current = name

    def ensure(self, name: str) -> None:
        """Put the committed state `name` back (or "clean" while "demo" is not saved yet: the
        demo is then loaded on top of it by the `demo_snapshot` fixture)."""
        if self.current is None:
            return
        if not self.has(name):
            name = CLEAN
        if self.current != name:
            self.restore(name)


STATE = DatabaseState()


def snapshot_schema(name: str) -> str:
    return f"maillage_test_state_{name}"


def _tables(connection) -> list[str]:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor, include_views=False))
    return sorted(set(connection.introspection.django_table_names(only_existing=True)) & existing)


def _save_postgres(connection, name: str) -> list[str]:
    schema = connection.ops.quote_name(snapshot_schema(name))
    quote = connection.ops.quote_name
    kept = []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        for table in _tables(connection):
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")  # noqa: S608
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {schema}.{quote(table)} AS TABLE {quote(table)}")
                kept.append(table)
    return kept


def _restore_postgres(connection, name: str, tables: list[str]) -> None:
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import transaction

    schema = connection.ops.quote_name(snapshot_schema(name))
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(quote(table) for table in _tables(connection)))
        for table in tables:
            copy = f"INSERT INTO {quote(table)} SELECT * FROM {schema}.{quote(table)}"  # noqa: S608
            cursor.execute(copy)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def forget_snapshots() -> None:
    """At the end of the session: the SQLite copies closed, the PostgreSQL schemas dropped."""
    from django.db import connection

    for copy in STATE.sqlite_copies.values():
        copy.close()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name in STATE.postgres_tables:
            cursor.execute(
                f"DROP SCHEMA IF EXISTS {connection.ops.quote_name(snapshot_schema(name))} CASCADE"
            )


def uses_database(item: pytest.Item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        item.get_closest_marker("django_db")
        or names & {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
    )


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or names & {"transactional_db", "live_server", "django_db_reset_sequences"}
    )
