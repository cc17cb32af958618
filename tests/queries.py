"""Counting a page's own SQL queries: the shared cache's are left out (with the database cache,
production's default without Redis, a rate limit or a cached page is a query on its table; with
Redis it is none), so that the same figure holds whichever cache the suite runs with."""

from django.test.utils import CaptureQueriesContext

CACHE_TABLE = "maillage_cache"


def page_queries(captured: CaptureQueriesContext) -> list[str]:
    """The SQL of the captured queries, but those of the database cache."""
    return [query["sql"] for query in captured.captured_queries if CACHE_TABLE not in query["sql"]]
