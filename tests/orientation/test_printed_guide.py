"""The printed guide "Agir contre les violences sexistes et sexuelles": built from the live
directory, read back with pdftotext (poppler-utils), stored, served, rebuilt in the background."""

import base64
import io
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from maillage.directory.models import Service, Visibility
from maillage.orientation import printed
from maillage.orientation.models import NationalNumber
from maillage.orientation.printed import GuideScope, collect

from ..directory.factories import PhoneFactory, PlaceFactory, ServiceFactory
from ..factories import CommuneFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# Local services of the territory: (name, help types, communes of their places). Names are
# unique and none is a part of another, so that counting a name counts one service.
LOCAL = [
    ("Repère Alpha", ["ecoute"], ["49007"]),
    ("Repère Bravo", ["soins", "ecoute"], ["49007"]),  # listed once, under its first help
    ("Repère Charlie", ["information-juridique"], ["49007", "49353"]),  # two communes, once
    ("Repère Delta", ["information-juridique"], ["49353"]),
    ("Repère Écho", [], ["49015"]),  # no type of help: "Autres contacts"
    ("Repère Foxtrot", ["plainte"], ["49015"]),
    ("Repère Golf", ["accueil-de-jour"], ["49353"]),
    ("Repère Hôtel", ["soutien-psychologique"], ["49007"]),
]
# A 1 by 1 pixel PNG, the territory's logo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAE/wH/kqVqAAAAAElFTkSuQmCC"
)
# Enough other services to fill several pages (an entry must never be split across two).
FILLER = 36


def pdftotext(pdf: bytes) -> str:
    """The PDF's text as poppler reads it; pages are separated by form feeds."""
    assert pdf.startswith(b"%PDF")
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_bytes(response) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def directory_pages(text: str) -> list[str]:
    """The pages of the local directory: from its title to the index (each starts a page)."""
    pages = text.split("\f")
    start = next(i for i, page in enumerate(pages) if "Annuaire local —" in page)
    end = next(i for i in range(start + 1, len(pages)) if "Index des contacts" in pages[i])
    return pages[start:end]


def national_pages(text: str) -> str:
    pages = text.split("\f")
    start = next(i for i, page in enumerate(pages) if "En cas d'urgence" in page)
    end = next(i for i in range(start + 1, len(pages)) if "Annuaire local —" in pages[i])
    return "\f".join(pages[start:end])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()  # the "rebuild already asked for" marks
    yield
    cache.clear()


@pytest.fixture
def communes():
    return {
        code: CommuneFactory(insee_code=code, name=name)
        for code, name in [
            ("49007", "Angers"),
            ("49353", "Trélazé"),
            ("49015", "Avrillé"),
            ("49328", "Saumur"),
        ]
    }


@pytest.fixture
def guide_territory(territory, communes):
    territory.communes.add(communes["49007"], communes["49353"], communes["49015"])
    return territory


@pytest.fixture
def directory(guide_territory, other_territory, communes):
    """Services of the territory, and others that its guide must leave out."""
    organisation = OrganisationFactory(territory=guide_territory, name="Réseau Anjou")
    services = {}
    for number, (name, helps, places) in enumerate(LOCAL):
        service = ServiceFactory(name=name, organisation=organisation, terms__help=helps)
        for code in places:
            PlaceFactory(
                service=service, address=f"{number + 1} rue du Test", commune=communes[code]
            )
        PhoneFactory(service=service, number=f"02 41 10 00 {number:02d}")
        services[name] = service
    for number in range(FILLER):
        name = f"Relais Kilo {number:02d}"
        service = ServiceFactory(
            name=name,
            organisation=organisation,
            summary="Écoute, information et accompagnement des victimes et de leurs proches.",
            walk_in=True,
            terms__help=[["ecoute", "accompagnement-social", "plainte"][number % 3]],
            terms__publics=["victimes", "entourage"],
        )
        PlaceFactory(service=service, commune=communes[["49007", "49353", "49015"][number % 3]])
        PhoneFactory(service=service, number=f"02 41 20 00 {number:02d}")
        services[name] = service
    # Covers the territory without a place in it: the département, a covered commune.
    services["Repère Juliett"] = ServiceFactory(
        name="Repère Juliett",
        organisation=organisation,
        coverage=Service.Coverage.DEPARTMENT,
        coverage_department="49",
        terms__help=["aide-aux-victimes"],
    )
    PlaceFactory(service=services["Repère Juliett"], commune=communes["49328"])
    lima = ServiceFactory(name="Repère Lima", organisation=organisation, terms__help=["ecoute"])
    lima.coverage_communes.add(communes["49353"])
    services["Repère Lima"] = lima
    # A shelter: its street and its place's name never printed, its commune is.
    shelter = ServiceFactory(
        name="Hébergement Orée", organisation=organisation, terms__help=["hebergement-urgence"]
    )
    PlaceFactory(
        service=shelter,
        name="Maison des Tilleuls",
        address="12 rue Secrète",
        commune=communes["49353"],
        latitude=None,
        longitude=None,
        hide_address=True,
    )
    PhoneFactory(service=shelter, number="02 41 30 00 01")
    PhoneFactory(service=shelter, number="02 41 99 99 99", visibility=Visibility.PROFESSIONALS)
    shelter.email = "pros-oree@example.org"
    shelter.email_visibility = Visibility.PROFESSIONALS
    shelter.save()
    services["Hébergement Orée"] = shelter
    # National: in the national numbers, not in the local directory.
    national = ServiceFactory(
        name="Ligne Nationale Oscar",
        organisation=organisation,
        coverage=Service.Coverage.NATIONAL,
        is_24_7=True,
        terms__help=["ecoute"],
    )
    PhoneFactory(service=national, number="3919")
    # A national number of the orientation guide (loaded by a data migration; a transactional
    # test elsewhere may have flushed it).
    NationalNumber.objects.get_or_create(
        code="119", defaults={"number": "119", "name": "Allô Enfance en danger"}
    )
    # Left out: for professionals, a draft, another territory's local service.
    hidden = {
        "Réservé Papa": ServiceFactory(
            name="Réservé Papa", organisation=organisation, visibility=Visibility.PROFESSIONALS
        ),
        "Brouillon Québec": ServiceFactory(
            name="Brouillon Québec", organisation=organisation, status=Service.Status.DRAFT
        ),
        "Saumur Roméo": ServiceFactory(
            name="Saumur Roméo", organisation=OrganisationFactory(territory=other_territory)
        ),
    }
    for service in hidden.values():
        PlaceFactory(
            service=service, commune=communes["49328" if "Saumur" in service.name else "49007"]
        )
    return {"local": services, "national": national, "left_out": hidden}


def guide_url(territory, commune=None) -> str:
    if commune:
        return reverse("printed_guide:commune", args=[territory.slug, commune])
    return reverse("printed_guide:territory", args=[territory.slug])


@pytest.fixture
def get_guide(client, django_capture_on_commit_callbacks):
    """A visitor's guide: a first request hands its build to the worker (the tests' backend
    runs it once the request's transaction commits) and is asked to come back; the next one is
    served the guide."""

    def get(url: str):
        with django_capture_on_commit_callbacks(execute=True):
            first = client.get(url)
        if first.status_code != 503:
            return first
        return client.get(url)

    return get


def test_the_territory_guide_lists_every_public_service_once_in_its_directory(
    directory, guide_territory, get_guide
):
    pdf = pdf_bytes(get_guide(guide_url(guide_territory)))
    text = pdftotext(pdf)
    section = "\f".join(directory_pages(text))

    for name in directory["local"]:
        assert section.count(name) == 1, name
        assert text.count(name) == 2, name  # the directory and the index
    national = directory["national"].name
    assert section.count(national) == 0
    assert national_pages(text).count(national) == 1
    for name in directory["left_out"]:
        assert name not in text
    for printed_text in (
        "Agir contre les violences sexistes et sexuelles",
        "Comment agir",
        "Repérer",
        "Accueillir la parole",
        "Évaluer le danger",
        "Orienter",
        "Passer le relais",
        "Numéros nationaux",
        "Index des contacts",
        "Autres contacts",
        "Ailleurs ou à distance",
        "Édition du",
    ):
        assert printed_text in " ".join(text.split()), printed_text
    numbers = " ".join(national_pages(text).split())
    for number in ("17", "112", "114", "3919", "119 Allô Enfance en danger"):
        assert number in numbers, number


def test_no_entry_is_split_across_two_pages(directory, guide_territory, get_guide):
    pages = directory_pages(pdftotext(pdf_bytes(get_guide(guide_url(guide_territory)))))

    assert len(pages) > 2
    for number in range(FILLER):
        name, phone = f"Relais Kilo {number:02d}", f"02 41 20 00 {number:02d}"
        page = next(page for page in pages if name in page)
        assert phone in page, name


def test_the_guide_shows_no_confidential_address_and_no_professional_detail(
    directory, guide_territory, get_guide
):
    for url in (guide_url(guide_territory), guide_url(guide_territory, "49353")):
        text = pdftotext(pdf_bytes(get_guide(url)))
        assert "Hébergement Orée" in text
        assert "rue Secrète" not in text
        assert "Secrète" not in text
        assert "Tilleuls" not in text
        assert "Trélazé (adresse communiquée par téléphone)" in text
        assert "02 41 30 00 01" in text
        assert "02 41 99 99 99" not in text
        assert "pros-oree@example.org" not in text


def test_the_commune_guide_holds_the_services_covering_that_commune_only(
    directory, guide_territory, get_guide
):
    text = pdftotext(pdf_bytes(get_guide(guide_url(guide_territory, "49007"))))
    section = "\f".join(directory_pages(text))

    for name in ("Repère Alpha", "Repère Bravo", "Repère Charlie", "Repère Hôtel"):
        assert section.count(name) == 1, name
    assert section.count("Repère Juliett") == 1  # covers the whole département
    for name in ("Repère Delta", "Repère Golf", "Repère Foxtrot", "Repère Lima", "Saumur Roméo"):
        assert name not in text, name
    assert "Contacts pour Angers" in text


def test_each_service_is_grouped_under_its_first_help_then_its_first_commune(
    directory, guide_territory
):
    groups = collect(GuideScope(guide_territory)).groups
    where = {
        entry.service.name: (group.label, commune.label)
        for group in groups
        for commune in group.communes
        for entry in commune.entries
    }

    assert where["Repère Bravo"] == ("Parler à quelqu'un", "Angers")  # ecoute comes before soins
    assert where["Repère Charlie"] == ("Connaître ses droits", "Angers")  # Angers before Trélazé
    assert where["Repère Écho"] == ("Autres contacts", "Avrillé")
    assert where["Repère Juliett"][1] == "Ailleurs ou à distance"
    assert where["Repère Lima"] == ("Parler à quelqu'un", "Ailleurs ou à distance")
    labels = [group.label for group in groups]
    assert labels[0] == "Parler à quelqu'un"  # the first help of the taxonomy
    assert labels[-1] == "Autres contacts"


def test_the_default_guide_is_a_pdf_shown_in_the_browser_with_a_discreet_name(
    settings, directory, guide_territory, get_guide
):
    settings.DEFAULT_TERRITORY = guide_territory.slug
    response = get_guide("/guide.pdf")

    pdf = pdf_bytes(response)
    assert pdf.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'inline; filename="guide-angers-loire-metropole.pdf"'
    assert response["Cache-Control"] == "public, max-age=600"
    assert "Set-Cookie" not in response
    assert "violence" not in response["Content-Disposition"].lower()


def test_unknown_territory_unknown_commune_and_a_commune_outside_answer_404(
    client, guide_territory, communes
):
    assert client.get("/guide/nulle-part.pdf").status_code == 404
    assert client.get(guide_url(guide_territory, "99999")).status_code == 404
    assert client.get(guide_url(guide_territory, "49328")).status_code == 404  # Saumur


def test_a_stored_guide_is_served_as_long_as_the_directory_is_unchanged(
    client, directory, guide_territory, monkeypatch, get_guide
):
    first = pdf_bytes(get_guide(guide_url(guide_territory)))

    def no_build(scope):
        raise AssertionError("built again")

    monkeypatch.setattr(printed, "render_guide", no_build)
    assert pdf_bytes(client.get(guide_url(guide_territory))) == first


def test_after_a_change_the_older_guide_is_served_while_a_task_rebuilds_it(
    client, directory, guide_territory, django_capture_on_commit_callbacks, get_guide
):
    url = guide_url(guide_territory)
    pdf_bytes(get_guide(url))
    ServiceFactory(name="Nouveau Sierra", terms__help=["ecoute"])  # the directory changes
    PlaceFactory(service=Service.objects.get(name="Nouveau Sierra"))

    with django_capture_on_commit_callbacks() as rebuilds:
        response = client.get(url)
        again = client.get(url)  # the rebuild is asked for once
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Nouveau Sierra" not in pdftotext(pdf_bytes(response))
    assert "Nouveau Sierra" not in pdftotext(pdf_bytes(again))
    assert len(rebuilds) == 1

    rebuilds[0]()  # the task (the tests' backend runs it at once)

    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=600"
    assert "Nouveau Sierra" in pdftotext(pdf_bytes(response))
    _dirs, files = default_storage.listdir(f"guides/{guide_territory.slug}/fr")
    assert len(files) == 1  # the older file is gone


def test_the_guide_is_stored_by_territory_language_and_commune(
    directory, guide_territory, get_guide
):
    pdf_bytes(get_guide(guide_url(guide_territory)))
    pdf_bytes(get_guide(guide_url(guide_territory, "49007")))

    _dirs, files = default_storage.listdir(f"guides/{guide_territory.slug}/fr")
    assert sorted(name.split("-")[0] for name in files) == ["49007", "all"]


def test_the_english_guide_is_in_english(directory, guide_territory, get_guide):
    text = pdftotext(pdf_bytes(get_guide("/en" + guide_url(guide_territory))))
    assert "How to act" in text
    assert "Repère Alpha" in text


def test_the_directory_page_links_to_the_default_guide(client, guide_territory):
    response = client.get(reverse("directory:search"))
    assert 'href="/guide.pdf"' in response.content.decode()


def test_a_browser_holding_the_current_guide_gets_a_304(
    client, directory, guide_territory, get_guide
):
    response = get_guide(guide_url(guide_territory))
    pdf_bytes(response)

    again = client.get(guide_url(guide_territory), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again["Cache-Control"] == "public, max-age=600"


def test_the_cover_carries_the_territorys_logo(guide_territory, get_guide):
    guide_territory.logo.save("logo.png", ContentFile(PNG))

    reader = PdfReader(io.BytesIO(pdf_bytes(get_guide(guide_url(guide_territory)))))
    assert len(reader.pages[0].images) == 1


def test_a_coordinators_request_waits_for_a_first_build_under_way_rather_than_build_it_again(
    client, directory, guide_territory, monkeypatch, login, coordinator
):
    login(coordinator)  # a coordinator's request builds a guide that has no file yet
    scope = GuideScope(guide_territory)
    name = printed.file_name(scope, printed.guide_label(scope))
    cache.add(f"printed-guide-build:{name}", True)  # another request is building it
    renders = []
    render = printed.render_guide
    monkeypatch.setattr(printed, "render_guide", lambda s: renders.append(s) or render(s))

    def other_request_finishes(seconds):  # while this one waits, the other one's build ends
        if not default_storage.exists(name):
            printed.build_guide(scope)

    monkeypatch.setattr(printed.time, "sleep", other_request_finishes)
    pdf = pdf_bytes(client.get(guide_url(guide_territory)))

    assert len(renders) == 1
    assert "Repère Alpha" in pdftotext(pdf)


def test_a_guide_without_a_file_is_not_built_in_a_visitors_request(
    client, directory, guide_territory, monkeypatch, django_capture_on_commit_callbacks
):
    url = guide_url(guide_territory, "49007")
    renders = []
    render = printed.render_guide
    monkeypatch.setattr(printed, "render_guide", lambda s: renders.append(s) or render(s))

    with django_capture_on_commit_callbacks() as builds:
        answers = [client.get(url) for _visitor in range(5)]

    assert renders == []  # no request built it
    for response in answers:
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert "no-store" in response["Cache-Control"]
        assert not response.cookies
        page = response.content.decode()
        assert "Le guide est en préparation" in page
        assert "Le guide pratique pour Angers est en cours de préparation." in page
        assert f'<a href="{url}">Réessayer d\'ouvrir le guide</a>' in page  # no script needed
        assert "data-quick-exit" in page
        assert 'href="tel:3919"' in page
    assert len(builds) == 1  # one build handed to the worker for the five requests

    builds[0]()  # the worker builds it (the tests' backend runs the task at once)

    response = client.get(url)
    assert len(renders) == 1
    text = pdftotext(pdf_bytes(response))
    assert "Contacts pour Angers" in text
    assert "Repère Alpha" in text


def test_the_territory_guide_is_not_built_in_a_visitors_request_either(
    client, guide_territory, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(printed, "render_guide", lambda s: pytest.fail("built in the request"))
    with django_capture_on_commit_callbacks() as builds:
        territory_guide = client.get(guide_url(guide_territory))
        english = client.get("/en" + guide_url(guide_territory))
    assert territory_guide.status_code == 503
    assert english.status_code == 503
    assert len(builds) == 2  # one per language: two guides


@pytest.mark.parametrize(
    ("who", "builds_it"),
    [
        ("professional", False),
        ("referent", False),
        ("other_coordinator", False),
        ("coordinator", True),
        ("administrator", True),
    ],
)
def test_only_the_territorys_coordinators_and_administrators_build_a_guide_in_their_request(
    request, who, builds_it, client, login, guide_territory, django_capture_on_commit_callbacks
):
    login(request.getfixturevalue(who))
    with django_capture_on_commit_callbacks() as builds:
        response = client.get(guide_url(guide_territory, "49007"))

    if builds_it:
        assert "Contacts pour Angers" in pdftotext(pdf_bytes(response))
        assert builds == []
    else:
        assert response.status_code == 503
        assert len(builds) == 1
