"""/robots.txt and /.well-known/security.txt (RFC 9116)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from maillage.core.secret_paths import secret_url_prefixes

pytestmark = pytest.mark.django_db


def lines(response) -> list[str]:
    return response.content.decode().splitlines()


def test_security_txt_names_the_contact_an_expiry_a_year_ahead_and_the_canonical_url(
    client, settings
):
    settings.SECURITY_CONTACT = "mailto:securite@maillage.example.org"
    settings.SITE_URL = "https://maillage.example.org/"
    moment = timezone.now().replace(microsecond=0) + timedelta(days=40)
    with time_machine.travel(moment, tick=False):
        response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.cookies
    fields = dict(line.split(": ", 1) for line in lines(response))
    assert fields["Contact"] == "mailto:securite@maillage.example.org"
    assert fields["Preferred-Languages"] == "fr, en"
    assert fields["Canonical"] == "https://maillage.example.org/.well-known/security.txt"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", fields["Expires"])
    expires = datetime.fromisoformat(fields["Expires"])
    # RFC 9116 §2.5.5: less than a year ahead is recommended; about a year, never past.
    assert timedelta(days=360) < expires - moment <= timedelta(days=366)


def test_without_a_contact_there_is_no_security_txt(client, settings):
    settings.SECURITY_CONTACT = ""
    assert client.get("/.well-known/security.txt").status_code == 404


def test_robots_txt_opens_the_public_pages_and_closes_the_private_and_personal_links(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.cookies
    rules = lines(response)
    assert rules[0] == "User-agent: *" and rules[-1] == "Allow: /"
    closed = {line.removeprefix("Disallow: ") for line in rules if line.startswith("Disallow:")}
    for prefix in ("/espace/", "/compte/", "/admin/", "/api/", "/en/espace/", "/en/compte/"):
        assert prefix in closed
    for prefix in ("/enquetes/", "/formations/agenda/", "/formations/evaluation/"):
        assert prefix in closed and f"/en{prefix}" in closed

    def allowed(path: str) -> bool:
        return not any(path.startswith(prefix) for prefix in closed)

    # Every personal link is closed to robots, whatever its language.
    for prefix in secret_url_prefixes():
        assert not allowed(prefix + "jeton/"), prefix
    for page in ("core:home", "directory:search", "orientation:guide", "prevention:agenda"):
        assert allowed(reverse(page)), page
    assert allowed("/formations/") and allowed("/en/annuaire/")
