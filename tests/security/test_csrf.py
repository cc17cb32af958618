"""CSRF on every form (ASVS 5.0 V3.5): every URL of the URLconf, posted to without a token by a
signed-in administrator, is refused with 403 before its view runs, except the views listed in
CSRF_EXEMPT below, each exempt on purpose for the reason given. A new exempt view fails the
test until it is added there with its reason."""

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from ..conftest import enrol_second_factor, login_with_second_factor
from ..factories import UserFactory

# URL name (namespaced) -> why it has no CSRF protection.
CSRF_EXEMPT = {
    "network:survey_answer": (
        "signatories' survey, /enquetes/<token>/: the secret token in the address authorises "
        "the answer, and a public page sets no cookie"
    ),
    "trainings:registration_access": (
        "the seat offered by email, /formations/inscription/<token>/: same reason"
    ),
    "trainings:evaluation": ("training evaluation, /formations/evaluation/<token>/: same reason"),
    "directory:report": (
        "'report an error' on a public record: no cookie for anonymous visitors; a forgery "
        "could only add an anonymous report (honeypot and rate limit)"
    ),
    "orientation:guide": (
        "the public orientation guide posts its answers to show the next screen and changes "
        "nothing (an anonymous monthly counter at most)"
    ),
    "orientation:summary-pdf": "the guide's printable summary: reads the answers, stores nothing",
    "orientation:preview": (
        "a coordinator's preview of a draft guide: walks it like the public guide, writes nothing"
    ),
    # django-ninja marks its operations exempt and checks CSRF itself for cookie-authenticated
    # operations; the API is read-only (a POST gets 405, checked below).
    "api:di_structures": "read-only API",
    "api:di_services": "read-only API",
    "api:hsds_organizations": "read-only API",
    "api:hsds_services": "read-only API",
    "api:hsds_service": "read-only API",
    "api:orientation": (
        "the orientation API composes a result from the posted situation and writes nothing "
        "(no session, no cookie, no row: checked below)"
    ),
}

SAMPLES = {
    "int": "1",
    "str": "x",
    "slug": "x",
    "path": "1",
    "uuid": str(uuid.UUID(int=1)),
}


def sample_regex(regex: str) -> str:
    """A path matching one of the few regular-expression patterns (admin, allauth)."""

    def group(match: re.Match) -> str:
        body = match.group(1)
        return body.split("|")[0] if "|" in body and "[" not in body else "1"

    return re.sub(r"\((?:\?P<\w+>)?((?:[^()\\]|\\.)*)\)", group, regex).strip("^$")


def sample(pattern) -> str:
    if isinstance(pattern, RegexPattern):
        return sample_regex(pattern.regex.pattern)
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)
    return str(pattern)  # the language prefix: "" in French


def url_name(pattern: URLPattern, namespaces: tuple[str, ...]) -> str | None:
    if pattern.name is None:
        return None
    return ":".join([*namespaces, pattern.name])


def walk_urls(
    patterns=None, prefix: str = "/", namespaces: tuple[str, ...] = ()
) -> Iterator[tuple[str, URLPattern, str | None]]:
    """(sample path, pattern, namespaced name) for every view of the URLconf, in French."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        path = prefix + sample(entry.pattern)
        if isinstance(entry, URLResolver):
            names = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk_urls(entry.url_patterns, path, names)
        else:
            yield path, entry, url_name(entry, namespaces)


def is_exempt(view) -> bool:
    return getattr(view, "csrf_exempt", False)


@pytest.mark.django_db
def test_every_view_refuses_a_post_without_csrf_token():
    administrator = UserFactory(email="admin.csrf@example.org", is_superuser=True, is_staff=True)
    enrol_second_factor(administrator)
    client = Client(enforce_csrf_checks=True)
    login_with_second_factor(client, administrator)

    checked, accepted, unresolved = 0, [], []
    for path, pattern, name in walk_urls():
        match = resolve(path)
        if match.func is not pattern.callback and not is_exempt(pattern.callback):
            # The sample path reaches an earlier pattern: that one is checked in its turn.
            unresolved.append((path, name, match.view_name))
            continue
        if is_exempt(pattern.callback):
            continue
        response = client.post(path, {"x": "1"})
        checked += 1
        if response.status_code != 403:
            accepted.append((path, name, response.status_code))
    assert accepted == []
    assert checked > 400, checked
    assert len(unresolved) < 5, unresolved


def test_the_csrf_exempt_views_are_the_documented_ones():
    exempt = {name for _, pattern, name in walk_urls() if is_exempt(pattern.callback)}
    assert exempt == set(CSRF_EXEMPT)


@pytest.mark.django_db
def test_the_exempt_api_takes_no_post(client):
    api_paths = [
        path
        for path, pattern, name in walk_urls()
        if name and name.startswith("api:") and is_exempt(pattern.callback)
        and name != "api:orientation"
    ]  # fmt: skip
    assert len(api_paths) >= 5
    for path in api_paths:
        assert client.post(path, {}).status_code == 405, path


@pytest.mark.django_db
def test_the_orientation_api_writes_nothing_and_sets_no_cookie(client):
    from ..orientation.conftest import row_counts

    before = row_counts()
    response = client.post(
        "/api/v1/orientation", '{"asker": "victim", "forms": ["conjugal"]}',
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert not response.cookies
    assert row_counts() == before


def test_the_walk_reaches_the_survey_token_view():
    """The sample paths are real: the survey answer page resolves to its view."""
    paths = {name: path for path, _, name in walk_urls()}
    assert resolve(paths["network:survey_answer"]).view_name == "network:survey_answer"
    assert paths["network:survey_answer"] == "/enquetes/x/"
