"""Backup and restore of the database and the uploaded files, in one archive.

`maillage backup` writes one `.tar.gz` holding:

- `manifest.json`: format version, engine, date, the applied migrations, and the SHA-256 of
  every other member;
- `database.sqlite3` (SQLite's online backup API: a consistent copy while the app runs) or
  `database.pgdump` (`pg_dump --format=custom`);
- `media/...`: the uploaded files under MEDIA_ROOT (local file storage only; an object store
  such as S3 keeps its own copies and is left out, said on the output).

`maillage restore` checks the whole archive before touching anything (manifest, engine, member
names, checksums, the database copy itself, migrations known to this code), then replaces the
database (the backup API again on SQLite; `pg_restore --clean --if-exists --no-owner
--single-transaction` on PostgreSQL) and the uploaded files. PostgreSQL's connection settings
reach pg_dump and pg_restore through the environment (PGHOST, PGPORT, PGUSER, PGPASSWORD...),
never on their command line.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "maillage-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person running it."""


@dataclass
class BackupSummary:
    path: Path
    engine: str
    media_files: int
    media_included: bool
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def engine_of(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(_("Moteur de base de données non pris en charge : %s.") % vendor)
    return vendor


def local_media_root() -> Path | None:
    """MEDIA_ROOT when uploaded files are stored there (FileSystemStorage), else None."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.location)
    return None


# PostgreSQL -------------------------------------------------------------------------------


def postgres_binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "Le programme %(name)s est introuvable : installez les outils clients de "
                "PostgreSQL (paquet Debian postgresql-client, de la même version majeure que le "
                "serveur ou plus récente)."
            )
            % {"name": name}
        )
    return found


def postgres_environment(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """libpq's variables for the database of `alias`: secrets never appear on a command line."""
    database = connections[alias].settings_dict
    options = database.get("OPTIONS", {})
    env = {**os.environ}
    pairs = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
        "PGAPPNAME": "maillage-backup",
    }
    for key, value in pairs.items():
        if value not in (None, ""):
            env[key] = str(value)
    return env


def run_postgres_tool(command: list[str], alias: str) -> None:
    result = subprocess.run(  # noqa: S603 (pg_dump/pg_restore found on PATH, our arguments)
        command, env=postgres_environment(alias), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s a échoué (code %(code)s) : %(error)s")
            % {
                "tool": Path(command[0]).name,
                "code": result.returncode,
                "error": result.stderr.strip()[-2000:],
            }
        )


# Backup ------------------------------------------------------------------------------------


def dump_database(target: Path, alias: str = DEFAULT_DB_ALIAS) -> None:
    engine = engine_of(alias)
    connection = connections[alias]
    if engine == "sqlite":
        if connection.in_atomic_block:
            # SQLite's backup would wait forever for our own open transaction.
            raise BackupError(
                _("La sauvegarde ne peut pas se faire dans une transaction en cours.")
            )
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        run_postgres_tool(
            [postgres_binary("pg_dump"), "--format=custom", "--no-password", f"--file={target}"],
            alias,
        )


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[alias])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def default_backup_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"maillage-{stamp}.tar.gz"


def create_backup(output: Path | None = None, alias: str = DEFAULT_DB_ALIAS) -> BackupSummary:
    """Write the archive to `output` (readable by its owner only: it holds personal data)."""
    engine = engine_of(alias)
    output = Path(output) if output else default_backup_path()
    output.parent.mkdir(parents=True, exist_ok=True)
    root = local_media_root()
    with tempfile.TemporaryDirectory(prefix="maillage-backup-") as workdir:
        database_file = Path(workdir) / DATABASE_FILES[engine]
        dump_database(database_file, alias)
        files = media_files(root) if root else []
        checksums = {DATABASE_FILES[engine]: sha256_of(database_file)}
        for path in files:
            checksums[MEDIA_PREFIX + path.relative_to(root).as_posix()] = sha256_of(path)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "engine": engine,
            "created_at": datetime.now(UTC).isoformat(),
            "database": DATABASE_FILES[engine],
            "media_included": root is not None,
            "migrations": applied_migrations(alias),
            "sha256": checksums,
        }
        manifest_file = Path(workdir) / MANIFEST
        manifest_file.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial = output.with_name(output.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as handle,
                tarfile.open(fileobj=handle, mode="w:gz") as archive,
            ):
                archive.add(manifest_file, MANIFEST)
                archive.add(database_file, DATABASE_FILES[engine])
                for path in files:
                    archive.add(path, MEDIA_PREFIX + path.relative_to(root).as_posix())
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return BackupSummary(
        path=output,
        engine=engine,
        media_files=len(files),
        media_included=root is not None,
        size=output.stat().st_size,
    )


# Restore -----------------------------------------------------------------------------------


@dataclass
class CheckedBackup:
    """An archive unpacked into `workdir` and found sound."""

    workdir: Path
    manifest: dict
    database_file: Path
    media_dir: Path
    missing_migrations: list[list[str]]
    media_files: int = 0


def safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def check_backup(archive_path: Path, workdir: Path, alias: str = DEFAULT_DB_ALIAS) -> CheckedBackup:
    """Unpack into `workdir` and check everything; raise BackupError (French) otherwise."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(_("Fichier introuvable : %s") % archive_path)
    try:
        with tarfile.open(archive_path, mode="r:*") as archive:
            members = archive.getmembers()
            for member in members:
                if not (member.isfile() or member.isdir()) or not safe_member_name(member.name):
                    raise BackupError(
                        _("Archive refusée : élément inattendu %s.") % repr(member.name)
                    )
            names = {member.name for member in members if member.isfile()}
            if MANIFEST not in names:
                raise BackupError(_("Ce fichier n'est pas une sauvegarde de Maillage."))
            archive.extractall(workdir, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
        raise BackupError(_("Archive illisible ou tronquée : %s") % error) from error

    try:
        manifest = json.loads((workdir / MANIFEST).read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(_("Le manifeste de la sauvegarde est illisible.")) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("Ce fichier n'est pas une sauvegarde de Maillage."))
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("Version de sauvegarde non prise en charge : %s.") % manifest.get("version")
        )
    engine = engine_of(alias)
    if manifest.get("engine") != engine:
        raise BackupError(
            _(
                "Cette sauvegarde vient d'une base %(saved)s ; la base configurée est %(current)s. "
                "Restaurez-la sur le même moteur."
            )
            % {"saved": manifest.get("engine"), "current": engine}
        )
    checksums = manifest.get("sha256") or {}
    database_name = DATABASE_FILES[engine]
    if manifest.get("database") != database_name or database_name not in checksums:
        raise BackupError(_("La sauvegarde ne contient pas de base de données."))
    if set(checksums) != names - {MANIFEST}:
        raise BackupError(_("Le contenu de l'archive ne correspond pas à son manifeste."))
    for name, expected in checksums.items():
        if not safe_member_name(name) or sha256_of(workdir / name) != expected:
            raise BackupError(_("Fichier altéré dans la sauvegarde : %s.") % name)

    database_file = workdir / database_name
    if engine == "sqlite":
        check_sqlite_copy(database_file)
    else:
        run_postgres_tool([postgres_binary("pg_restore"), "--list", str(database_file)], alias)

    saved = {tuple(item) for item in manifest.get("migrations", [])}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(saved - known)
    if unknown:
        raise BackupError(
            _(
                "Cette sauvegarde vient d'une version plus récente de Maillage (migrations "
                "inconnues : %s). Installez cette version avant de restaurer."
            )
            % ", ".join(f"{app}.{name}" for app, name in unknown[:5])
        )
    missing = sorted([list(item) for item in known - saved])
    return CheckedBackup(
        workdir=workdir,
        manifest=manifest,
        database_file=database_file,
        media_dir=workdir / "media",
        missing_migrations=missing,
    )


def check_sqlite_copy(path: Path) -> None:
    try:
        database = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = database.execute("PRAGMA integrity_check").fetchone()
            tables = {row[0] for row in database.execute("SELECT name FROM sqlite_master")}
        finally:
            database.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(_("La base de la sauvegarde est illisible : %s") % error) from error
    if result != ("ok",) or "django_migrations" not in tables:
        raise BackupError(_("La base de la sauvegarde est endommagée."))


def restore_database(checked: CheckedBackup, alias: str = DEFAULT_DB_ALIAS) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError(_("La restauration ne peut pas se faire dans une transaction en cours."))
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{checked.database_file}?mode=ro", uri=True)
        try:
            # The backup API in the other direction: page by page into the live database,
            # under SQLite's lock (other processes wait, then see the restored data).
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        connection.close()
        run_postgres_tool(
            [
                postgres_binary("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={connection.settings_dict['NAME']}",
                str(checked.database_file),
            ],
            alias,
        )
    connection.close()


def restore_media(checked: CheckedBackup) -> int:
    """Replace MEDIA_ROOT by the archive's files (the previous tree is removed once the new
    one is in place). Returns the number of files restored."""
    root = local_media_root()
    if root is None or not checked.manifest.get("media_included"):
        return 0
    incoming = Path(tempfile.mkdtemp(prefix=".restore-", dir=root.parent))
    count = 0
    try:
        if checked.media_dir.is_dir():
            shutil.copytree(checked.media_dir, incoming, dirs_exist_ok=True)
            count = sum(1 for path in incoming.rglob("*") if path.is_file())
        previous = root.with_name(root.name + ".before-restore")
        if previous.exists():
            shutil.rmtree(previous)
        if root.exists():
            root.rename(previous)
        incoming.rename(root)
        shutil.rmtree(previous, ignore_errors=True)
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)
    return count


def restore_backup(archive_path: Path, alias: str = DEFAULT_DB_ALIAS) -> CheckedBackup:
    """Check, then restore the database and the uploaded files."""
    with tempfile.TemporaryDirectory(prefix="maillage-restore-") as workdir:
        checked = check_backup(Path(archive_path), Path(workdir), alias)
        restore_database(checked, alias)
        checked.media_files = restore_media(checked)
        return checked
