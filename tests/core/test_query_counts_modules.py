"""The number of SQL queries of the list pages of prevention, network and evaluation does not
grow with the number of rows (issue 8: no N+1), as tests/core/test_query_counts.py checks for the
directory, the contracts and the trainings. Each case fills a list with a few rows, counts the
queries of the page, adds more rows and counts again: the two counts must be equal.

Already covered elsewhere with the same "few rows, then more" check, so not repeated here: the
action plan (tests/network/test_plan.py::test_the_plan_does_not_query_per_sheet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from maillage.network.survey_services import submit_response

from ..conftest import login_with_second_factor
from ..evaluation.factories import IndicatorFactory, IndicatorValueFactory
from ..factories import OrganisationFactory
from ..network.factories import DecisionFactory, MeetingFactory, WorkingGroupFactory
from ..network.survey_factories import InvitationFactory, SurveyFactory, build_survey, choice
from ..prevention.event_factories import AwarenessEventFactory, MaterialReuseFactory
from ..prevention.factories import CampaignFactory, MaterialFactory, PrintOrderFactory
from ..queries import page_queries

pytestmark = pytest.mark.django_db


@dataclass
class ListCase:
    url: Callable[[dict], str]
    add: Callable[[dict, int], None]
    user: str | None = None  # a fixture name: the page is seen logged in as this user
    setup: Callable[[dict], None] = field(default=lambda ctx: None)
    query_cap: int = 40  # a sanity bound: a list page stays well under it


# Prevention


def add_campaigns(ctx: dict, n: int) -> None:
    for _ in range(n):
        campaign = CampaignFactory(territory=ctx["territory"])
        MaterialFactory(campaign=campaign)


def add_materials(ctx: dict, n: int) -> None:
    for _ in range(n):
        MaterialFactory(campaign=ctx["campaign"], stock=5)


def add_orders(ctx: dict, n: int) -> None:
    for _ in range(n):
        PrintOrderFactory(
            material=MaterialFactory(campaign=ctx["campaign"]),
            organisation=OrganisationFactory(territory=ctx["territory"]),
        )


def add_events(ctx: dict, n: int) -> None:
    for _ in range(n):
        AwarenessEventFactory(
            organiser=OrganisationFactory(territory=ctx["territory"]),
            partners=[OrganisationFactory(territory=ctx["territory"])],
        )


def add_reuses(ctx: dict, n: int) -> None:
    for _ in range(n):
        MaterialReuseFactory(
            material=MaterialFactory(campaign=ctx["campaign"]),
            organisation=OrganisationFactory(territory=ctx["territory"]),
        )


def with_campaign(ctx: dict) -> None:
    ctx["campaign"] = CampaignFactory(territory=ctx["territory"])


# Network


def add_groups(ctx: dict, n: int) -> None:
    for _ in range(n):
        group = WorkingGroupFactory(
            contract=ctx["contract"], pilot=OrganisationFactory(territory=ctx["territory"])
        )
        group.members.add(OrganisationFactory(territory=ctx["territory"]))
        MeetingFactory(contract=ctx["contract"], group=group)


def add_meetings(ctx: dict, n: int) -> None:
    for _ in range(n):
        meeting = MeetingFactory(
            contract=ctx["contract"], starts_at=timezone.now() + timedelta(days=10 + n)
        )
        DecisionFactory(meeting=meeting, owner=OrganisationFactory(territory=ctx["territory"]))


def add_surveys(ctx: dict, n: int) -> None:
    for _ in range(n):
        survey = SurveyFactory(contract=ctx["contract"], open=True)
        InvitationFactory(survey=survey, organisation=ctx["organisation"])


def with_answered_survey(ctx: dict) -> None:
    ctx["survey"] = build_survey(ctx["contract"], open=True, year=2025)


def add_responses(ctx: dict, n: int) -> None:
    survey = ctx["survey"]
    q = survey.q
    satisfied = choice(q["accueil"], "Satisfaisant").pk
    for number in range(n):
        invitation = InvitationFactory(
            survey=survey, organisation=OrganisationFactory(territory=ctx["territory"])
        )
        submit_response(
            token=invitation.token,
            answers={
                q["impact"].pk: choice(q["impact"], "Plutôt d'accord").pk,
                q["coordination"].pk: 1 + number % 5,
                q["actions"].pk: [choice(q["actions"], "Formations").pk],
                q["accueil"].pk: {row.pk: satisfied for row in q["accueil"].rows.all()},
                q["suggestions"].pk: f"Suggestion {number}",
            },
        )


# Evaluation


def add_indicators(ctx: dict, n: int) -> None:
    """Entered indicators with a value each, entered by the referent's structure."""
    for _ in range(n):
        indicator = IndicatorFactory(
            contract=ctx["contract"], entered=True, responsible=ctx["organisation"]
        )
        IndicatorValueFactory(indicator=indicator, value=Decimal(12))


CASES: dict[str, ListCase] = {
    "prevention library (public)": ListCase(
        url=lambda ctx: reverse("prevention:library"), add=add_materials, setup=with_campaign
    ),
    "prevention campaigns (workspace)": ListCase(
        url=lambda ctx: reverse("prevention:campaign_list"), add=add_campaigns, user="coordinator"
    ),
    "prevention materials (workspace)": ListCase(
        url=lambda ctx: reverse("prevention:material_list"),
        add=add_materials,
        setup=with_campaign,
        user="coordinator",
    ),
    "prevention orders (workspace)": ListCase(
        url=lambda ctx: reverse("prevention:orders"),
        add=add_orders,
        setup=with_campaign,
        user="coordinator",
    ),
    "prevention events (workspace)": ListCase(
        url=lambda ctx: reverse("prevention:events"), add=add_events, user="coordinator"
    ),
    "prevention agenda (public)": ListCase(
        # the month of the events (a week from now)
        url=lambda ctx: (
            reverse("prevention:agenda") + f"?mois={timezone.localdate() + timedelta(days=7):%Y-%m}"
        ),
        add=add_events,
    ),
    "prevention reuses (workspace)": ListCase(
        url=lambda ctx: reverse("prevention:reuses"),
        add=add_reuses,
        setup=with_campaign,
        user="coordinator",
    ),
    "network working groups": ListCase(
        url=lambda ctx: reverse("network:groups", args=[ctx["contract"].pk]),
        add=add_groups,
        user="coordinator",
    ),
    "network meetings": ListCase(
        url=lambda ctx: reverse("network:meetings", args=[ctx["contract"].pk]),
        add=add_meetings,
        user="coordinator",
    ),
    "network surveys (workspace)": ListCase(
        url=lambda ctx: reverse("network:survey_list"), add=add_surveys, user="coordinator"
    ),
    "network surveys of my structure": ListCase(
        url=lambda ctx: reverse("network:survey_mine"), add=add_surveys, user="referent"
    ),
    "network survey results": ListCase(
        url=lambda ctx: reverse("network:survey_results", args=[ctx["survey"].pk]),
        add=add_responses,
        setup=with_answered_survey,
        user="coordinator",
    ),
    "evaluation home (indicators to enter)": ListCase(
        url=lambda ctx: reverse("evaluation:home"), add=add_indicators, user="referent"
    ),
    "evaluation dashboard (indicators)": ListCase(
        url=lambda ctx: reverse("evaluation:dashboard", args=[ctx["contract"].pk]),
        add=add_indicators,
        user="coordinator",
    ),
}


def count_queries(client, url: str) -> tuple[int, list[str], int]:
    """The number of queries of the page, their SQL, and the length of the page."""
    assert client.get(url).status_code == 200  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    sql = page_queries(queries)
    return len(sql), sql, len(response.content)


@pytest.mark.parametrize("name", CASES)
def test_list_queries_do_not_grow_with_the_rows(
    name, request, client, territory, contract, organisation
):
    case = CASES[name]
    ctx = {"territory": territory, "contract": contract, "organisation": organisation}
    case.setup(ctx)
    if case.user:
        login_with_second_factor(client, request.getfixturevalue(case.user))
    url = case.url(ctx)

    case.add(ctx, 2)
    few, _, few_length = count_queries(client, url)
    case.add(ctx, 6)
    many, statements, many_length = count_queries(client, url)

    assert many_length > few_length, f"{name}: the page does not show the rows added"
    assert few == many, f"{name}: {few} queries with 2 rows, {many} with 8:\n" + "\n".join(
        statements
    )
    assert many <= case.query_cap, f"{name}: {many} queries"
