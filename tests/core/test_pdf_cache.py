"""The helper of the expensive public PDFs: the cache key follows what every printed document
shows, a failing cache is no cache, a private document is never stored, builds are counted."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone, translation

from maillage.core import pdf_cache
from maillage.core.models import EmergencyNumber

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor_request():
    def make(address: str = "192.0.2.10"):
        request = RequestFactory().get("/annuaire/imprimer/", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        return request

    return make


def test_the_key_follows_the_parts_the_language_the_day_and_the_emergency_numbers(territory):
    key = pdf_cache.pdf_cache_key("search", "token-1", "q=juridique")
    assert pdf_cache.pdf_cache_key("search", "token-1", "q=juridique") == key
    assert pdf_cache.pdf_cache_key("search", "token-2", "q=juridique") != key
    assert pdf_cache.pdf_cache_key("service", "token-1", "q=juridique") != key
    with translation.override("en"):
        assert pdf_cache.pdf_cache_key("search", "token-1", "q=juridique") != key
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert pdf_cache.pdf_cache_key("search", "token-1", "q=juridique") != key
    EmergencyNumber.objects.create(number="116006", label="Aide aux victimes")
    assert pdf_cache.pdf_cache_key("search", "token-1", "q=juridique") != key
    territory.primary_colour = "#123456"
    territory.save()
    assert pdf_cache.pdf_cache_key("search", "token-1", "q=juridique") != key


def test_a_document_is_built_once_then_served_from_the_cache(visitor_request):
    builds = []
    key = pdf_cache.pdf_cache_key("test", "one")

    def build() -> bytes:
        builds.append(1)
        return b"%PDF-1.4 one"

    for _request in range(3):
        response = pdf_cache.serve_pdf(visitor_request(), key=key, build=build, filename="a.pdf")
        assert response.content == b"%PDF-1.4 one"
        assert response["Content-Disposition"] == 'inline; filename="a.pdf"'
    assert builds == [1]


def test_a_private_document_is_built_each_time_and_counted(visitor_request, monkeypatch):
    monkeypatch.setattr(pdf_cache, "BUILDS_PER_WINDOW", 2)
    builds = []

    def build() -> bytes:
        builds.append(1)
        return b"%PDF-1.4 private"

    answers = [
        pdf_cache.serve_pdf(visitor_request(), key=None, build=build, filename="contacts.pdf")
        for _request in range(3)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert len(builds) == 2


def test_a_cache_that_fails_is_no_cache(visitor_request, monkeypatch, caplog):
    class BrokenCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(pdf_cache, "cache", BrokenCache())  # the documents' cache only
    key = pdf_cache.pdf_cache_key("test", "broken")
    response = pdf_cache.serve_pdf(
        visitor_request(), key=key, build=lambda: b"%PDF-1.4 built", filename="a.pdf"
    )
    assert response.content == b"%PDF-1.4 built"
    assert "PDF cache not read" in caplog.text
    assert "PDF cache not written" in caplog.text
