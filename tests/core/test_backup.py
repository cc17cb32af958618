"""`maillage backup` and `maillage restore`: a round trip gives back every table row for row
(history and task queue tables included) and the uploaded files; a damaged or foreign archive,
or a missing confirmation, changes nothing.

On PostgreSQL (DATABASE_URL) the same tests run pg_dump/pg_restore against the test database:
the round trip is a transactional test (no transaction of ours is open while pg_restore drops
and recreates the tables, and the tables are emptied after it as for every transactional test),
so the other tests keep their database.
"""

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from maillage.core import backup
from maillage.core.models import EmergencyNumber
from maillage.core.tasks import send_email
from maillage.directory.models import Place, Service


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {}},
    }
    return settings.MEDIA_ROOT


def table_checksums() -> dict[str, tuple[int, str]]:
    """Rows of every table of the database, sorted, hashed: (row count, SHA-256)."""
    sums = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                for row in cursor.fetchall()
            )
            sums[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return sums


def representative_data(settings) -> None:
    """On top of the Angers demo (the `demo` fixture: every app's demo module, through the apps'
    own services), a waiting task in the queue and an uploaded file."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_email.enqueue(subject="Sujet", body="Texte", from_email="a@example.org", to=["b@x.org"])
    default_storage.save("supports/affiche.pdf", ContentFile(b"%PDF-1.4 affiche"))


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_gives_back_every_table_and_file(demo, settings, media, tmp_path):
    representative_data(settings)
    before = table_checksums()
    for table in ("directory_historicalservice", DBTaskResult._meta.db_table):
        assert before[table][0] > 0, table
    assert sum(count for count, _digest in before.values()) > 500
    archive = tmp_path / "sauvegarde.tar.gz"

    call_command("backup", "--output", str(archive), stdout=io.StringIO())

    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only
    # Changes after the backup: edits (with history), deletions, a finished task, files.
    service = Service.objects.order_by("pk").last()
    service.name = "modifié"
    service.save()
    Service.objects.filter(pk__in=Service.objects.values("pk")[:3]).delete()
    Place.objects.filter(pk__in=Place.objects.values("pk")[:5]).delete()
    DBTaskResult.objects.all().delete()
    default_storage.delete("supports/affiche.pdf")
    default_storage.save("supports/nouveau.pdf", ContentFile(b"%PDF-1.4 nouveau"))
    assert table_checksums() != before

    output = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=output)

    after = table_checksums()
    assert [t for t in before if before[t] != after.get(t)] == []
    assert after.keys() == before.keys()
    assert (media / "supports/affiche.pdf").read_bytes() == b"%PDF-1.4 affiche"
    assert not (media / "supports/nouveau.pdf").exists()
    assert "Restauration terminée" in output.getvalue()


def small_archive(tmp_path: Path, media: Path) -> Path:
    """A real backup of the current (nearly empty) test database."""
    (media / "a").mkdir(parents=True, exist_ok=True)
    (media / "a" / "fichier.txt").write_text("contenu")
    return backup.create_backup(tmp_path / "petite.tar.gz").path


def rewrite(archive: Path, target: Path, change) -> Path:
    """Copy `archive` to `target`, passing each (TarInfo, bytes) through `change`."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else b""
            for info, content in change(member, data):
                info.size = len(content)
                out.addfile(info, io.BytesIO(content))
    return target


def refused(archive: Path, message: str) -> None:
    labels = list(EmergencyNumber.objects.values_list("label", flat=True))
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert list(EmergencyNumber.objects.values_list("label", flat=True)) == labels


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_or_foreign_archive_and_changes_nothing(
    media, tmp_path, settings
):
    archive = small_archive(tmp_path, media)
    name = backup.DATABASE_FILES[connection.vendor]

    def damage(member, data):
        if member.name == name:
            data = data[:-64] + b"x" * 64
        yield member, data

    def other_engine(member, data):
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
            data = json.dumps(manifest).encode()
        yield member, data

    def newer_version(member, data):
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["migrations"].append(["core", "9999_future"])
            data = json.dumps(manifest).encode()
        yield member, data

    def escape(member, data):
        yield member, data
        if member.name == "manifest.json":
            evil = tarfile.TarInfo("media/../../hors.txt")
            yield evil, b"pirate"

    def extra_file(member, data):
        yield member, data
        if member.name == "manifest.json":
            yield tarfile.TarInfo("media/ajout.txt"), b"non declare"

    refused(rewrite(archive, tmp_path / "1.tar.gz", damage), "Fichier altéré")
    refused(rewrite(archive, tmp_path / "2.tar.gz", other_engine), "Restaurez-la sur le même")
    refused(rewrite(archive, tmp_path / "3.tar.gz", newer_version), "version plus récente")
    refused(rewrite(archive, tmp_path / "4.tar.gz", escape), "élément inattendu")
    refused(rewrite(archive, tmp_path / "5.tar.gz", extra_file), "ne correspond pas")
    truncated = tmp_path / "6.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused(truncated, "illisible ou tronquée")
    other = tmp_path / "7.tar.gz"
    with tarfile.open(other, "w:gz") as out:
        out.addfile(tarfile.TarInfo("photo.jpg"), io.BytesIO(b""))
    refused(other, "pas une sauvegarde de Maillage")
    refused(tmp_path / "absent.tar.gz", "introuvable")
    assert (media / "a" / "fichier.txt").read_text() == "contenu"
    assert not (tmp_path.parent / "hors.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_asks_for_confirmation(media, tmp_path, monkeypatch):
    archive = small_archive(tmp_path, media)
    (media / "a" / "fichier.txt").write_text("modifié")

    with pytest.raises(CommandError, match="relancez avec --yes"):
        call_command("restore", str(archive), stdout=io.StringIO())  # stdin is not a terminal

    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "non")
    with pytest.raises(CommandError, match="rien n'a été modifié"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert (media / "a" / "fichier.txt").read_text() == "modifié"


def test_missing_postgresql_tools_give_a_clear_french_error(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    with pytest.raises(backup.BackupError, match=r"pg_dump est introuvable.*postgresql-client"):
        backup.postgres_binary("pg_dump")


def test_postgresql_password_goes_through_the_environment(monkeypatch, tmp_path):
    seen = {}

    def fake_run(command, env, **kwargs):
        seen.update(command=command, env=env)
        return type("Done", (), {"returncode": 0, "stderr": ""})()

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    monkeypatch.setattr(backup.shutil, "which", lambda name: f"/usr/bin/{name}")
    settings_dict = {
        "HOST": "db.example.org",
        "PORT": 5433,
        "USER": "maillage",
        "PASSWORD": "mot-de-passe-secret",
        "NAME": "maillage",
        "OPTIONS": {"sslmode": "require"},
    }
    fake = type("Wrapper", (), {"settings_dict": settings_dict, "vendor": "postgresql"})()
    monkeypatch.setattr(backup, "connections", {"default": fake})
    monkeypatch.setattr(backup, "engine_of", lambda alias="default": "postgresql")

    backup.dump_database(tmp_path / "x.pgdump")

    assert "mot-de-passe-secret" not in " ".join(seen["command"])
    assert seen["command"][1:] == [
        "--format=custom",
        "--no-password",
        f"--file={tmp_path}/x.pgdump",
    ]
    assert seen["env"]["PGPASSWORD"] == "mot-de-passe-secret"
    assert seen["env"]["PGHOST"] == "db.example.org"
    assert seen["env"]["PGPORT"] == "5433"
    assert seen["env"]["PGSSLMODE"] == "require"
