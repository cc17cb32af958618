"""Paths without their secrets, for the logs: the secret parts of a path (password reset and
email confirmation keys, survey, evaluation, registration and calendar links, certificate
codes) replaced by a placeholder. Used by gunicorn's access log (maillage.core.access_log) and
by a filter on the application's own log lines (Django's "Not Found: /path" and the like).

The secret parts are found from the URLconf itself: every URL keyword argument is named in
SECRET_KWARGS or PUBLIC_KWARGS (tests/core/test_access_log.py fails on a new name), and the
groups of SECRET_KWARGS are cut out of the paths of any pattern that captures them.
"""

from __future__ import annotations

import functools
import logging
import re

# What a URL pattern may capture that must never reach a log: tokens of personal links,
# allauth's email-confirmation and password-reset keys (with the account's id in base 36),
# certificate codes (they show the trainee's name).
SECRET_KWARGS = frozenset({"token", "key", "uidb36", "code"})
# What may: object ids, slugs, INSEE codes, the admin's own arguments...
PUBLIC_KWARGS = frozenset(
    {
        "app_label",
        "content_type_id",
        "contract_pk",
        "extension",
        "history_id",
        "id",
        "insee",
        "object_id",
        "pk",
        "service_id",
        "slug",
        "state",
        "table",
        "territory",
        "url",
        "variant_pk",
    }
)
PLACEHOLDER = "[secret]"


def _without_anchors(regex: str) -> str:
    regex = regex.removeprefix("^")
    for end in ("\\Z", "$"):
        if regex.endswith(end) and not regex.endswith("\\" + end):
            return regex.removesuffix(end)
    return regex


@functools.cache
def secret_url_patterns(urlconf: str | None = None) -> tuple[re.Pattern[str], ...]:
    """The full regular expression (from the root, any language prefix) of every URL pattern
    that captures a keyword argument of SECRET_KWARGS."""
    from django.conf import settings
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern

    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    found: list[re.Pattern[str]] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern.pattern, LocalePrefixPattern):
                part = f"(?:(?:{languages})/)?"
            else:
                part = _without_anchors(pattern.pattern.regex.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, prefix + part)
            else:
                regex = re.compile(f"^/{prefix}{part}\\Z")
                if SECRET_KWARGS & set(regex.groupindex):
                    found.append(regex)

    walk(get_resolver(urlconf), "")
    return tuple(found)


@functools.cache
def secret_url_prefixes(urlconf: str | None = None) -> tuple[str, ...]:
    """The fixed beginning of the paths of the patterns with a secret ("/enquetes/",
    "/en/enquetes/"...), in every language, for robots.txt."""
    from django.conf import settings
    from django.urls import URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern, RoutePattern
    from django.utils import translation

    found: set[str] = set()

    def literal(pattern) -> tuple[str, bool]:
        """The pattern's text up to its first argument, and whether it goes on after."""
        text = str(pattern).removeprefix("^")
        stops = "<" if isinstance(pattern, RoutePattern) else "([\\.^$*+?{|"
        cut = min((text.index(c) for c in stops if c in text), default=None)
        return (text, False) if cut is None else (text[:cut], True)

    def walk(resolver: URLResolver, prefixes: set[str]) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern.pattern, LocalePrefixPattern):
                inner = set()
                for code, _name in settings.LANGUAGES:
                    with translation.override(code):
                        inner |= {p + pattern.pattern.language_prefix for p in prefixes}
                walk(pattern, inner)
                continue
            text, stopped = literal(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if stopped:
                    continue  # no pattern of ours has a secret under a variable prefix
                walk(pattern, {p + text for p in prefixes})
            elif SECRET_KWARGS & set(pattern.pattern.regex.groupindex):
                found.update(f"/{p}{text}" for p in prefixes)

    walk(get_resolver(urlconf), {""})
    return tuple(sorted(found))


def scrub_path(path: str, urlconf: str | None = None) -> str:
    """The path with every secret argument replaced by PLACEHOLDER (the path unchanged when no
    pattern with a secret matches it)."""
    try:
        patterns = secret_url_patterns(urlconf)
    except Exception:  # no URLconf to read: keep only the first segment
        first, _, rest = path.lstrip("/").partition("/")
        return f"/{first}/{PLACEHOLDER}" if rest else path
    for regex in patterns:
        match = regex.match(path)
        if match is None:
            continue
        spans = sorted(
            (match.span(name) for name in SECRET_KWARGS & set(regex.groupindex)), reverse=True
        )
        for start, end in spans:
            if start >= 0:
                path = path[:start] + PLACEHOLDER + path[end:]
        return path
    return path


class SecretPathFilter(logging.Filter):
    """On a log handler: the paths among a record's arguments ("Not Found: %s", "Forbidden
    (CSRF token missing.): %s"...) lose their secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(
            isinstance(arg, str) and arg.startswith("/") for arg in record.args
        ):
            record.args = tuple(
                scrub_path(arg) if isinstance(arg, str) and arg.startswith("/") else arg
                for arg in record.args
            )
        return True
