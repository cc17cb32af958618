"""Import benchmark (DESIGN.md §5): N services in the data·inclusion JSON layout, imported twice.

    DEBUG=1 .venv/bin/python -m bench.imports                      # 150,000 services, SQLite
    DEBUG=1 .venv/bin/python -m bench.imports --services 20000 --repeat 3
    DEBUG=1 .venv/bin/python -m bench.imports \
        --database-url postgres://postgres@127.0.0.1:5432/maillage_import_bench

Writes a deterministic file (for a seed) of structures and services, and a migrated database
with one territory of synthetic communes (a temporary SQLite file; with --database-url, that
PostgreSQL database's name + "_template": both are dropped and created again, so the name must
contain "bench"). Then for each run: a fresh copy of that database, then `import_services()`
on the file (a first import), then again on the same file (a re-import, which must change
nothing: no row, no history row). Each import runs in its own child process with DEBUG off, so
its peak RSS (ru_maxrss) is that of the import alone (Django included). Prints a Markdown
table: wall time of import_services() (validation + writing), services/s, peak RSS, and what
was written.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

SLUG = "bench-import"
EPCI = "200000001"
DI_HELP = [  # help code → (thématique, type), from maillage/directory/taxonomy.py
    ("ecoute", "famille--surmonter-conflits-separation-violence", "information"),
    ("accueil-de-jour", "famille--surmonter-conflits-separation-violence", "accompagnement"),
    (
        "hebergement-urgence",
        "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
        "aide-materielle",
    ),
    ("soins", "sante--acces-aux-soins", "accompagnement"),
    ("soutien-psychologique", "sante--sante-mentale", "accompagnement"),
    (
        "information-juridique",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "information",
    ),
    (
        "aide-aux-victimes",
        "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
        "accompagnement",
    ),
    ("groupes-de-parole", "famille--surmonter-conflits-separation-violence", "atelier"),
    ("aide-financiere", "", "aide-financiere"),
]
PUBLICS = ["femmes", "jeunes", "personnes-en-situation-durgence", "seniors", "personnes-exilees"]
HOURS = [
    "Mo-Fr 09:00-12:30,13:30-17:00",
    "Mo-Fr 09:00-17:00; PH off",
    "Tu,Th 14:00-18:00",
    "Mo,We,Fr 08:30-12:00",
    "24/7",
    "Mo-Sa 10:00-19:00",
]


# ---------------------------------------------------------------------------------------------
# The file


def postal(commune: dict) -> str:
    """A five-digit postal code (the synthetic ones of Corsica start with 2A/2B)."""
    code = (commune["postal_codes"] or [commune["code"]])[0]
    return code if code.isdigit() else "20" + code[2:]


def communes(count: int, seed: int) -> list[dict]:
    """Synthetic communes (bench.generate's, without the official list): deterministic."""
    from .generate import commune_rows

    return commune_rows(count, random.Random(seed), None)  # noqa: S311 - benchmark data


def write_file(path: Path, services: int, structures: int, commune_list: list[dict], seed: int):
    """A data·inclusion v1 file: {"structures": [...], "services": [...]}, one item a line."""
    from . import words

    rng = random.Random(seed + 1)  # noqa: S311 - benchmark data, not secrets
    codes = [c["code"] for c in commune_list]
    by_code = {c["code"]: c for c in commune_list}
    departments = sorted({c["department"] for c in commune_list})
    associations = words.ASSOCIATIONS
    with path.open("w", encoding="utf-8") as out:
        out.write('{"structures": [\n')
        for i in range(structures):
            commune = by_code[rng.choice(codes)]
            item = {
                "source": "bench",
                "id": f"bench--s{i}",
                "nom": f"{rng.choice(associations)} de {commune['name']} n° {i}",
                "date_maj": f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                "description": "Association d'accueil et d'accompagnement des victimes.",
                "code_insee": commune["code"],
                "commune": commune["name"],
                "adresse": f"{rng.randint(1, 120)} {rng.choice(words.STREETS)}",
                "telephone": f"0{rng.randint(1, 5)}{rng.randrange(10**8):08d}",
            }
            if rng.random() < 0.7:
                item["siret"] = f"{10**13 + i:014d}"
            if rng.random() < 0.5:
                item["courriel"] = f"contact-{i}@example.org"
            if rng.random() < 0.3:
                item["site_web"] = f"https://structure-{i}.example.org"
            out.write(("" if i == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        out.write('\n], "services": [\n')
        for j in range(services):
            help_code, thematique, kind = rng.choice(DI_HELP)
            _weight, names, _summaries, openings = words.SERVICES[help_code]
            commune = by_code[rng.choice(codes)]
            item = {
                "source": "bench",
                "id": f"bench--{j}",
                "structure_id": f"bench--s{j if j < structures else rng.randrange(structures)}",
                "nom": f"{rng.choice(names)} — {commune['name']}",
                "description": rng.choice(openings),
                "date_maj": f"2026-0{rng.randint(1, 9)}-{rng.randint(10, 28)}",
                "type": kind,
                "thematiques": [thematique] if thematique else [],
                "publics": rng.sample(PUBLICS, rng.choice((1, 1, 2, 3))),
                "frais": "gratuit" if rng.random() < 0.9 else "payant",
                "modes_accueil": ["en-presentiel"] + (["a-distance"] if rng.random() < 0.2 else []),
                "modes_mobilisation": ["telephoner"]
                + (["se-presenter"] if rng.random() < 0.4 else []),
                "mobilisable_par": ["usagers", "professionnels"]
                if rng.random() < 0.9
                else ["professionnels"],
            }
            if rng.random() < 0.9:
                item |= {
                    "code_insee": commune["code"],
                    "code_postal": postal(commune),
                    "commune": commune["name"],
                    "adresse": f"{rng.randint(1, 200)} {rng.choice(words.STREETS)}",
                    "latitude": round(43 + rng.random() * 6, 6),
                    "longitude": round(-1 + rng.random() * 7, 6),
                }
                if rng.random() < 0.05:
                    item["maillage_adresse_confidentielle"] = True
                    del item["latitude"], item["longitude"]
            if rng.random() < 0.7:
                item["telephone"] = f"0{rng.randint(1, 5)} {rng.randint(10, 99)} " + " ".join(
                    f"{rng.randint(10, 99)}" for _ in range(3)
                )
            if rng.random() < 0.6:
                item["courriel"] = f"service-{j}@example.org"
            if rng.random() < 0.3:
                item["lien_mobilisation"] = f"https://service-{j}.example.org"
            roll = rng.random()
            if roll < 0.6:
                item["zone_eligibilite"] = sorted({commune["code"], *rng.sample(codes, 2)})
            elif roll < 0.65:
                item["zone_eligibilite"] = [EPCI]
            elif roll < 0.95:
                item["zone_eligibilite"] = [commune["department"]]
            else:
                item["zone_eligibilite"] = ["france"]
            if rng.random() < 0.7:
                item["horaires_accueil"] = rng.choice(HOURS)
            out.write(("" if j == 0 else ",\n") + json.dumps(item, ensure_ascii=False))
        out.write("\n]}\n")
    return departments


# ---------------------------------------------------------------------------------------------
# The child processes (DEBUG off: as in production)


def child_setup(commune_count: int, seed: int) -> dict:
    from django.core.management import call_command

    from maillage.core.models import Commune, Territory

    call_command("migrate", verbosity=0)
    rows = communes(commune_count, seed)
    Commune.objects.bulk_create(
        [
            Commune(
                insee_code=r["code"],
                name=r["name"],
                department=r["department"],
                postal_codes=r["postal_codes"],
                population=r["population"],
            )
            for r in rows
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    territory = Territory.objects.create(name="Banc d'essai (import)", slug=SLUG, epci_siren=EPCI)
    territory.communes.set([r["code"] for r in rows])
    return {"communes": len(rows)}


def _counts() -> dict[str, int]:
    from maillage.core.models import Organisation
    from maillage.directory.models import OpeningSlot, Place, Service, ServicePhone

    counts = {}
    for model in (Service, Organisation, Place, ServicePhone, OpeningSlot):
        counts[model.__name__] = model.objects.count()
        counts[f"history.{model.__name__}"] = model.history.count()
    counts["links"] = sum(
        getattr(Service, r).through.objects.count()
        for r in ("help_types", "publics", "coverage_communes")
    )
    return counts


def _rss_mb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return 0


def child_import(path: str) -> dict:
    from maillage.core.models import Territory
    from maillage.directory.exchange.importer import import_services
    from maillage.directory.models import SearchVersion

    territory = Territory.objects.get(slug=SLUG)
    before = _counts()
    token = SearchVersion.objects.values_list("token", flat=True).first()
    marks: dict[str, float] = {}
    start_rss = _rss_mb()

    def progress(done: int, total: int | None) -> None:
        if total is not None and "validated" not in marks:
            marks["validated"] = time.perf_counter()

    profile = os.environ.get("BENCH_PROFILE")
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    report = import_services(
        path, format="data-inclusion", territory=territory, dry_run=False, progress=progress
    )
    ended = time.perf_counter()
    if profile:
        profiler.disable()
        profiler.dump_stats(f"{profile}.{'first' if before['Service'] == 0 else 're'}")
    usage_after = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage_after.ru_maxrss // 1024
    after = _counts()
    return {
        "seconds": ended - started,
        "cpu": usage_after.ru_utime + usage_after.ru_stime - usage.ru_utime - usage.ru_stime,
        "validation": marks.get("validated", ended) - started,
        "peak_mb": peak,
        "start_mb": start_rss,
        "rows": report.rows,
        "errors": report.errors_count,
        "first_errors": [str(e) for e in report.errors[:5]],
        "warnings": report.warnings_count,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "structures_created": report.structures_created,
        "structures_updated": report.structures_updated,
        "written": report.written,
        "delta": {k: after[k] - before[k] for k in after if after[k] != before[k]},
        "history_added": sum(after[k] - before[k] for k in after if k.startswith("history.")),
        "index_bumped": SearchVersion.objects.values_list("token", flat=True).first() != token,
    }


def child(argv: list[str]) -> int:
    import django

    django.setup()
    kind, *rest = argv
    result = child_setup(int(rest[0]), int(rest[1])) if kind == "setup" else child_import(rest[0])
    print("RESULT " + json.dumps(result), flush=True)
    return 0


# ---------------------------------------------------------------------------------------------
# The parent: fresh databases, runs, the table


def run_child(args: list[str], env: dict[str, str]) -> dict:
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.imports", "--child", *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    output = process.stdout.read()
    _pid, status, _usage = os.wait4(process.pid, 0)
    if status != 0:
        sys.exit(f"child {args[0]} failed:\n{output}")
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _pg(url: str) -> tuple[list[str], str]:
    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: the database's name must contain 'bench'")
    return ["-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres"], name


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(DJANGO_SETTINGS_MODULE="maillage.settings", DEBUG="0")
    env.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    env.setdefault("EMAIL_URL", "console://")
    env.pop("DATABASE_URL", None)
    return env


class Databases:
    """A migrated template (communes, territory), then a fresh copy of it for each run."""

    def __init__(self, url: str | None, communes: int, seed: int) -> None:
        self.url, self.folder = url, Path(tempfile.mkdtemp(prefix="maillage-import-bench."))
        env = _env()
        if url is None:
            env["MAILLAGE_VAR_DIR"] = str(self.folder / "template")
        else:
            host, name = _pg(url)
            self.template = f"{name}_template"
            subprocess.run(["dropdb", "--if-exists", *host, self.template], check=True)  # noqa: S603,S607
            subprocess.run(["createdb", *host, self.template], check=True)  # noqa: S603,S607
            env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + self.template
        run_child(["setup", str(communes), str(seed)], env)

    def fresh(self) -> dict[str, str]:
        env = _env()
        if self.url is None:
            target = self.folder / "run"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.folder / "template", target)
            env["MAILLAGE_VAR_DIR"] = str(target)
        else:
            host, name = _pg(self.url)
            subprocess.run(["dropdb", "--if-exists", *host, name], check=True)  # noqa: S603,S607
            subprocess.run(["createdb", *host, "-T", self.template, name], check=True)  # noqa: S603,S607
            env["DATABASE_URL"] = self.url
        return env

    def drop(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.url is not None:
            host, name = _pg(self.url)
            for database in (name, self.template):
                subprocess.run(["dropdb", "--if-exists", *host, database], check=True)  # noqa: S603,S607


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=150_000)
    parser.add_argument("--structures", type=int, help="default: a third of the services")
    parser.add_argument("--communes", type=int, default=50, help="of the territory (an EPCI)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh database")
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and re-create")
    parser.add_argument("--file", type=Path, help="keep the generated file there")
    parser.add_argument(
        "--profile", type=Path, help="cProfile each import into PROFILE.first and PROFILE.re"
    )
    args = parser.parse_args(argv)
    structures = args.structures or max(args.services // 3, 1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()  # words.py reads a model's choices; no database is touched here

    folder = Path(tempfile.mkdtemp(prefix="maillage-import-file."))
    path = args.file or folder / "services.json"
    started = time.perf_counter()
    write_file(path, args.services, structures, communes(args.communes, args.seed), args.seed)
    size = path.stat().st_size / 1e6
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"{args.services:,} services, {structures:,} structures, {args.communes} communes "
        f"(seed {args.seed}): {size:.0f} MB written in {time.perf_counter() - started:.1f} s; "
        f"{engine}, {args.repeat} run(s), load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results: dict[str, list[dict]] = {"first import": [], "re-import": []}
    if args.profile:
        os.environ["BENCH_PROFILE"] = str(args.profile.resolve())
    databases = Databases(args.database_url, args.communes, args.seed)
    try:
        for run in range(args.repeat):
            env = databases.fresh()
            for label in results:
                result = run_child(["import", str(path)], env)
                result["load"] = os.getloadavg()[0]
                results[label].append(result)
                print(f"  run {run + 1}, {label}: {json.dumps(result)}", flush=True)
                if result["errors"]:
                    sys.exit(f"the import found errors: {result['first_errors']}")
    finally:
        databases.drop()
    shutil.rmtree(folder, ignore_errors=True)

    print()
    print(
        "| engine | import | services | wall s (median) | of which validation s | services/s "
        "| CPU s (Python) | peak RSS MB | created / updated / unchanged | structures created "
        "| history rows added | load |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        validation = statistics.median(r["validation"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        last = runs[-1]
        spread = (
            f" ({min(r['seconds'] for r in runs):.1f} to {max(r['seconds'] for r in runs):.1f})"
            if len(runs) > 1
            else ""
        )
        print(
            f"| {engine} | {label} | {args.services:,} | {seconds:.1f}{spread} | {validation:.1f} "
            f"| {args.services / seconds:,.0f} | {cpu:.1f} | {peak} | {last['created']:,} / "
            f"{last['updated']:,} / {last['unchanged']:,} | {last['structures_created']:,} "
            f"| {last['history_added']:,} | {statistics.median(r['load'] for r in runs):.1f} |"
        )
        from bench.summary import record

        record(
            f"import {args.services:,} services (data·inclusion JSON), {label}",
            engine=engine,
            value=f"{seconds:.1f} s, peak {peak} MB",
            target="≤ 90 s, ≤ 400 MB",
            met=seconds <= 90 and peak <= 400,
            note=f"{args.services / seconds:,.0f} services/s",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
