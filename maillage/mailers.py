"""EMAIL_URL → Django 6.1's MAILERS entry (kept free of Django imports: settings read it)."""

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "consolemail": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
}
TRUE = {"1", "true", "yes", "on"}


def mailer_from_url(url: str) -> dict:
    """`smtp://user:password@host:587?tls=1`, `smtps://host:465`, `console://`, `locmem://`."""
    parts = urlsplit(url)
    if parts.scheme not in BACKENDS:
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r} (smtp, smtps, console)")
    mailer: dict = {"BACKEND": BACKENDS[parts.scheme]}
    if parts.scheme not in ("smtp", "smtps"):
        return mailer
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    options = {
        "host": parts.hostname or "localhost",
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_ssl": parts.scheme == "smtps" or query.get("ssl") in TRUE,
        "use_tls": query.get("tls") in TRUE or (port == 587 and query.get("tls") is None),
        "timeout": int(query.get("timeout", 10)),
    }
    mailer["OPTIONS"] = options
    return mailer
