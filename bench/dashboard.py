"""Contract dashboard benchmark (DESIGN.md §5: the dashboard over 10 years of records — 1,000
sessions, 20,000 registrations — answers in ≤ 300 ms).

    .venv/bin/python -m bench.dashboard                        # a temporary SQLite database
    .venv/bin/python -m bench.dashboard --database-url postgres://postgres@127.0.0.1:5432/x

Without --database-url (nor DATABASE_URL or MAILLAGE_VAR_DIR in the environment), it works in a
temporary folder (MAILLAGE_VAR_DIR) removed at the end;
with it, on that database (create it first, drop it afterwards: never on real data). It migrates,
then writes deterministically for a seed a throwaway territory (slug `bench-dashboard`) with a
ten-year contract (2016-2025, its three priorities and 25 signatories), 300 structures (24 of
them bars), 5 training modules, `--sessions` sessions of one day (two half-days) spread over the
ten years (5 % cancelled), `--registrations` registrations spread over them (people coming back
to a second training now and then) with their attendance (85 % present, 5 % late, 10 % absent),
yearly charter labels, 2,000 delivered print orders, and the contract's indicators (the demo's,
computed and entered, 10 years of entered values). Rows are written with bulk_create (no
history rows).

Then it GETs the contract's dashboard through Django's test client as the territory's
coordinator (the whole view: permissions, every indicator's value, the yearly series, the
template) `--repeat` times after 3 warm-ups, and prints the median and p95 server time in
milliseconds and the number of SQL queries. The review (`build_review`) is timed the same way,
for information. Figures are printed, never asserted (a shared 2-core machine).
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from decimal import Decimal

import django

SLUG = "bench-dashboard"
FIRST_YEAR, YEARS = 2016, 10
WARMUP = 3


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--registrations", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL (or other) database to use")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway territory")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the territory kept by a previous --keep run"
    )
    args = parser.parse_args(argv)
    folder = None
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    elif "DATABASE_URL" not in os.environ and "MAILLAGE_VAR_DIR" not in os.environ:
        folder = tempfile.mkdtemp(prefix="maillage-dashboard.")
        os.environ["MAILLAGE_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
    os.environ.setdefault("DEBUG", "1")  # a development secret key; DEBUG is switched off below
    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    try:
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        print(f"# Dashboard on {connection.vendor} ({connection.settings_dict['NAME']})")
        if args.reuse:
            contract, coordinator = kept()
        else:
            remove()
            started = time.perf_counter()
            contract, coordinator = populate(args)
            print(f"Records written in {time.perf_counter() - started:.1f} s", flush=True)
        try:
            measure(contract, coordinator, args)
        finally:
            if not args.keep:
                remove()
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


def populate(args: argparse.Namespace):
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction

    from maillage.core.models import (
        Commune,
        Contract,
        Organisation,
        Priority,
        Role,
        Signature,
        Territory,
        User,
    )
    from maillage.evaluation.models import Indicator, IndicatorValue
    from maillage.prevention.models import Audience, Campaign, Material, PrintOrder
    from maillage.trainings.charter import CharterApplication, LabelDecision
    from maillage.trainings.models import (
        Attendance,
        Module,
        Registration,
        Trainee,
        TrainingSession,
        TrainingSlot,
    )

    rng = random.Random(args.seed)  # noqa: S311 - deterministic data, not secrets
    K = Organisation.Kind
    with transaction.atomic():
        commune, _ = Commune.objects.get_or_create(
            insee_code="49007", defaults={"name": "Angers", "department": "49"}
        )
        territory = Territory.objects.create(name="Territoire du banc d'essai", slug=SLUG)
        territory.communes.add(commune)
        contract = Contract.objects.create(
            territory=territory,
            title="Contrat local (banc d'essai)",
            start_date=date(FIRST_YEAR, 1, 1),
            end_date=date(FIRST_YEAR + YEARS - 1, 12, 31),
        )
        priorities = {
            code: Priority.objects.create(contract=contract, code=code, title=code, position=i)
            for i, code in enumerate(["FORMER", "PRÉVENIR", "FÉDÉRER"])
        }
        kinds = [K.ASSOCIATION, K.LOCAL_AUTHORITY, K.HEALTH, K.EDUCATION, K.SOCIAL_PROTECTION]
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    territory=territory,
                    name=f"Structure {number} (banc d'essai)",
                    kind=K.NIGHTLIFE if number < 24 else kinds[number % len(kinds)],
                    commune=commune,
                )
                for number in range(300)
            ]
        )
        bars, others = organisations[:24], organisations[24:]
        Signature.objects.bulk_create(
            [
                Signature(contract=contract, organisation=organisation, is_new=number < 6)
                for number, organisation in enumerate(others[:25])
            ]
        )
        modules = [
            Module.objects.create(
                territory=territory,
                title=f"Module {number}",
                slug=f"{SLUG}-module-{number}",
                objectives="Repérer, accueillir, orienter.",
                duration_hours=7,
                audience="Professionnels.",
            )
            for number in range(5)
        ]
        sessions, slots = [], []
        for number in range(args.sessions):
            day = date(FIRST_YEAR, 1, 4) + timedelta(days=number * YEARS * 365 // args.sessions)
            status = (
                TrainingSession.Status.CANCELLED
                if rng.random() < 0.05
                else TrainingSession.Status.HELD
            )
            sessions.append(
                TrainingSession(
                    module=modules[number % len(modules)],
                    status=status,
                    capacity=30,
                    place_name="Salle du conseil",
                    commune=commune,
                )
            )
        sessions = TrainingSession.objects.bulk_create(sessions, batch_size=2000)
        for number, session in enumerate(sessions):
            day = date(FIRST_YEAR, 1, 4) + timedelta(days=number * YEARS * 365 // args.sessions)
            slots.append(TrainingSlot(session=session, date=day, start=clock(9), end=clock(12)))
            slots.append(TrainingSlot(session=session, date=day, start=clock(13), end=clock(17)))
        slots = TrainingSlot.objects.bulk_create(slots, batch_size=5000)
        people = int(args.registrations * 0.8)
        trainees = Trainee.objects.bulk_create(
            [Trainee(email_key=f"personne{n}@bench.maillage.invalid") for n in range(people)],
            batch_size=5000,
        )
        registrations, pairs = [], []
        for number in range(args.registrations):
            index = number * len(sessions) // args.registrations
            session = sessions[index]
            trainee = trainees[number % people]
            venue = index % 6 == 5  # one session in six for the nightlife staff
            organisation = bars[number % len(bars)] if venue else rng.choice(others)
            registrations.append(
                Registration(
                    session=session,
                    trainee=trainee,
                    first_name="Personne",
                    last_name=f"N° {number}",
                    email=trainee.email_key,
                    email_key=trainee.email_key,
                    function="Agent d'accueil",
                    organisation=organisation,
                    status=Registration.Status.CONFIRMED,
                )
            )
            pairs.append(index)
        registrations = Registration.objects.bulk_create(registrations, batch_size=5000)
        attendances = []
        for registration, index in zip(registrations, pairs, strict=True):
            for slot in slots[2 * index : 2 * index + 2]:
                draw = rng.random()
                status = (
                    Attendance.Status.PRESENT
                    if draw < 0.85
                    else Attendance.Status.LATE
                    if draw < 0.9
                    else Attendance.Status.ABSENT
                )
                attendances.append(Attendance(registration=registration, slot=slot, status=status))
        Attendance.objects.bulk_create(attendances, batch_size=5000)
        CharterApplication.objects.bulk_create(
            [
                CharterApplication(
                    venue=bar,
                    year=year,
                    contact_name="Gérance",
                    decision=LabelDecision.GRANTED if rng.random() < 0.8 else LabelDecision.REFUSED,
                    decided_on=date(year, 3, 1),
                )
                for bar in bars
                for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
            ]
        )
        campaign = Campaign.objects.create(
            territory=territory, title="Campagne (banc d'essai)", starts_on=date(FIRST_YEAR, 1, 1)
        )
        guide = Material.objects.create(
            campaign=campaign,
            kind=Material.Kind.GUIDE,
            title="Guide (banc d'essai)",
            audience=Audience.PROFESSIONALS,
        )
        PrintOrder.objects.bulk_create(
            [
                PrintOrder(
                    material=guide,
                    organisation=rng.choice(others),
                    quantity=rng.randint(10, 200),
                    status=PrintOrder.Status.DELIVERED,
                    delivered_on=date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(3650)),
                )
                for _ in range(2000)
            ]
        )
        from maillage.evaluation.demo import INDICATORS

        indicators = []
        for position, row in enumerate(INDICATORS):
            code, priority, title, source, computation, _primo, cumulative, unit, target = row[:9]
            level, headline, _responsible = row[9:]
            indicators.append(
                Indicator(
                    contract=contract,
                    code=code,
                    title=title,
                    priority=priorities[priority],
                    source=source,
                    computation=computation,
                    training_module=modules[0] if _primo else None,
                    cumulative=cumulative,
                    unit=unit,
                    target=Decimal(target),
                    level=level,
                    is_headline=headline,
                    position=position,
                )
            )
        indicators = Indicator.objects.bulk_create(indicators)
        IndicatorValue.objects.bulk_create(
            [
                IndicatorValue(
                    indicator=indicator,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    value=Decimal(rng.randint(100, 400)),
                )
                for indicator in indicators
                if indicator.source == Indicator.Source.ENTERED
                for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)
            ]
        )
        coordinator = User.objects.create_user(f"coordination@{SLUG}.invalid")
        Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, territory=territory)
        TOTP.activate(coordinator, "JBSWY3DPEHPK3PXPJBSWY3DP")
    print(
        f"{len(sessions):,} sessions, {len(registrations):,} registrations "
        f"({len(trainees):,} people), {len(attendances):,} attendance rows, "
        f"{len(indicators)} indicators, over {YEARS} years",
        flush=True,
    )
    if connection_vendor() == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return contract, coordinator


def kept():
    from maillage.core.models import Contract, User

    contract = Contract.objects.get(territory__slug=SLUG)
    return contract, User.objects.get(email=f"coordination@{SLUG}.invalid")


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def timed(function, repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run (the CPU time of this process includes
    SQLite's work, not PostgreSQL's; it moves less with the load of a shared machine)."""
    for _ in range(WARMUP):
        function()
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def log_in_with_second_factor(client, user) -> None:
    """A coordinator's session as after the password and the TOTP code (the second-factor
    middleware refuses one without the "mfa" record)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    record_authentication(request, user, "mfa", id=totp.pk, type="totp")
    request.session.save()


def measure(contract, coordinator, args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from maillage.evaluation.review import build_review

    client = Client()
    log_in_with_second_factor(client, coordinator)
    url = reverse("evaluation:dashboard", args=[contract.pk])

    def dashboard():
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        dashboard()
    samples, cpu = timed(dashboard, args.repeat)
    print(
        f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
        f"{args.repeat} runs after {WARMUP} warm-ups; milliseconds\n"
    )
    print("| what | median | p95 | CPU median | SQL queries |")
    print("|---|---|---|---|---|")
    print(
        f"| GET {url} (dashboard) | {statistics.median(samples):.0f} | "
        f"{percentile(samples, 95):.0f} | {statistics.median(cpu):.0f} | {len(queries)} |"
    )
    from bench.summary import record

    median, p95 = statistics.median(samples), percentile(samples, 95)
    record(
        "contract dashboard, 10 years (1,000 sessions, 20,000 registrations)",
        engine=connection.vendor,
        p50=f"{median:.0f} ms",
        value=f"{p95:.0f} ms",
        target="≤ 300 ms",
        met=p95 <= 300,
        note=(
            f"{len(queries)} SQL queries; CPU median {statistics.median(cpu):.0f} ms (this "
            f"process: with SQLite's work, without PostgreSQL's); load average "
            f"{os.getloadavg()[0]:.1f}"
        ),
    )
    with CaptureQueriesContext(connection) as queries:
        build_review(contract)
    samples, cpu = timed(lambda: build_review(contract), max(args.repeat // 3, 3))
    print(
        f"| build_review (whole contract, for information) | {statistics.median(samples):.0f} | "
        f"{percentile(samples, 95):.0f} | {statistics.median(cpu):.0f} | {len(queries)} |",
        flush=True,
    )


def remove() -> None:
    """Delete the throwaway territory and everything written under it."""
    from django.db import transaction

    from maillage.core.models import Contract, Organisation, Role, Territory, User
    from maillage.prevention.models import Campaign, PrintOrder
    from maillage.trainings.charter import CharterApplication
    from maillage.trainings.models import Module, Registration, Trainee, TrainingSession

    territory = Territory.objects.filter(slug=SLUG).first()
    if territory is None:
        return
    with transaction.atomic():
        PrintOrder.objects.filter(material__campaign__territory=territory).delete()
        for campaign in Campaign.objects.filter(territory=territory):
            campaign.materials.all().delete()
            campaign.delete()
        CharterApplication.objects.filter(venue__territory=territory).delete()
        emails = list(
            Registration.objects.filter(session__module__territory=territory).values_list(
                "email_key", flat=True
            )
        )
        Registration.objects.filter(session__module__territory=territory).delete()
        Trainee.objects.filter(email_key__in=set(emails)).delete()
        TrainingSession.objects.filter(module__territory=territory).delete()
        Module.objects.filter(territory=territory).delete()
        Contract.objects.filter(territory=territory).delete()
        Role.objects.filter(territory=territory).delete()
        User.objects.filter(email=f"coordination@{SLUG}.invalid").delete()
        Organisation.objects.filter(territory=territory).delete()
        territory.delete()


if __name__ == "__main__":
    raise SystemExit(main())
