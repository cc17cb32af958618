"""The number of SQL queries of every list page and API list does not grow with the number of
results (issue 8: no N+1). Each case fills a list with a few rows, counts the queries of the page,
adds more rows and counts again: the two counts must be equal. Timings are never tested here.

A first request before each count warms what is built once (the search index, a cached
territory), so that only the page's own queries are counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.core.models import Role

from ..conftest import login_with_second_factor
from ..directory.factories import PhoneFactory, PlaceFactory, ServiceFactory
from ..factories import OrganisationFactory, SignatureFactory
from ..queries import page_queries
from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@dataclass
class ListCase:
    url: Callable[[dict], str]
    add: Callable[[dict, int], None]
    user: str | None = None  # a fixture name: the page is seen logged in as this user
    query_cap: int = 40  # a sanity bound: a list page stays well under it


def add_services(ctx: dict, n: int) -> None:
    for _ in range(n):
        organisation = OrganisationFactory(territory=ctx["territory"])
        service = ServiceFactory(
            organisation=organisation,
            name="Hébergement d'urgence",
            terms__help=["hebergement-urgence"],
            terms__publics=["femmes"],
        )
        PlaceFactory(service=service)
        PhoneFactory(service=service)


def add_organisations(ctx: dict, n: int) -> None:
    for _ in range(n):
        SignatureFactory(
            contract=ctx["contract"], organisation=OrganisationFactory(territory=ctx["territory"])
        )


def add_sessions(ctx: dict, n: int) -> None:
    module = ModuleFactory(territory=ctx["territory"], trainer_organisation=ctx["organisation"])
    for _ in range(n):
        session = SessionFactory(module=module)
        for _ in range(2):
            RegistrationFactory(session=session)


def add_modules(ctx: dict, n: int) -> None:
    for _ in range(n):
        ModuleFactory(territory=ctx["territory"], trainer_organisation=ctx["organisation"])


CASES: dict[str, ListCase] = {
    "directory search": ListCase(
        url=lambda ctx: reverse("directory:search") + "?q=hebergement", add=add_services
    ),
    "API data·inclusion services": ListCase(
        url=lambda ctx: "/api/v1/data-inclusion/services", add=add_services
    ),
    "API data·inclusion structures": ListCase(
        url=lambda ctx: "/api/v1/data-inclusion/structures", add=add_services
    ),
    "API HSDS services": ListCase(url=lambda ctx: "/api/v1/hsds/services", add=add_services),
    "API HSDS organizations": ListCase(
        url=lambda ctx: "/api/v1/hsds/organizations", add=add_services
    ),
    "public contract (signatories)": ListCase(
        url=lambda ctx: ctx["contract"].get_absolute_url(), add=add_organisations
    ),
    "workspace contract (signatures)": ListCase(
        url=lambda ctx: reverse("core:contract_manage", args=[ctx["contract"].pk]),
        add=add_organisations,
        user="coordinator",
    ),
    "workspace organisations": ListCase(
        url=lambda ctx: reverse("core:organisation_list"),
        add=add_organisations,
        user="coordinator",
    ),
    "directory workspace": ListCase(
        url=lambda ctx: reverse("directory:workspace"), add=add_services, user="coordinator"
    ),
    "trainings catalogue": ListCase(
        url=lambda ctx: reverse("trainings:catalogue"), add=add_sessions
    ),
    "trainings calendar": ListCase(url=lambda ctx: reverse("trainings:calendar"), add=add_sessions),
    "trainings sessions (workspace)": ListCase(
        url=lambda ctx: reverse("trainings:session_list"), add=add_sessions, user="coordinator"
    ),
    "trainings modules (workspace)": ListCase(
        url=lambda ctx: reverse("trainings:module_list"), add=add_modules, user="coordinator"
    ),
}


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Count the queries of the pages themselves, not of the anonymous search page's cache."""
    settings.DIRECTORY_PAGE_CACHE_SECONDS = 0


def count_queries(client, url: str) -> tuple[int, list[str]]:
    assert client.get(url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    sql = page_queries(queries)
    return len(sql), sql


@pytest.mark.parametrize("name", CASES)
def test_list_queries_do_not_grow_with_the_results(name, request, client, territory, contract):
    case = CASES[name]
    ctx = {"territory": territory, "contract": contract, "organisation": None}
    ctx["organisation"] = OrganisationFactory(territory=territory, name="Organisme formateur")
    if case.user:
        user = request.getfixturevalue(case.user)
        if case.user != "coordinator":
            assert user.roles.exclude(kind=Role.Kind.COORDINATOR).exists()
        login_with_second_factor(client, user)
    url = case.url(ctx)

    case.add(ctx, 2)
    few, _ = count_queries(client, url)
    case.add(ctx, 6)
    many, statements = count_queries(client, url)

    assert few == many, f"{name}: {few} queries with 2 rows, {many} with 8:\n" + "\n".join(
        statements
    )
    assert many <= case.query_cap, f"{name}: {many} queries"
