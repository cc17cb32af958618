"""Geocoding down: the edit is saved and the position computed later (a local stub of the Base
Adresse Nationale's /search/ answers, fails or is not there)."""

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.directory.geocoding import geocode_place, pending_places
from maillage.directory.moderation import service_data

from ..conftest import free_port
from ..factories import CommuneFactory
from .factories import PlaceFactory, ServiceFactory
from .test_moderation import post_data

pytestmark = pytest.mark.django_db

ANGERS = {"type": "Point", "coordinates": [-0.5545, 47.4736]}


class Geocoder:
    """A stub BAN: `mode` is "up", "error" (HTTP 500), "garbage" (not JSON) or "weak"."""

    def __init__(self) -> None:
        self.mode = "up"
        self.queries: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                stub.queries.append({"path": parts.path, **parse_qs(parts.query)})
                if stub.mode == "error":
                    self.send_error(500)
                    return
                if stub.mode == "garbage":
                    body = b"<html>maintenance</html>"
                else:
                    score = 0.2 if stub.mode == "weak" else 0.93
                    body = json.dumps(
                        {
                            "type": "FeatureCollection",
                            "features": [
                                {"geometry": ANGERS, "properties": {"score": score}},
                            ],
                        }
                    ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/search/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def geocoder(settings):
    stub = Geocoder()
    settings.GEOCODER_URL = stub.url
    settings.GEOCODER_TIMEOUT = 2
    yield stub
    stub.stop()


@pytest.fixture
def geocoder_down(settings):
    settings.GEOCODER_URL = f"http://127.0.0.1:{free_port()}/search/"  # nothing listens there
    settings.GEOCODER_TIMEOUT = 2


@pytest.fixture
def angers(db):
    return CommuneFactory(insee_code="49007", name="Angers")


@pytest.fixture
def service(organisation, angers):
    service = ServiceFactory(organisation=organisation, name="Accueil de jour")
    PlaceFactory(service=service, commune=angers)
    return service


def move(client, service, address: str, *, hide: bool = False):
    record = service_data(service)
    record["place"].update(address=address, postal_code="49100", hide_address=hide)
    return client.post(reverse("directory:service_edit", args=[service.pk]), post_data(record))


def test_a_new_address_is_geocoded_after_the_edit(
    login, coordinator, service, geocoder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = move(login(coordinator), service, "3 rue Plantagenêt")

    assert response.status_code == 302
    place = service.places.get()
    assert place.address == "3 rue Plantagenêt"
    assert (place.latitude, place.longitude) == (47.4736, -0.5545)
    (query,) = geocoder.queries
    # Only the address leaves: street line, postal code, commune; nothing about anyone.
    assert query == {
        "path": "/search/",
        "q": ["3 rue Plantagenêt"],
        "limit": ["1"],
        "citycode": ["49007"],
        "postcode": ["49100"],
    }


def test_geocoder_down_keeps_the_edit_and_the_command_positions_it_later(
    login, coordinator, service, geocoder_down, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = move(login(coordinator), service, "3 rue Plantagenêt")

    assert response.status_code == 302
    place = service.places.get()
    assert place.address == "3 rue Plantagenêt"
    assert place.latitude is None
    assert list(pending_places()) == [place]

    stub = Geocoder()
    settings.GEOCODER_URL = stub.url
    try:
        out = io.StringIO()
        call_command("geocode-pending", stdout=out)
    finally:
        stub.stop()

    place.refresh_from_db()
    assert (place.latitude, place.longitude) == (47.4736, -0.5545)
    assert "1 lieu(x) localisé(s)" in out.getvalue()
    assert list(pending_places()) == []
    assert place.history.first().latitude == 47.4736  # with its history row


@pytest.mark.parametrize("mode", ["error", "garbage"])
def test_a_bad_answer_leaves_the_place_saved_without_position(service, geocoder, mode):
    geocoder.mode = mode
    place = service.places.get()
    place.latitude = place.longitude = None
    place.save()

    assert geocode_place(place.pk) == "failed"

    place.refresh_from_db()
    assert place.latitude is None
    assert list(pending_places()) == [place]


def test_a_weak_match_is_not_taken(service, geocoder):
    geocoder.mode = "weak"
    place = service.places.get()
    place.latitude = place.longitude = None
    place.save()

    assert geocode_place(place.pk) == "not-found"
    place.refresh_from_db()
    assert place.latitude is None


def test_a_confidential_address_is_never_sent(
    login, coordinator, service, geocoder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        move(login(coordinator), service, "12 rue Secrète", hide=True)
    call_command("geocode-pending", stdout=io.StringIO())

    place = service.places.get()
    assert place.hide_address
    assert place.latitude is None
    assert geocoder.queries == []


def test_geocoding_off_when_no_url(settings, service):
    settings.GEOCODER_URL = ""
    out = io.StringIO()
    call_command("geocode-pending", stdout=out)
    assert "Géocodage désactivé" in out.getvalue()


@pytest.mark.parametrize("value", ["", "https://ban.example.org/search/"])
def test_the_geocoder_url_comes_from_the_environment(value):
    """GEOCODER_URL set empty turns geocoding off in production (it is the only request the
    server sends to another site)."""
    import subprocess
    import sys

    environment = {
        "DJANGO_SETTINGS_MODULE": "maillage.settings",
        "SECRET_KEY": "geocoder-url-test-only",
        "EMAIL_URL": "console://",
        "GEOCODER_URL": value,
        "PATH": "/usr/bin:/bin",
    }
    printed = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.GEOCODER_URL)"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == value + "\n"
