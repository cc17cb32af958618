"""Printable documents: HTML templates with print CSS, rendered to PDF by WeasyPrint.

WeasyPrint never goes to the network: its URL fetcher serves our own static files (the print
stylesheet, images) and refuses everything else, so a printed page makes no request to any
other site, and nothing in a document can make the server fetch a URL.
"""

import gc
import mimetypes
import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from maillage.core.models import EmergencyNumber
from maillage.core.territories import current_territory

# Relative URLs in a document resolve against the site's address; the placeholder only serves
# to recognise our static files when the instance has no SITE_URL.
PLACEHOLDER_BASE_URL = "https://maillage.invalid/"


class RefusedURL(ValueError):
    """A document asked for something else than one of our static files."""


def base_url() -> str:
    return (settings.SITE_URL or PLACEHOLDER_BASE_URL).rstrip("/") + "/"


class StaticFilesFetcher(URLFetcher):
    """Serve `{% static %}` URLs from the static files (finders, then storage); refuse the rest.

    `data:` URLs are decoded locally (no request). Nothing else is fetched: no http(s), no
    file:, no media upload; WeasyPrint logs the refusal and leaves the resource out.
    """

    def __init__(self, base: str) -> None:
        super().__init__(allowed_protocols=["data"], allow_redirects=False)
        # The storage's base URL ("/static/"): url("") of the manifest storage (production)
        # looks "" up in its manifest and fails.
        self.static_prefix = urljoin(base, staticfiles_storage.base_url)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if urlsplit(url).scheme.lower() == "data":
            return super().fetch(url, headers)
        if not url.startswith(self.static_prefix):
            raise RefusedURL(f"Only our static files are served to the PDF renderer: {url}")
        name = static_name(url.removeprefix(self.static_prefix))
        return URLFetcherResponse(
            url,
            body=read_static_file(name),
            headers={"Content-Type": mimetypes.guess_type(name)[0] or "application/octet-stream"},
        )


def static_name(path: str) -> str:
    """The static file's name from the end of its URL, refusing a way out of the static tree."""
    name = posixpath.normpath(unquote(path.split("?", 1)[0].split("#", 1)[0]))
    if not name or name in {".", ".."} or name.startswith(("/", "../")) or "\\" in name:
        raise RefusedURL(f"Not a static file name: {path}")
    return name


def read_static_file(name: str) -> bytes:
    # The finders know the source files (development, tests); the storage knows the collected,
    # possibly hashed, files of a production instance.
    found = finders.find(name)
    if found:
        with open(found, "rb") as source:
            return source.read()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as source:
            return source.read()
    raise RefusedURL(f"No such static file: {name}")


def render_pdf(template_name: str, context: Mapping[str, Any], *, title: str) -> bytes:
    """Render a template to PDF bytes, with `title` as the document's metadata title.

    Every document receives `title`, `generated_at` (now, local time), `territory` and
    `emergency_numbers` (those of the site banner); `context` may override them.
    """
    html = render_to_string(
        template_name,
        {
            "title": title,
            "generated_at": timezone.localtime(),
            "territory": current_territory(),
            "emergency_numbers": EmergencyNumber.objects.filter(is_active=True),
            **context,
        },
    )
    base = base_url()
    document = HTML(string=html, base_url=base, url_fetcher=StaticFilesFetcher(base)).render()
    document.metadata.title = title
    pdf = document.write_pdf()
    # A laid-out document is a web of cycles (boxes and their parents) that only the cyclic
    # collector frees: left to it, the next document's collections walk this one too (the
    # 300-service guide: 6.5 s built first, 9.7 s built next).
    del document
    gc.collect()
    return pdf
