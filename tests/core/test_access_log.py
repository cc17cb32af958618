"""The logs never hold a secret of a path (personal links' tokens, password-reset and
confirmation keys, certificate codes): neither gunicorn's access log of `maillage serve` (nor a
query string nor an address there) nor Django's own lines ("Not Found: /path")."""

from __future__ import annotations

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, path, reverse
from django.utils import translation
from gunicorn.config import Config

from maillage.core.access_log import AccessLogger
from maillage.core.management.commands.serve import ACCESS_LOG_FORMAT
from maillage.core.secret_paths import (
    PLACEHOLDER,
    PUBLIC_KWARGS,
    SECRET_KWARGS,
    SecretPathFilter,
    scrub_path,
    secret_url_patterns,
)

SECRET = "Zq8-SecretToken_0123456789abcdefXYZ"
RESET_PATH = f"/compte/password/reset/key/3f-{SECRET}/"


def view(request, **kwargs):
    return HttpResponse()


# A URLconf of this module: a pattern added tomorrow with a token is covered without a list.
urlpatterns = [
    path("nouveau/<str:token>/lien/", view, name="new_link"),
    path("public/<slug:slug>/", view, name="public"),
]


def log_line(tmp_path, url_path: str, log_format: str = ACCESS_LOG_FORMAT, **environ) -> str:
    """What gunicorn with our logger class writes for one request to `url_path`."""
    config = Config()
    config.set("accesslog", str(tmp_path / "access.log"))
    config.set("access_log_format", log_format)
    logger = AccessLogger(config)
    path_info, _, query = url_path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": url_path,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.44",
        **environ,
    }
    headers = [("HOST", "maillage.example.org")]
    headers += [
        (k.removeprefix("HTTP_").replace("_", "-"), v)
        for k, v in environ.items()
        if k.startswith("HTTP_")
    ]
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, SimpleNamespace(headers=headers), environ, timedelta(milliseconds=7))
    for handler in list(logger.access_log.handlers):
        handler.close()
        logger.access_log.removeHandler(handler)
    return (tmp_path / "access.log").read_text()


@pytest.mark.parametrize(
    "url_path",
    [
        RESET_PATH,
        f"/en{RESET_PATH}",
        f"/compte/confirm-email/{SECRET}/",
        f"/enquetes/{SECRET}/",
        f"/en/enquetes/{SECRET}/",
        f"/formations/agenda/{SECRET}.ics",
        f"/formations/evaluation/{SECRET}/",
        f"/formations/inscription/{SECRET}/",
        f"/formations/inscription/{SECRET}/attestation.pdf",
        f"/formations/attestations/{SECRET}/",
        f"/annuaire/toujours-a-jour/{SECRET}/",
    ],
)
def test_the_log_line_of_a_secret_link_does_not_hold_the_secret(tmp_path, url_path):
    line = log_line(tmp_path, url_path + "?recherche=violences")
    assert SECRET not in line
    assert PLACEHOLDER in line
    assert "violences" not in line and "192.0.2.44" not in line
    assert '"GET /' in line and " 200 512 7ms" in line


def test_the_password_reset_link_keeps_its_shape_without_the_account_nor_the_key(tmp_path):
    line = log_line(tmp_path, RESET_PATH)
    assert f'"GET /compte/password/reset/key/{PLACEHOLDER}-{PLACEHOLDER}/"' in line
    assert "3f-" not in line


def test_other_paths_are_logged_as_they_are(tmp_path):
    assert '"GET /annuaire/" 200' in log_line(tmp_path, "/annuaire/?q=secret")
    assert scrub_path("/territoires/angers/structures/12/") == "/territoires/angers/structures/12/"


def test_whatever_the_format_no_query_string_address_nor_secret_leaves(tmp_path):
    line = log_line(
        tmp_path,
        f"/enquetes/{SECRET}/?recherche=violences",
        log_format="%(h)s %(r)s %(q)s %(f)s %({x-forwarded-for}i)s %({raw_uri}e)s",
        HTTP_REFERER=f"https://maillage.example.org/formations/evaluation/{SECRET}/?x=violences",
        HTTP_X_FORWARDED_FOR="198.51.100.3",
    )
    for leak in (SECRET, "violences", "192.0.2.44", "198.51.100.3"):
        assert leak not in line, line
    assert f"https://maillage.example.org/formations/evaluation/{PLACEHOLDER}/" in line


def test_django_s_own_log_lines_lose_the_secrets_of_the_paths(client, db, caplog):
    caplog.handler.addFilter(SecretPathFilter())
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(f"/enquetes/{SECRET}/").status_code == 404
    assert f"Not Found: /enquetes/{PLACEHOLDER}/" in caplog.text
    assert SECRET not in caplog.text


def test_the_settings_put_the_filter_on_the_console(settings):
    console = settings.LOGGING["handlers"]["console"]
    filters = [settings.LOGGING["filters"][name]["()"] for name in console["filters"]]
    assert "maillage.core.secret_paths.SecretPathFilter" in filters


def test_a_new_pattern_with_a_token_is_covered_without_touching_the_logger():
    urlconf = __name__
    assert scrub_path(f"/nouveau/{SECRET}/lien/", urlconf) == f"/nouveau/{PLACEHOLDER}/lien/"
    assert scrub_path("/public/angers/", urlconf) == "/public/angers/"


def named_patterns() -> dict[str, set[str]]:
    """Every named URL pattern (namespaced name) with the keyword arguments it captures."""
    found: dict[str, set[str]] = {}

    def walk(resolver: URLResolver, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = set(pattern.pattern.regex.groupindex)

    walk(get_resolver(), "")
    return found


def test_every_url_argument_is_either_secret_or_public():
    """A new URL argument (a link's `secret`, `jeton`...) must be classified: if it is secret,
    add it to SECRET_KWARGS and the access log drops it; otherwise to PUBLIC_KWARGS."""
    unknown = {
        name: kwargs - SECRET_KWARGS - PUBLIC_KWARGS
        for name, kwargs in named_patterns().items()
        if kwargs - SECRET_KWARGS - PUBLIC_KWARGS
    }
    assert unknown == {}, (
        f"classify these URL arguments in maillage/core/secret_paths.py: {unknown}"
    )
    assert not SECRET_KWARGS & PUBLIC_KWARGS


def test_every_pattern_with_a_secret_is_scrubbed_in_both_languages():
    with_secrets = {
        name: kwargs for name, kwargs in named_patterns().items() if kwargs & SECRET_KWARGS
    }
    assert {
        "account_reset_password_from_key",
        "account_confirm_email",
        "network:survey_answer",
        "trainings:person_calendar",
        "trainings:registration_access",
        "trainings:registration_certificate_by_token",
        "trainings:evaluation",
        "trainings:certificate_verify",
        "directory:still_up_to_date",
    } <= set(with_secrets)
    assert len(secret_url_patterns()) == len(with_secrets)
    for name, kwargs in with_secrets.items():
        values = {key: SECRET if key in SECRET_KWARGS else "1" for key in kwargs}
        if "uidb36" in values:
            values["uidb36"] = "Zq8SecretAccount0"
        for language in ("fr", "en"):
            with translation.override(language):
                url = reverse(name, kwargs=values)
            scrubbed = scrub_path(url)
            assert SECRET not in scrubbed and "Zq8SecretAccount0" not in scrubbed, url
