"""The access matrix, as pretix tests it: every URL pattern, every role, the expected answer.

One test per role walks every rule of `access_matrix.py`, each request inside a savepoint
rolled back afterwards (an allowed POST leaves the world as it was). The admin's patterns follow
one generic rule (administrators only). A pattern without a rule fails the suite.

To see what every role gets today (after adding a module, say), run with
ACCESS_MATRIX_PROBE=/tmp/matrix: the answers are written to /tmp/matrix-<role>.json and nothing
is asserted; then write the rules, and check each answer against the design's rules (another
territory's object: 404; a missing permission: 403).
"""

from __future__ import annotations

import json
import os
import warnings

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.deprecation import RemovedInDjango2028Warning

from ..conftest import login_with_second_factor
from .access_matrix import DENIED, ROLES, RULES

LANGUAGES = ("fr", "en")


def url_patterns() -> dict[str, URLPattern]:
    """Every named pattern of the URLconf, by its full name (namespaces included)."""
    found: dict[str, URLPattern] = {}

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif pattern.name is None and namespace == "admin":
                continue  # the admin's redirect of <object_id>/ to its change page
            else:
                assert pattern.name, f"unnamed pattern {pattern.pattern}: name it"
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver(), "")
    return found


def answer(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith((reverse("account_login"), "/en" + reverse("account_login"))):
            return "L"
        if "/admin/login/" in location:
            return "A"
        return "302"
    return str(response.status_code)


def admin_urls(patterns: dict[str, URLPattern]) -> list[tuple[str, str]]:
    """(name, URL) of every admin pattern, on the first object of its model."""
    urls = []
    for name, pattern in patterns.items():
        if not name.startswith("admin:") or name == "admin:view_on_site":
            continue
        keys = set(pattern.pattern.regex.groupindex)
        model = next(
            (
                model
                for model in admin_site._registry
                if name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_")
            ),
            get_user_model() if name == "admin:auth_user_password_change" else None,
        )
        kwargs: dict = {}
        args: list = []
        if model is not None:
            instance = model._default_manager.order_by("pk").first()
            for key in keys & {"object_id", "id"}:
                kwargs[key] = instance.pk if instance else 0
            if not keys and pattern.pattern.regex.groups == 2:  # simple_history's record page
                record = model.history.order_by("pk").first()
                args = [record.instance.pk, record.pk] if record else [0, 0]
        if "app_label" in keys:
            kwargs["app_label"] = "core"
        urls.append((name, reverse(name, args=args or None, kwargs=kwargs or None)))
    return urls


def request(client, url: str, method: str):
    cache.clear()  # the rate limits (login, signup, reports) count in the cache
    with transaction.atomic():
        response = client.post(url, {}) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    # File responses hold their file open; close them as the test client does (without the
    # signal that would close the database connection).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return answer(response)


class QuickPDF:
    """WeasyPrint's layout costs seconds a document and decides no access: the matrix renders
    the templates, then writes a stub PDF."""

    def __init__(self, **kwargs) -> None:
        self.metadata = type("Metadata", (), {"title": ""})()

    def render(self) -> QuickPDF:
        return self

    def write_pdf(self) -> bytes:
        return b"%PDF-1.4\n%%EOF\n"


def test_every_url_pattern_has_a_rule():
    covered = {rule.name for rule in RULES} | {"admin:view_on_site"}
    missing = sorted(
        name for name in url_patterns() if not name.startswith("admin:") and name not in covered
    )
    assert missing == [], f"URL patterns without a rule in access_matrix.py: {missing}"


def test_every_rule_names_an_existing_pattern():
    stale = sorted({rule.name for rule in RULES} - set(url_patterns()))
    assert stale == []


# allauth's own "mfa/index.html" reads a variable it does not always define; the matrix checks
# access, the template tests of each app check their templates.
@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(role, world, client, monkeypatch):
    monkeypatch.setattr("maillage.directory.pdf.HTML", QuickPDF)
    user = world.users[role]
    if user is not None:
        login_with_second_factor(client, user)
    probe = os.environ.get("ACCESS_MATRIX_PROBE")
    observed: dict[str, str] = {}
    failures = []
    checked = 0
    for rule in RULES:
        kwargs = rule.kwargs(world[rule.scope] if rule.scope else None, world)
        expected = rule.expected[role] if not probe else ""
        # Every pattern in the default language; the /en/ ones too for the anonymous visitor
        # (the public pages), to keep the matrix fast.
        for language in LANGUAGES if role == "anonymous" else LANGUAGES[:1]:
            with translation.override(language):
                url = reverse(rule.name, kwargs=kwargs) + rule.query
            got = request(client, url, rule.method)
            checked += 1
            observed[f"{rule.name}|{rule.scope}|{rule.method}|{language}"] = got
            if got != expected:
                failures.append(f"{rule.method} {url} ({rule.scope}): {got}, expected {expected}")
            if rule.post and rule.method == "GET" and expected in DENIED:
                got = request(client, url, "POST")
                checked += 1
                if got != expected:
                    failures.append(f"POST {url} ({rule.scope}): {got}, expected {expected}")
    with translation.override("fr"):
        urls = admin_urls(url_patterns())
    for name, url in urls:
        with warnings.catch_warnings():
            # simple_history's history page calls select_related() without fields
            # (deprecated in Django 6.1): not ours to fix.
            warnings.simplefilter("ignore", RemovedInDjango2028Warning)
            got = request(client, url, "GET")
        checked += 1
        observed[f"{name}|None|GET|fr"] = got
        if role == "administrator":
            # In, whatever the page answers (a read-only model's add page: 403; an empty
            # table's history: 404), never sent to a login page nor an error.
            allowed = got not in {"A", "L"} and int(got) < 500
        elif name == "admin:login":
            # allauth's secure_admin_login: a visitor is sent to the site's login (throttling,
            # second factor), a signed-in account that is not staff is refused.
            allowed = got == ("L" if role == "anonymous" else "403")
        elif name == "admin:logout":
            allowed = got in {"200", "302"}
        else:
            allowed = got == "A"
        if not allowed:
            failures.append(f"GET {url} (admin): {got}")
    print(f"access matrix, {role}: {checked} requests")
    if probe:
        with open(f"{probe}-{role}.json", "w") as handle:
            json.dump(observed, handle, indent=0)
        return
    assert failures == [], "\n".join(failures)


def test_a_new_account_reaches_nothing_of_the_workspace_by_the_rules():
    """The table itself holds the rule "approved by a coordinator before seeing anything": a
    signed-up account without a role is refused every workspace page but its home and the
    request to join a structure."""
    open_to_newcomers = {"core:workspace", "core:membership_request"}
    patterns = url_patterns()
    workspace = [rule for rule in RULES if str(patterns[rule.name].pattern).startswith("espace/")]
    assert len(workspace) > 100
    allowed = [
        rule.name
        for rule in workspace
        if rule.name not in open_to_newcomers and rule.expected["newcomer"] not in DENIED
    ]
    assert allowed == []
