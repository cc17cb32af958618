"""Canary test: a shelter's confidential address and a line for professionals only, planted in
the demo data with unique strings, never reach someone who may not see them.

Who may not see what:
- the confidential address (a place with `hide_address`): anyone but the owning organisation's
  referent, the coordination and the administrators; checked for an anonymous visitor, a
  professional of another organisation and the referent of another organisation;
- the professionals-only phone line: anonymous visitors (an account without a role sees what
  they see: `sees_professional_records`).

For each of them the test crawls every page it can reach from the home page and the
workspace (same-host links, bounded), adds the pages that need parameters (service pages and
sheets, API list and detail answers, printed guides and reflex sheets, orientation results
and their PDF summary, the open-data exports of `export-services`), reads the text of every
answer (HTML, JSON, CSV, ICS, PDF through pdftotext, XLSX, ZIP) and looks for the canaries.
"""

from __future__ import annotations

import html
import io
import re
import subprocess
import zipfile
from collections import Counter, deque
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from openpyxl import load_workbook

from maillage.core.models import Role, Territory, User
from maillage.directory.models import Place, Service, ServicePhone, Visibility
from maillage.directory.search import Query, reindex, services_for
from maillage.orientation.printed import GuideScope, build_guide

pytestmark = pytest.mark.django_db

SECRET_STREET = "17 impasse Canarivert"
SECRET_PLACE = "Résidence Canarilune"
PRO_LINE_LABEL = "Ligne Canaripro"
PRO_NUMBER = "02 41 97 53 18"
# The number in any spelling: 02 41 97 53 18, 0241975318, 02.41.97.53.18, +33 2 41 97 53 18.
PRO_NUMBER_PATTERN = re.compile(r"(?:0|\+33\s?|0033\s?)2[\s.\-]?41[\s.\-]?97[\s.\-]?53[\s.\-]?18")
ADDRESS_CANARIES = ("canarivert", "canarilune")
PHONE_CANARIES = ("canaripro",)

MAX_PAGES = 400  # per visitor
# Pages of one view and query shape read per visitor (the start URLs come first, so the
# canary service's own pages are always among them): 2 instances of each template are
# enough to see what it prints, and keep the crawl fast.
PER_SHAPE = 2
# Links never followed: static files, the admin (staff only) and the account pages (login,
# logout, second factor: no directory data).
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/", "/compte/", "/en/compte/")


def text_of(response) -> str:
    """The readable text of an answer, whatever its type."""
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf") or body.startswith(b"%PDF"):
        return pdf_text(body)
    if "spreadsheetml" in content_type:
        return xlsx_text(body)
    if content_type.startswith("application/zip"):
        return zip_text(body)
    if content_type.startswith("image/"):
        return ""
    return html.unescape(body.decode("utf-8", errors="replace"))


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def xlsx_text(content: bytes) -> str:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    ]
    workbook.close()
    return "\n".join(cells)


def zip_text(content: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name.endswith(".pdf"):
                parts.append(pdf_text(data))
            elif name.endswith(".xlsx"):
                parts.append(xlsx_text(data))
            else:
                parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


def leaks(text: str, *, phone: bool) -> list[str]:
    """The canaries found in the text."""
    lowered = text.lower()
    found = [canary for canary in ADDRESS_CANARIES if canary in lowered]
    if phone:
        found += [canary for canary in PHONE_CANARIES if canary in lowered]
        found += PRO_NUMBER_PATTERN.findall(text)
    return found


LINK = re.compile(r"""(?:href|src|action)="([^"]+)\"""")


def links(page_url: str, text: str) -> list[str]:
    found = []
    for raw in LINK.findall(text):
        url = urldefrag(urljoin("http://testserver" + page_url, html.unescape(raw)))[0]
        parts = urlsplit(url)
        if parts.netloc != "testserver" or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def shape(url: str) -> tuple:
    """The view and the query's keys: pages of one shape are built by one template."""
    parts = urlsplit(url)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path
    return view, tuple(sorted(key for key, _value in parse_qsl(parts.query)))


def crawl(client, starts: list[str], *, phone: bool) -> tuple[int, dict[str, list[str]]]:
    """Breadth-first crawl from the start URLs; the number of answers read and the leaks."""
    seen: set[str] = set()
    per_shape: Counter = Counter()
    queue = deque(starts)
    found: dict[str, list[str]] = {}
    read = 0
    while queue and read < MAX_PAGES:
        url = queue.popleft()
        if url in seen or per_shape[shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        per_shape[shape(url)] += 1
        cache.clear()  # rate limits and cached pages: each answer is computed for this visitor
        response = client.get(url)
        read += 1
        assert response.status_code != 503, url  # a guide not built: nothing read
        if response.status_code in (301, 302, 303, 307, 308):
            queue.append(response["Location"])
            continue
        text = text_of(response)
        if leaked := leaks(text, phone=phone):
            found[url] = leaked
        if "html" in response.get("Content-Type", ""):
            queue.extend(links(url, text))
    return read, found


@pytest.fixture
def shelter(demo, settings, tmp_path):
    """The demo site, with the canaries planted in the shelter of Solidarité Femmes 49."""
    settings.MEDIA_ROOT = tmp_path
    place = Place.objects.get(hide_address=True)
    place.name, place.address = SECRET_PLACE, SECRET_STREET
    place.full_clean()
    place.save()
    service = place.service
    ServicePhone.objects.filter(service=service).delete()
    ServicePhone.objects.create(
        service=service,
        number=PRO_NUMBER,
        label=PRO_LINE_LABEL,
        visibility=Visibility.PROFESSIONALS,
    )
    reindex([service])
    # The printed guides, built ahead as the worker does (a visitor's request never builds
    # one): the crawl reads them.
    territory = Territory.objects.get()
    for language in ("fr", "en"):
        with translation.override(language):
            build_guide(GuideScope(territory))
            build_guide(GuideScope(territory, territory.communes.get(pk="49007")))
    cache.clear()
    return service


def start_urls(service: Service) -> list[str]:
    territory = Territory.objects.get()
    urls = [
        reverse("directory:service", args=[service.pk]),
        "/en" + reverse("directory:service", args=[service.pk]),
        reverse("directory:service-pdf", args=[service.pk]),
        f"/api/v1/hsds/services/{service.pk}",
        "/",
        "/en/",
        "/espace/",
        "/en/espace/",
    ]
    urls += [
        reverse("directory:search") + "?q=hebergement",
        reverse("directory:search-pdf"),
        reverse("directory:search-pdf") + "?q=hebergement",
        reverse("orientation:reflex-sheets"),
        reverse("orientation:reflex-sheet", args=["49007"]),
        "/guide.pdf",
        f"/guide/{territory.slug}.pdf",
        f"/guide/{territory.slug}/49007.pdf",
        "/api/v1/",
    ]
    for endpoint in ("data-inclusion/structures", "data-inclusion/services"):
        urls += [f"/api/v1/{endpoint}?taille=100", f"/api/v1/{endpoint}?taille=100&page=2"]
    for endpoint in ("hsds/organizations", "hsds/services"):
        urls += [f"/api/v1/{endpoint}?taille=100", f"/api/v1/{endpoint}?taille=100&page=2"]
    return urls


ORIENTATION_TO_SHELTER = [
    ("securite", "oui"),
    ("danger", "non"),
    ("mineur", "non"),
    ("qui", "victime"),
    ("personne", "femme"),
    ("violences", ["couple"]),
    ("besoins", ["abri", "parler"]),
    ("commune", "Angers"),
    ("conditions", []),
]


def orientation_texts(client) -> list[str]:
    """The result screen of the public guide for shelter in Angers, and its PDF summary."""
    answers: dict[str, list[str]] = {}
    response = client.get("/orientation/")
    texts = [text_of(response)]
    for step, values in ORIENTATION_TO_SHELTER:
        values = [values] if isinstance(values, str) else list(values)
        data = {f"a-{key}": value for key, value in answers.items()}
        data |= {"action": "next", "step": step, "answer": values}
        response = client.post("/orientation/", data)
        page = response.content.decode()
        texts.append(html.unescape(page))
        answers = {}
        for name, value in re.findall(
            r'<input type="hidden" name="a-([^"]+)" value="([^"]*)">', page
        ):
            answers.setdefault(name, []).append(value)
    summary = client.post(
        reverse("orientation:summary-pdf"),
        {f"a-{key}": value for key, value in answers.items()} | {"action": "pdf"},
    )
    texts.append(text_of(summary))
    return texts


def exports_texts(tmp_path: Path) -> dict[str, str]:
    """The open-data exports of `maillage export-services`, published for anyone."""
    texts = {}
    for export_format in ("data-inclusion", "hsds", "csv", "xlsx"):
        output = tmp_path / f"export.{export_format}"
        call_command(
            "export-services",
            export_format=export_format,
            output=str(output),
            stderr=io.StringIO(),
        )
        content = output.read_bytes()
        texts[export_format] = (
            xlsx_text(content) if export_format == "xlsx" else content.decode("utf-8-sig")
        )
    return texts


def test_the_canaries_are_planted_where_the_allowed_can_see_them(shelter, client):
    """The test would prove nothing if the canaries were visible to no one."""
    referent = User.objects.get(email="referente@demo.maillage.fr")  # Solidarité Femmes 49
    assert shelter.organisation.roles.filter(user=referent, kind=Role.Kind.REFERENT).exists()
    client.force_login(referent)
    page = text_of(client.get(reverse("directory:service", args=[shelter.pk])))
    assert PRO_NUMBER in page
    edit = text_of(client.get(reverse("directory:service_edit", args=[shelter.pk])))
    assert SECRET_STREET in edit


@pytest.fixture
def visitors(shelter):
    """Who may not see the canaries, and whether the professionals' line is hidden from them
    too."""
    return {
        "anonymous": (None, True),
        "professional of another organisation": (
            User.objects.get(email="professionnel@demo.maillage.fr"),
            False,
        ),
        "referent of another organisation": (
            User.objects.get(email="referent.cidff@demo.maillage.fr"),
            False,
        ),
    }


def test_no_canary_reaches_anyone_not_allowed(shelter, visitors, client, tmp_path, capsys):
    found: dict[str, dict[str, list[str]]] = {}
    counts = {}
    starts = start_urls(shelter)
    for who, (user, phone_hidden) in visitors.items():
        client.logout()
        if user is not None:
            assert not shelter.organisation.roles.filter(user=user).exists()
            client.force_login(user)
        read, leaked = crawl(client, starts, phone=phone_hidden)
        for number, text in enumerate(orientation_texts(client)):
            read += 1
            if hit := leaks(text, phone=phone_hidden):
                leaked[f"/orientation/ (screen {number})"] = hit
        counts[who] = read
        if leaked:
            found[who] = leaked
    for export_format, text in exports_texts(tmp_path).items():
        counts.setdefault("open-data exports", 0)
        counts["open-data exports"] += 1
        if hit := leaks(text, phone=True):
            found.setdefault("open-data exports", {})[export_format] = hit
    with capsys.disabled():
        print(f"\ncanary: answers read per visitor {counts}")
    assert found == {}
    # The crawl did reach the pages where the shelter is listed.
    assert counts["anonymous"] > 80


def test_searching_the_secret_address_does_not_find_the_shelter(shelter, client):
    """Typing a street in the public search must not confirm that a shelter is there."""
    found = [service.pk for service in services_for(Query(text="Canarivert"))]
    found += [service.pk for service in services_for(Query(text="Canarilune"))]
    api = client.get("/api/v1/data-inclusion/services", {"q": "Canarivert", "taille": 100})

    assert shelter.pk not in found
    assert str(shelter.pk) not in api.content.decode()
