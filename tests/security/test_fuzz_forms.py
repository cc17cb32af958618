"""Property-based fuzzing of every form reachable without an account (and of the
registration forms): the fields are read from the page itself (every `name=` of its form, with
the values its radios, checkboxes and selects offer), then hypothesis posts any mix of offered
values, missing fields, unknown fields and hostile text (NUL, control characters, 100 KB,
formulas, scripts, lone surrogates, huge numbers).

Invariants: never an error 500; a refused post (4xx) writes nothing in any table; an accepted
post writes only the rows that form is for. Forms: "signaler une erreur", the directory
search (GET), the orientation guide, a survey answer (/enquetes/<token>/), the training
satisfaction questionnaire (/formations/evaluation/<token>/), the registration link
(/formations/inscription/<token>/), signup, login, password reset; logged in: self
registration to a training, a charter application.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from maillage.core.models import Organisation
from maillage.orientation.services import create_default_tree
from maillage.trainings.models import EvaluationInvitation, Registration

from ..directory.factories import ServiceFactory
from ..factories import OrganisationFactory
from ..network.survey_factories import InvitationFactory, build_survey
from ..orientation.conftest import reference_data
from ..trainings.factories import ModuleFactory, RegistrationFactory, SessionFactory
from .conftest_fuzz import changed_tables, examples, table_counts

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\x01\x0b\x1f",
        "x" * 100_000,
        '=HYPERLINK("http://x")',
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "9" * 40,
        "-1",
        "0",
        "1e309",
        "NaN",
        "2025-02-30",
        "\ud800",
        "é" * 300,
        "🙂" * 50,
        "{{ 7*7 }}",
        "%(name)s",
    ]
)
TEXT = st.text(max_size=50) | HOSTILE


def form_fields(html: str) -> dict[str, list[str]]:
    """Every field name of the page's forms, with the values it offers (radio, checkbox,
    option, hidden or pre-filled value)."""
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<(?:input|textarea|select|button)\b[^>]*>", html):
        name = re.search(r'\bname="([^"]*)"', tag)
        if not name or name.group(1) == "csrfmiddlewaretoken":
            continue
        value = re.search(r'\bvalue="([^"]*)"', tag)
        fields.setdefault(unescape(name.group(1)), [])
        if value:
            fields[unescape(name.group(1))].append(unescape(value.group(1)))
    for select in re.finditer(r'<select\b[^>]*name="([^"]*)"[^>]*>(.*?)</select>', html, re.S):
        options = re.findall(r'<option\b[^>]*value="([^"]*)"', select.group(2))
        fields.setdefault(unescape(select.group(1)), []).extend(unescape(o) for o in options)
    return fields


def post_data(fields: dict[str, list[str]]) -> st.SearchStrategy[dict]:
    """Any mix: an offered value, hostile text, several values, or the field left out."""

    def value_for(offered: list[str]) -> st.SearchStrategy:
        choices = [TEXT]
        if offered:
            choices.insert(0, st.sampled_from(offered))
            choices.append(st.lists(st.sampled_from(offered), max_size=3))
        return st.one_of(*choices)

    known = st.fixed_dictionaries(
        {},
        optional={name: value_for(offered) for name, offered in sorted(fields.items())},
    )
    unknown = st.dictionaries(st.sampled_from(["site", "id", "pk", "__proto__", "x"]), TEXT)
    return st.tuples(known, unknown).map(lambda parts: {**parts[1], **parts[0]})


def clean_surrogates(data: dict) -> dict:
    """A lone surrogate cannot leave a real browser in UTF-8: the client would choke on it."""

    def clean(value):
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value.encode("utf-8", "replace").decode("utf-8")

    return {clean(k): clean(v) for k, v in data.items()}


def check_post(client: Client, url: str, data: dict, *, allowed: set[str], method="post"):
    cache.clear()  # the rate limits have their own tests (test_antiautomation)
    before = table_counts()
    data = clean_surrogates(data)
    response = getattr(client, method)(url, data)
    assert response.status_code < 500, (url, data, response.status_code)
    changed = set(changed_tables(before, table_counts()))
    if response.status_code >= 400:
        assert changed == set(), (url, response.status_code, changed)
    else:
        assert changed <= allowed, (url, changed - allowed)
    return response


# The forms, each with what an accepted post may write

REPORT_ROWS = {"directory_errorreport", "django_tasks_database_dbtaskresult"}
NOTHING: set[str] = set()


@pytest.fixture
def service(organisation):
    return ServiceFactory(organisation=organisation)


def fuzz_form(client: Client, url: str, *, allowed: set[str], method="post", count=None, steps=0):
    """Run hypothesis over the fields of the form at `url` (and of the `steps` pages reached
    by posting the first offered values, for a form in several steps)."""
    page = client.get(url)
    assert page.status_code == 200, url
    fields = form_fields(page.content.decode())
    assert fields, f"no form field found at {url}"
    for _ in range(steps):
        first = {name: offered[0] for name, offered in fields.items() if offered}
        for name, offered in form_fields(client.post(url, first).content.decode()).items():
            fields.setdefault(name, []).extend(offered)

    @given(data=post_data(fields))
    @examples(count)
    def run(data):
        check_post(client, url, data, allowed=allowed, method=method)

    run()


def test_fuzz_the_error_report_form(client, service):
    fuzz_form(client, reverse("directory:report", args=[service.pk]), allowed=REPORT_ROWS)


def test_fuzz_the_directory_search(client, service):
    fuzz_form(
        client,
        reverse("directory:search"),
        # The counts of the vocabulary's words of a search that found nothing; the cache table
        # (the page of an anonymous search, the per-client counter of those counts).
        allowed={"directory_zeroresulttermcount", "maillage_cache"},
        method="get",
    )


def test_fuzz_the_orientation_guide(client, service):
    reference_data()
    create_default_tree(service.organisation.territory)
    fuzz_form(client, reverse("orientation:guide"), allowed=NOTHING, steps=3)


def test_fuzz_a_survey_answer(client, contract, organisation):
    invitation = InvitationFactory(
        survey=build_survey(contract, open=True, year=2025), organisation=organisation
    )
    fuzz_form(
        client,
        reverse("network:survey_answer", args=[invitation.token]),
        allowed={name for name in table_counts() if name.startswith("network_")}
        | {"django_tasks_database_dbtaskresult"},
    )


def test_fuzz_the_training_questionnaire(client, territory, organisation):
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    registration = RegistrationFactory(session=SessionFactory(module=module))
    invitation = EvaluationInvitation.objects.create(registration=registration)
    fuzz_form(
        client,
        reverse("trainings:evaluation", args=[invitation.token]),
        allowed={"trainings_evaluationanswer", "trainings_evaluationinvitation"},
    )


def test_fuzz_the_registration_link(client, territory, organisation):
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    registration = RegistrationFactory(session=SessionFactory(module=module))
    assert registration.status == Registration.Status.CONFIRMED
    fuzz_form(
        client,
        registration.access_url(),
        allowed={
            name
            for name in table_counts()
            if name.startswith(("trainings_", "core_auditevent", "django_tasks"))
        },
    )


def test_fuzz_signup_login_and_password_reset(client):
    accounts = {
        name
        for name in table_counts()
        if name.startswith(("account_", "core_user", "django_session", "django_tasks"))
    }
    for name in ("account_signup", "account_login", "account_reset_password"):
        fuzz_form(client, reverse(name), allowed=accounts)
        client.logout()


def test_fuzz_self_registration_to_a_training(login, professional, territory, organisation):
    module = ModuleFactory(territory=territory, trainer_organisation=organisation)
    session = SessionFactory(module=module)
    fuzz_form(
        login(professional),
        reverse("trainings:register_self", args=[session.pk]),
        allowed={
            name
            for name in table_counts()
            if name.startswith(("trainings_", "core_auditevent", "django_tasks"))
        },
    )


def test_fuzz_a_charter_application(login, coordinator, territory):
    OrganisationFactory(territory=territory, kind=Organisation.Kind.NIGHTLIFE)
    fuzz_form(
        login(coordinator),
        reverse("trainings:charter_application_add"),
        allowed={
            name
            for name in table_counts()
            if name.startswith(("trainings_charterapplication", "trainings_historicalcharter"))
        },
    )
