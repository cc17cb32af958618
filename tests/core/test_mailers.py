import pytest

from maillage.mailers import mailer_from_url


def test_smtp_url_with_submission_port_uses_starttls():
    mailer = mailer_from_url("smtp://alice:p%40ss@smtp.example.org:587")
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.org",
        "port": 587,
        "username": "alice",
        "password": "p@ss",
        "use_ssl": False,
        "use_tls": True,
        "timeout": 10,
    }


def test_smtps_url_uses_implicit_tls():
    options = mailer_from_url("smtps://smtp.example.org")["OPTIONS"]
    assert options["port"] == 465
    assert options["use_ssl"] is True
    assert options["use_tls"] is False


def test_console_url_has_no_options():
    assert mailer_from_url("console://") == {
        "BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_unknown_scheme_is_refused():
    with pytest.raises(ValueError, match="unknown scheme"):
        mailer_from_url("pigeon://loft")
