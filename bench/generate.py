"""Generate a national-scale directory in a throwaway database (DESIGN.md §5).

    DJANGO_SETTINGS_MODULE=maillage.settings DEBUG=1 MAILLAGE_VAR_DIR=/tmp/bench \
        .venv/bin/python -m bench.generate --services 150000 --structures 100000 \
        --communes 35000 --seed 1

Deterministic for a seed. Communes come from the npm package @etalab/decoupage-administratif
when its data/ folder is at hand (--communes-source, default /tmp/package/data: the most
populous ones first), otherwise they are synthesised. Rows are written with bulk_create in
batches (no history rows, no per-object reindex): the search text is computed here with
text.normalise, as search.document() would.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
import uuid
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

import django

BATCH = 5000


def log(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:7.1f} s] {message}", flush=True)


def commune_rows(count: int, rng: random.Random, source: Path | None) -> list[dict]:
    """`count` communes: the most populous of the official list, topped up with synthetic ones."""
    from maillage.core.communes import read_source

    from .words import DEPARTMENTS, SYLLABLES

    rows: list[dict] = []
    if source is not None and (source / "communes.json").exists():
        communes, _ = read_source(source)
        for c in communes:
            if c.get("departement") in DEPARTMENTS:
                rows.append(
                    {
                        "code": c["code"],
                        "name": c["nom"],
                        "department": c["departement"],
                        "postal_codes": c.get("codesPostaux") or [],
                        "population": c.get("population") or 0,
                    }
                )
        rows.sort(key=lambda r: (-r["population"], r["code"]))
        rows = rows[:count]
    departments = [d for d in DEPARTMENTS if len(d) == 2]
    taken = {r["code"] for r in rows}
    names = {r["name"] for r in rows}
    n = 0
    while len(rows) < count:
        n += 1
        department = departments[n % len(departments)]
        code = f"{department}{(999 - n // len(departments)) % 1000:03d}"
        if code in taken:
            continue
        parts = rng.sample(SYLLABLES, rng.choice((2, 2, 3)))
        name = "-".join(p.capitalize() for p in parts)
        while name in names:
            name += f"-{rng.choice(SYLLABLES)}"
        taken.add(code)
        names.add(name)
        rows.append(
            {
                "code": code,
                "name": name,
                "department": department,
                "postal_codes": [f"{department[:2]}{rng.randrange(0, 1000):03d}"],
                "population": int(rng.lognormvariate(6.5, 1.3)),
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=150_000)
    parser.add_argument("--structures", type=int, default=100_000)
    parser.add_argument("--communes", type=int, default=35_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--communes-source",
        type=Path,
        default=Path("/tmp/package/data"),  # noqa: S108 - where `npm pack` + tar leave it
        help="data/ folder of @etalab/decoupage-administratif (synthesised when missing)",
    )
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip ANALYZE (planner statistics) at the end"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    django.setup()
    generate(args)
    return 0


def generate(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from maillage.core.models import Commune, Organisation, Territory
    from maillage.directory.models import (
        Closure,
        OpeningSlot,
        Place,
        Service,
        ServicePhone,
        Term,
        Visibility,
    )
    from maillage.directory.text import normalise

    from . import words

    started = time.perf_counter()
    rng = random.Random(args.seed)  # noqa: S311 - benchmark data, not secrets
    today = date(2026, 1, 15)  # fixed: the data is the same whatever the day
    print(
        f"Generating {args.services:,} services, {args.structures:,} structures, "
        f"{args.communes:,} communes (seed {args.seed}) on {connection.vendor} "
        f"({connection.settings_dict['NAME']})",
        flush=True,
    )
    call_command("migrate", verbosity=0)
    log("migrated", started)
    if Service.objects.exists() or Organisation.objects.exists():
        sys.exit("This database already holds services or structures: use a fresh one.")

    # Communes
    rows = commune_rows(args.communes, rng, args.communes_source)
    existing = set(Commune.objects.values_list("insee_code", flat=True))
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
            if r["code"] not in existing
        ],
        batch_size=BATCH,
    )
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in=[r["code"] for r in rows])
    }
    coords: dict[str, tuple[float, float]] = {}
    by_department: dict[str, list[str]] = {}
    for r in rows:
        code, department = r["code"], r["department"]
        if code in words.CITIES:
            coords[code] = words.CITIES[code][1:]
        else:
            lat, lon = words.DEPARTMENTS[department]
            spread = words.SPREAD.get(department, words.DEFAULT_SPREAD)
            coords[code] = (lat + rng.gauss(0, spread * 0.8), lon + rng.gauss(0, spread * 1.1))
        by_department.setdefault(department, []).append(code)
    codes = [r["code"] for r in rows]
    # People (and so services) are where the population is, bigger towns a little less so.
    cum, total = [], 0.0
    for r in rows:
        total += (r["population"] + 200) ** 0.85
        cum.append(total)
    log(f"{len(rows):,} communes ({len(rows) - len(existing & set(codes)):,} new)", started)

    # Territories: one per département (organisations belong to a territory)
    Territory.objects.bulk_create(
        [
            Territory(name=f"Département {d} (banc d'essai)", slug=f"bench-{d.lower()}")
            for d in sorted(by_department)
        ],
        ignore_conflicts=True,
    )
    territories = {
        t.slug.removeprefix("bench-").upper(): t
        for t in Territory.objects.filter(slug__startswith="bench-")
    }

    # Organisations
    templates = words.ORGANISATIONS
    template_weights = [t[3] for t in templates]
    org_communes = rng.choices(codes, cum_weights=cum, k=args.structures)
    names_by_territory: dict[str, set[str]] = {}
    organisations = []
    for i, code in enumerate(org_communes):
        commune = communes[code]
        kind, pattern, acronym, _ = rng.choices(templates, weights=template_weights)[0]
        name = pattern.format(
            commune=commune.name, dep=commune.department, assoc=rng.choice(words.ASSOCIATIONS)
        )
        taken = names_by_territory.setdefault(commune.department, set())
        if name in taken:
            n = 2
            while f"{name} ({n})" in taken:
                n += 1
            name = f"{name} ({n})"
        taken.add(name)
        organisations.append(
            Organisation(
                territory=territories[commune.department],
                name=name,
                acronym=acronym,
                kind=kind,
                commune=commune,
                address=f"{rng.randint(1, 120)} {rng.choice(words.STREETS)}",
                siret=f"{rng.randrange(10**13, 10**14)}" if rng.random() < 0.7 else "",
                public_email=f"contact-{i}@example.org" if rng.random() < 0.5 else "",
            )
        )
        if len(organisations) % 50_000 == 0:
            log(f"  {len(organisations):,} structures built", started)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    if organisations and organisations[0].pk is None:  # no RETURNING: read the ids back
        organisations = list(Organisation.objects.order_by("pk"))
    log(f"{len(organisations):,} structures", started)

    # Taxonomy, from the Term rows the migrations created
    terms = {(t.vocabulary, t.code): t for t in Term.objects.all()}
    helps = list(words.SERVICES)
    help_weights = [words.SERVICES[h][0] for h in helps]
    violences = list(words.VIOLENCES)
    violence_weights = [words.VIOLENCES[v][0] for v in violences]
    publics = list(words.PUBLICS)
    public_weights = [words.PUBLICS[p][0] for p in publics]
    languages = [code for (vocabulary, code) in terms if vocabulary == "language" and code != "fr"]
    normalised: dict[str, str] = {}

    def norm(part: str) -> str:
        if part not in normalised:
            normalised[part] = normalise(part)
        return normalised[part]

    def pick(population: list[str], weights: list[int], k: int) -> list[str]:
        chosen: list[str] = []
        while len(chosen) < k:
            value = rng.choices(population, weights=weights)[0]
            if value not in chosen:
                chosen.append(value)
        return chosen

    # Services and everything hanging from them, batch by batch
    owners = list(range(len(organisations)))  # every structure has one service…
    owners += rng.choices(owners, k=max(args.services - len(owners), 0))  # …some have several
    owners = owners[: args.services]
    rng.shuffle(owners)
    Status, Coverage, Saturation = Service.Status, Service.Coverage, Service.Saturation
    through = {
        relation: getattr(Service, relation).through
        for relation in ("help_types", "violence_types", "publics", "languages")
    }
    coverage_through = Service.coverage_communes.through
    counts = dict.fromkeys(
        ["places", "hidden", "phones", "slots", "closures", "terms", "coverage"], 0
    )
    for start in range(0, len(owners), BATCH):
        services, places, phones, slots, closures = [], [], [], [], []
        term_rows = {relation: [] for relation in through}
        coverage_rows = []
        for i in range(start, min(start + BATCH, len(owners))):
            organisation = organisations[owners[i]]
            help_codes = pick(helps, help_weights, rng.choice((1, 1, 2, 2, 3)))
            primary = help_codes[0]
            _, service_names, summaries, openings = words.SERVICES[primary]
            violence_codes = pick(violences, violence_weights, rng.choice((1, 1, 2, 3)))
            public_codes = pick(publics, public_weights, rng.choice((1, 2, 2, 3, 4)))
            language_codes = ["fr", *rng.sample(languages, rng.choice((0, 0, 0, 1, 2)))]
            # Places: most services have one, some two, remote ones none.
            place_count = rng.choices((0, 1, 2, 3), weights=(5, 83, 10, 2))[0]
            home = organisation.commune_id
            place_codes = [home, *rng.choices(codes, cum_weights=cum, k=2)]
            place_codes = place_codes[:place_count]
            commune_name = communes[place_codes[0] if place_codes else home].name
            name = rng.choice(service_names)
            if rng.random() < 0.5:
                name = f"{name} — {commune_name}"
            summary = rng.choice(summaries) if rng.random() < 0.85 else ""
            sentences = [rng.choice(openings)]
            sentences += [words.VIOLENCES[v][1] for v in violence_codes[:2]]
            sentences += [words.PUBLICS[p][1] for p in public_codes[:2]]
            sentences += rng.sample(words.ACCESS, rng.choice((1, 2, 3)))
            description = " ".join(sentences)
            shelter = primary.startswith("hebergement")
            is_24_7 = rng.random() < (0.35 if shelter else 0.04)
            roll = rng.random()
            status = (
                Status.PUBLISHED
                if roll < 0.90
                else Status.DRAFT
                if roll < 0.94
                else Status.SUSPENDED
                if roll < 0.96
                else Status.ARCHIVED
            )
            roll = rng.random()
            coverage = (
                Coverage.COMMUNES
                if roll < 0.70
                else Coverage.EPCI
                if roll < 0.78
                else Coverage.DEPARTMENT
                if roll < 0.997
                else Coverage.NATIONAL
            )
            department = communes[home].department
            service = Service(
                id=uuid.UUID(int=rng.getrandbits(128), version=4),
                organisation=organisation,
                name=name[:150],
                summary=summary,
                description=description,
                minors_accepted="mineurs" in public_codes or rng.random() < 0.05,
                age_min=None,
                gender=rng.choices(
                    [Service.Gender.ALL, Service.Gender.WOMEN, Service.Gender.MEN],
                    weights=(66, 32, 2),
                )[0],
                is_free=rng.random() < 0.92,
                is_anonymous=rng.random() < 0.25,
                walk_in=rng.random() < 0.3,
                by_appointment=rng.random() < 0.6,
                referral_only=rng.random() < (0.3 if shelter else 0.05),
                remote=place_count == 0 or rng.random() < 0.1,
                email=f"service-{i}@example.org" if rng.random() < 0.6 else "",
                email_visibility=Visibility.PUBLIC
                if rng.random() < 0.9
                else Visibility.PROFESSIONALS,
                website=f"https://service-{i}.example.org" if rng.random() < 0.3 else "",
                wheelchair_accessible=rng.random() < 0.4,
                sign_language=rng.random() < 0.05,
                reachable_by_114=rng.random() < 0.03,
                is_24_7=is_24_7,
                urgent_response=is_24_7 or rng.random() < 0.05,
                saturation=rng.choice(list(Saturation)) if shelter else "",
                coverage=coverage,
                coverage_department=department if coverage == Coverage.DEPARTMENT else "",
                visibility=Visibility.PROFESSIONALS if rng.random() < 0.1 else Visibility.PUBLIC,
                status=status,
                suspended_until=today + timedelta(days=rng.randint(-60, 60))
                if status == Status.SUSPENDED
                else None,
                last_verified_on=today - timedelta(days=rng.randint(0, 400)),
                source="bench",
                source_id=f"bench-{i}",
            )
            term_objects = [
                *(terms["violence", c] for c in violence_codes),
                *(terms["help", c] for c in help_codes),
                *(terms["public", c] for c in public_codes),
            ]
            parts = [
                service.name,
                service.summary,
                service.description,
                organisation.name,
                organisation.acronym,
                *(t.label for t in term_objects),
                *(t.public_label for t in term_objects),
                *(communes[c].name for c in place_codes),
            ]
            service.search_title = f" {norm(service.name)} "
            service.search_text = " ".join(norm(p) for p in parts if p and norm(p))
            services.append(service)
            for relation, vocabulary, values in (
                ("help_types", "help", help_codes),
                ("violence_types", "violence", violence_codes),
                ("publics", "public", public_codes),
                ("languages", "language", language_codes),
            ):
                term_rows[relation].extend(
                    through[relation](service_id=service.id, term_id=terms[vocabulary, c].pk)
                    for c in values
                )
            for position, code in enumerate(place_codes):
                commune = communes[code]
                hidden = rng.random() < (0.4 if shelter else 0.02)
                lat, lon = coords[code]
                places.append(
                    Place(
                        service=service,
                        name=rng.choice(("", "", "Accueil", "Permanence", "Antenne"))
                        if position
                        else "",
                        address=""
                        if hidden
                        else f"{rng.randint(1, 200)} {rng.choice(words.STREETS)}",
                        postal_code=(commune.postal_codes or [""])[0],
                        commune=commune,
                        latitude=None if hidden else round(lat + rng.gauss(0, 0.012), 6),
                        longitude=None if hidden else round(lon + rng.gauss(0, 0.017), 6),
                        hide_address=hidden,
                    )
                )
                counts["hidden"] += hidden
            if coverage == Coverage.COMMUNES:
                covered = set(place_codes or [home])
                covered.update(
                    rng.sample(
                        by_department[department],
                        min(rng.choice((0, 0, 1, 3)), len(by_department[department])),
                    )
                )
            elif coverage == Coverage.EPCI:
                covered = {
                    home,
                    *rng.sample(
                        by_department[department],
                        min(rng.randint(5, 30), len(by_department[department])),
                    ),
                }
            else:
                covered = set()
            coverage_rows.extend(
                coverage_through(service_id=service.id, commune_id=c) for c in covered
            )
            for position in range(rng.choice((0, 1, 1, 1, 2))):
                phones.append(
                    ServicePhone(
                        service=service,
                        label=("Accueil", "Ligne des professionnels", "")[
                            position % 3 if position else 2
                        ],
                        number=f"0{rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                        visibility=Visibility.PROFESSIONALS
                        if position == 1 or rng.random() < 0.05
                        else Visibility.PUBLIC,
                        position=position,
                    )
                )
            if not is_24_7 and rng.random() < 0.78:
                days = rng.choice(
                    ((0, 1, 2, 3, 4), (0, 1, 2, 3, 4), (1, 3), (0, 2, 4), (2,), (0, 1, 2, 3, 4, 5))
                )
                hours = rng.choice(
                    (
                        [(clock(9), clock(12, 30)), (clock(13, 30), clock(17))],
                        [(clock(9), clock(17))],
                        [(clock(14), clock(18))],
                        [(clock(8, 30), clock(12))],
                        [(clock(10), clock(19))],
                    )
                )
                slots.extend(
                    OpeningSlot(service=service, weekday=d, opens=o, closes=c)
                    for d in days
                    for o, c in hours
                )
            if rng.random() < 0.03:
                begins = today + timedelta(days=rng.randint(-20, 60))
                closures.append(
                    Closure(
                        service=service,
                        starts_on=begins,
                        ends_on=begins + timedelta(days=rng.randint(0, 21)),
                        notice="Fermeture exceptionnelle : appelez le 3919.",
                    )
                )
        with transaction.atomic():
            Service.objects.bulk_create(services, batch_size=1000)
            Place.objects.bulk_create(places, batch_size=BATCH)
            ServicePhone.objects.bulk_create(phones, batch_size=BATCH)
            OpeningSlot.objects.bulk_create(slots, batch_size=BATCH)
            Closure.objects.bulk_create(closures, batch_size=BATCH)
            for relation, rows_ in term_rows.items():
                through[relation].objects.bulk_create(rows_, batch_size=BATCH)
                counts["terms"] += len(rows_)
            coverage_through.objects.bulk_create(coverage_rows, batch_size=BATCH)
        counts["places"] += len(places)
        counts["phones"] += len(phones)
        counts["slots"] += len(slots)
        counts["closures"] += len(closures)
        counts["coverage"] += len(coverage_rows)
        log(f"  {start + len(services):,} services", started)
    log(
        f"{len(owners):,} services, {counts['places']:,} places ({counts['hidden']:,} hidden "
        f"addresses), {counts['phones']:,} phones, {counts['slots']:,} opening slots, "
        f"{counts['closures']:,} closures, {counts['terms']:,} term links, "
        f"{counts['coverage']:,} covered communes",
        started,
    )
    if not args.no_analyze:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        log("ANALYZE (planner statistics)", started)
    published = Service.objects.published(at=today).count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    log(
        f"done: {published:,} published services; total {time.perf_counter() - started:.1f} s, "
        f"peak memory {peak:,} MB",
        started,
    )


if __name__ == "__main__":
    sys.exit(main())
