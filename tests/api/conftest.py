import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """Each test starts with an empty request count."""
    cache.clear()
    yield
    cache.clear()
