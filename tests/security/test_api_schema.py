"""schemathesis against /api/v1/openapi.json, in process (the WSGI app of maillage.wsgi):
no answer 500, and every answer (status, content type, headers, body) matches the schema.

Positive and negative cases (values outside the schema must get a 4xx). One rule no schema
can say: a well-formed INSEE code of no known commune is refused with 422 and a French message
(tests/api covers it); it is the only 422 allowed for a schema-valid request.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ..directory.test_export_data_inclusion import build_directory
from .conftest_fuzz import examples

# The API's own OpenAPI document, as the app serves it (read once, at collection).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def directory(db, organisation, settings):
    """A small directory (public, hidden-address and draft services) behind the API."""
    settings.API_RATE_LIMIT = 10**6  # the rate limit has its own tests (tests/api)
    cache.clear()
    # As Django's test client does: the WSGI handler must not close the connection that holds
    # the test's transaction (on PostgreSQL it would, at the end of each request).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield build_directory(organisation)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@examples(40)
def test_api_answers_match_their_schema_and_never_fail(case, directory):
    response = case.call()
    assert response.status_code < 500, response.text[:500]
    case.validate_response(response, excluded_checks=[positive_data_acceptance])
    if case.meta and case.meta.generation.mode == GenerationMode.POSITIVE:
        if response.status_code == 422:
            # What a schema cannot say: a commune that does not exist; a professional's field
            # given for someone who is not a professional (orientation).
            detail = response.json()["detail"]
            assert detail.startswith(("Commune inconnue", "« professional_kind »")), detail
        else:
            assert response.status_code in (200, 404), response.text[:500]
