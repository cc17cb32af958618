"""Whom the per-address limits count: one function (maillage.core.ratelimit.client_address) for
the error reports, the survey answers, the API, the forms' limit and allauth's login limits.

Behind TRUSTED_PROXY_COUNT = N reverse proxies of our own, the client is the N-th address from
the right of X-Forwarded-For (as allauth reads it); without a proxy the header is ignored, since
anyone can write it."""

from __future__ import annotations

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from maillage.core.ratelimit import client_address, client_key
from maillage.directory import freshness
from maillage.network import survey_public_views

from ..directory.factories import ServiceFactory
from ..network.survey_factories import InvitationFactory, build_survey

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"
REPORT = {"kind": "hours", "message": ""}
LOCKED = "Trop de tentatives de connexion échouées"


@pytest.fixture(autouse=True)
def empty_counters():
    cache.clear()
    yield
    cache.clear()


def request_from(remote: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def through_proxy(client_ip: str) -> dict[str, str]:
    """What our reverse proxy sends: the client's address appended to what the client wrote."""
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"203.0.113.250, {client_ip}"}


# The function


def test_without_a_proxy_the_connection_address_counts_and_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request_from("192.0.2.7")) == "192.0.2.7"
    assert client_address(request_from("192.0.2.7", "198.51.100.1")) == "192.0.2.7"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "203.0.113.9, 198.51.100.1", "198.51.100.1"),  # the left one is the client's to forge
        (1, "203.0.113.9,198.51.100.1", "198.51.100.1"),
        (2, "203.0.113.9, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
        (1, "198.51.100.1:5678", "198.51.100.1"),
        (1, "[2001:db8::1]:443", "2001:db8::1"),
        (1, "2001:DB8:0::1", "2001:db8::1"),
    ],
)
def test_behind_n_proxies_the_nth_address_from_the_right_counts(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(PROXY, forwarded)) == expected


@pytest.mark.parametrize(
    ("count", "forwarded"),
    [
        (1, None),  # reached without the proxy
        (1, ""),
        (2, "198.51.100.1"),  # fewer addresses than proxies
        (1, "198.51.100.1, pas-une-adresse"),
        (1, "198.51.100.1, "),
        (1, "198.51.100.1, unknown"),
        (1, "198.51.100.1, 999.1.1.1"),
    ],
)
def test_a_short_or_garbled_header_falls_back_to_the_connection_address(settings, count, forwarded):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_address(request_from(PROXY, forwarded)) == PROXY


def test_the_forms_limit_and_allauth_use_the_same_address(settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    request = request_from(PROXY, "203.0.113.9, 198.51.100.1")
    request.user = AnonymousUser()
    assert client_key(request) == "198.51.100.1"
    assert get_adapter(request).get_client_ip(request) == "198.51.100.1"
    # allauth alone refuses a header shorter than the count (ImproperlyConfigured, a 500):
    # ours falls back to the connection's address.
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = request_from(PROXY, "198.51.100.1")
    assert get_adapter(request).get_client_ip(request) == PROXY


# The limits, through the views


def test_behind_the_proxy_each_client_has_its_own_report_counter(client, organisation, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("directory:report", args=[ServiceFactory(organisation=organisation).pk])
    for n in range(12):
        response = client.post(url, REPORT, **through_proxy(f"198.51.100.{n + 1}"))
        assert response.status_code == 200, f"client {n + 1}: {response.status_code}"
    answers = [
        client.post(url, REPORT, **through_proxy("198.51.100.200")).status_code for _ in range(7)
    ]
    assert answers == [200] * freshness.REPORTS_PER_HOUR + [429] * (7 - freshness.REPORTS_PER_HOUR)


def test_without_a_proxy_a_forged_header_does_not_change_the_report_counter(
    client, organisation, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    url = reverse("directory:report", args=[ServiceFactory(organisation=organisation).pk])
    answers = [
        client.post(
            url, REPORT, REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}"
        ).status_code
        for n in range(7)
    ]
    assert answers[-1] == 429
    assert answers.count(200) == freshness.REPORTS_PER_HOUR


def test_behind_the_proxy_each_client_has_its_own_survey_counter(
    client, contract, organisation, settings, monkeypatch
):
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(survey_public_views, "ANSWERS_PER_HOUR", 1)
    survey = build_survey(contract, open=True)
    invitation = InvitationFactory(survey=survey, organisation=organisation)
    url = reverse("network:survey_answer", args=[invitation.token])
    # An empty form: counted, then refused as invalid (400) rather than recorded.
    assert client.post(url, {}, **through_proxy("198.51.100.1")).status_code == 400
    assert client.post(url, {}, **through_proxy("198.51.100.2")).status_code == 400
    assert client.post(url, {}, **through_proxy("198.51.100.2")).status_code == 429


def test_behind_the_proxy_each_client_has_its_own_api_counter(client, settings, db):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_RATE_LIMIT = 2
    url = "/api/v1/hsds/organizations"
    for n in range(4):
        assert client.get(url, **through_proxy(f"198.51.100.{n + 1}")).status_code == 200
    assert client.get(url, **through_proxy("198.51.100.1")).status_code == 200
    assert client.get(url, **through_proxy("198.51.100.1")).status_code == 429


def test_behind_the_proxy_the_login_limit_counts_each_client(client, settings, db):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/5m/ip"}
    url = reverse("account_login")

    def locked_out(client_ip: str, n: int) -> bool:
        data = {"login": f"personne{n}@example.org", "password": "mauvais mot de passe"}
        response = client.post(url, data, **through_proxy(client_ip))
        return LOCKED in response.content.decode()

    assert [locked_out("198.51.100.1", n) for n in range(3)] == [False, False, True]
    assert not locked_out("198.51.100.2", 9)
