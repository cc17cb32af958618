from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.directory.models import ImportJob, Service

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def communes(db):
    from maillage.core.communes import load_communes

    load_communes()  # the sample files are about Angers Loire Métropole


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """POST, then run what waits for the commit: the immediate backend runs the import job."""

    def _post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return _post


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DATA / name).read_bytes())


def test_coordinator_checks_then_imports_a_file(login, coordinator, territory, post):
    client = login(coordinator)
    url = reverse("directory:import")
    before = Service.objects.count()

    response = post(
        client,
        url,
        {"file": upload("services-valides.json"), "format": "data-inclusion", "action": "check"},
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("directory:import_job", args=[job.pk])
    assert job.status == "done" and job.dry_run
    page = client.get(response["Location"]).content.decode()
    assert "Le fichier est valide" in page
    assert Service.objects.count() == before

    response = post(
        client,
        url,
        {"file": upload("services-valides.json"), "format": "data-inclusion", "action": "import"},
    )
    job = ImportJob.objects.latest("created_at")
    assert not job.dry_run
    assert "Import terminé." in client.get(response["Location"]).content.decode()
    assert Service.objects.count() > before
    status = client.get(reverse("directory:import_job_status", args=[job.pk])).json()
    assert status == {"status": "done", "done": job.report["rows"], "total": job.report["rows"],
                      "percent": 100}  # fmt: skip


def test_invalid_rows_are_listed_and_nothing_is_written(login, coordinator, territory, post):
    client = login(coordinator)
    before = Service.objects.count()
    response = post(
        client,
        reverse("directory:import"),
        {"file": upload("services-invalides.json"), "format": "data-inclusion", "action": "import"},
    )
    page = client.get(response["Location"]).content.decode()
    assert "lignes en erreur" in page
    assert "Rien n'a été enregistré." in page
    assert Service.objects.count() == before


def test_a_binary_file_is_refused_in_french(login, coordinator, territory):
    client = login(coordinator)
    response = client.post(
        reverse("directory:import"),
        {"file": SimpleUploadedFile("x.json", b"\x89PNG\x00\x00"), "format": "data-inclusion"},
    )
    assert "n&#x27;est pas du texte" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_only_coordinators_import(login, referent, other_coordinator, coordinator, territory, post):
    assert login(referent).get(reverse("directory:import")).status_code == 403
    client = login(coordinator)
    post(
        client,
        reverse("directory:import"),
        {"file": upload("services-valides.json"), "format": "data-inclusion", "action": "check"},
    )
    job = ImportJob.objects.get()
    other = login(other_coordinator)
    assert other.get(reverse("directory:import_job", args=[job.pk])).status_code == 404
