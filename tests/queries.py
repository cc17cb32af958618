"""Counting a page's own SQL queries: the shared cache's are left out (with the database cache,
production's default without Redis, a rate limit or a cached page is a query on its table, in a
savepoint of its own inside a test's transaction; with Redis it is none), so that the same
figure holds whichever cache the suite runs with. Savepoints are transaction control, not
queries: left out too."""

from django.test.utils import CaptureQueriesContext

CACHE_TABLE = "maillage_cache"


def _counts(sql: str) -> bool:
    statement = sql.lstrip().upper()
    return CACHE_TABLE not in sql and not statement.startswith(
        ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    )


def page_queries(captured: CaptureQueriesContext) -> list[str]:
    """The SQL of the captured queries, but the database cache's and the savepoints."""
    return [query["sql"] for query in captured.captured_queries if _counts(query["sql"])]
