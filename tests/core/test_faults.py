"""Database down: every page answers 503 with the emergency numbers, written out in the
template (they normally come from the database), without session nor cookie."""

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import OperationalError
from django.test import Client

from maillage.core.faults import FALLBACK_EMERGENCY_NUMBERS

from ..conftest import free_port

NUMBERS = ['href="tel:3919"', 'href="tel:17"', 'href="tel:112"', 'href="sms:114"', 'href="tel:119"']


@contextmanager
def database_down():
    error = OperationalError("connection to server at 127.0.0.1 failed: Connection refused")
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error):
        yield


def assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    html = response.content.decode()
    for number in NUMBERS:
        assert number in html
    assert "Quitter le site" in html
    assert "Service momentanément indisponible" in html
    assert response["Retry-After"] == "120"
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response
    assert not response.cookies


def test_fallback_list_holds_every_emergency_number():
    assert [n["number"] for n in FALLBACK_EMERGENCY_NUMBERS] == ["17", "112", "114", "3919", "119"]


@pytest.mark.django_db
def test_public_page_answers_503_with_emergency_numbers_when_database_is_down(client, territory):
    assert client.get("/").status_code == 200

    with database_down():
        response = client.get("/")
        search = client.get("/annuaire/?q=hebergement")

    assert_unavailable_page(response)
    assert_unavailable_page(search)


@pytest.mark.django_db
def test_logged_in_visitor_gets_the_503_page_too(referent, territory):
    client = Client(raise_request_exception=False)
    client.force_login(referent)

    with database_down():
        response = client.get("/")  # the session itself cannot be read

    assert_unavailable_page(response)


@pytest.mark.django_db
def test_other_errors_are_not_turned_into_503(client, territory):
    with mock.patch(
        "maillage.core.context_processors.current_territory", side_effect=ValueError("bug")
    ):
        response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500


def test_real_unreachable_postgresql_answers_503():
    """A server process whose PostgreSQL is not listening (a free local port)."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(raise_request_exception=False).get('/'); "
        "print(r.status_code); print(r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/maillage_down",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    status, _, html = result.stdout.partition("\n")
    assert status == "503", result.stderr[-2000:]
    for number in NUMBERS:
        assert number in html
