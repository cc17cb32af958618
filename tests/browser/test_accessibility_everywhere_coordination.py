"""The other half of tests/browser/test_accessibility_everywhere.py (its docstring says what is
checked): the coordinator's, the administrator's and the empty territory's pages, crawled in a
module of their own so that pytest-xdist runs both halves side by side (each file's tests go to
one worker)."""

import pytest

from .test_accessibility_everywhere import (  # noqa: F401 (collected here too, with this crawl)
    EMPTY_SEARCHES,
    crawl_of,
    pytest_generate_tests,
    test_axe_finds_no_violation_on_any_page,
    test_axe_finds_no_violation_on_error_pages,
    test_pa11y_finds_no_error_on_any_page,
    test_pages_and_roles_are_counted,
)

PART = "coordination"


@pytest.fixture(scope="module")
def crawl(browser, live_server, demo_snapshot, django_db_blocker):
    return crawl_of(PART, browser, live_server.url, django_db_blocker)


def test_empty_states_are_checked(crawl, demo, transactional_db):
    """The lists of a coordinator whose territory holds nothing yet, and searches without
    results, are among the pages crawled."""
    assert set(EMPTY_SEARCHES) <= set(crawl.pages["anonymous"]) | set(crawl.pages["coordinator"])
    assert len(crawl.pages["empty_coordinator"]) >= 15, crawl.pages["empty_coordinator"]
