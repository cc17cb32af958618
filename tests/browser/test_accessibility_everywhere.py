"""Every page of the URLconf, for every role, in Chromium: axe-core and pa11y find no WCAG 2.1
A/AA violation (DESIGN.md §3, RGAA 4.1; issue 9 point 7).

The pages come from the URLconf itself: each named pattern is either given its arguments from
the Angers demo data (PAGE_ARGUMENTS) or set aside with the reason (NOT_PAGES: files, feeds,
POST-only actions). A new pattern in neither list makes `test_every_url_pattern_is_listed`
fail, so a new page cannot escape the check.

For each role (anonymous, professional, referent, trainer, coordinator and administrator, both
with their second factor) the test client first asks each URL (cheap, in process); the pages
that answer 200 in HTML are then loaded in Chromium, logged in through the real form (TOTP code
typed for the coordinator and the administrator), and checked by:
- axe-core (the vendored copy, tests/browser/vendor/axe.min.js), tags wcag2a/2aa/21a/21aa;
- pa11y 9 (runners axe and HTML_CodeSniffer, WCAG2AA, errors), one Chromium for every page,
  through tests/browser/pa11y_run.mjs started with Node.
States: results (the demo data fills the lists), empty (a search without results, the lists of a
coordinator whose territory holds nothing yet) and error (forms posted invalid, checked by axe
on the page the server sends back).

The demo is loaded once for the module (about 10 s of CPU); the results are computed once and
each test asserts its share of them. Cost: 505 page loads with axe and 171 with pa11y; 22 min
on a 2-core machine shared by 8 sessions (load average 14), pa11y 1.3 s a page there.
"""

import dataclasses
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Browser, BrowserContext, Page, Route

from maillage.core.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

from ..conftest import login_with_second_factor
from .conftest import NAVIGATION_TIMEOUT_MS, TIMEOUT_MS
from .test_accessibility import AXE, WCAG_AA

PROJECT = Path(__file__).resolve().parents[2]
PA11Y_SCRIPT = Path(__file__).parent / "pa11y_run.mjs"
NODE = shutil.which("node")

ROLES = {
    "anonymous": None,
    "professional": "professionnel@demo.maillage.fr",
    "referent": "referente@demo.maillage.fr",
    "trainer": "formatrice@demo.maillage.fr",
    "coordinator": "coordination@demo.maillage.fr",
    "administrator": "admin@demo.maillage.fr",
}
EMPTY_COORDINATOR = "coordination.vide@example.org"
# The crawl in two halves of about the same cost, one per module (this one, and
# test_accessibility_everywhere_coordination.py), so that pytest-xdist runs them side by side.
PARTS = {
    "partners": ("anonymous", "professional", "referent", "trainer"),
    "coordination": ("coordinator", "administrator", "empty_coordinator"),
}
PART = "partners"

# Named patterns that are not HTML pages, or that no GET can reach, with the reason.
NOT_PAGES = {
    "healthz": "plain-text health check",
    "robots_txt": "plain text for robots",
    "security_txt": "plain text (RFC 9116)",
    "directory:search-pdf": "PDF",
    "directory:service-pdf": "PDF",
    "directory:import_job_status": "JSON polled by the import page",
    "directory:service_revert": "POST only",
    "directory:report_close": "POST only",
    "orientation:summary-pdf": "PDF",
    "orientation:reflex-sheet": "PDF",
    "orientation:draft-start": "POST only",
    "orientation:default-tree": "POST only",
    "orientation:counts": "POST only",
    "orientation:publish": "POST only",
    "orientation:delete": "POST only",
    "orientation:version-start": "POST only",
    "orientation:node-delete": "POST only",
    "trainings:session_ics": "iCalendar file",
    "trainings:person_calendar": "iCalendar feed",
    "trainings:session_transition": "POST only",
    "trainings:statistics_csv": "CSV",
    "trainings:statistics_xlsx": "XLSX",
    "trainings:charter_application_decide": "POST only",
    "trainings:registration_certificate_by_token": "PDF",
    "trainings:attendance_sheet": "PDF",
    "trainings:signed_sheet_download": "uploaded file",
    "trainings:registration_certificate": "PDF",
    "prevention:agenda_ical": "iCalendar feed",
    "prevention:event_publish": "POST only",
    "prevention:events_csv": "CSV",
    "prevention:events_xlsx": "XLSX",
    "prevention:reuse_delete": "POST only",
    "prevention:reuses_csv": "CSV",
    "prevention:reuses_xlsx": "XLSX",
    "prevention:download": "file download",
    "prevention:variant_download": "file download",
    "prevention:preview": "PNG",
    "prevention:material_transition": "POST only",
    "prevention:variant_delete": "POST only",
    "prevention:order_approve": "POST only",
    "prevention:order_refuse": "POST only",
    "prevention:order_deliver": "POST only",
    "prevention:material_file": "file download",
    "network:survey_open": "POST only",
    "network:survey_close": "POST only",
    "network:survey_export_csv": "CSV",
    "network:survey_export_xlsx": "XLSX",
    "network:survey_question_delete": "POST only",
    "network:survey_question_move": "POST only",
    "network:plan_csv": "CSV",
    "network:plan_xlsx": "XLSX",
    "network:sheet_progress": "POST only",
    "network:note_add": "POST only",
    "network:milestone_add": "POST only",
    "network:attachment_add": "POST only",
    "network:milestone_delete": "POST only",
    "network:attachment": "file download",
    "network:attachment_delete": "POST only",
    "evaluation:review_pdf": "PDF",
    "evaluation:review_json": "JSON",
    "evaluation:review_table": "CSV/XLSX",
    "evaluation:copil": "ZIP",
    "printed_guide:default": "PDF",
    "printed_guide:territory": "PDF",
    "printed_guide:commune": "PDF",
    "core:organisation_revert": "POST only",
    "core:membership_decide": "POST only",
    "account_confirm_email": "needs a key sent by email",
    "account_reset_password_from_key": "needs a key sent by email",
    "account_confirm_login_code": "login by code is off",
    "account_request_reauthentication_code": "login by code is off",
    "account_confirm_reauthentication_code": "login by code is off",
    "mfa_download_recovery_codes": "text file",
    "mfa_index": (
        "allauth's mfa/index.html reads authenticators.recovery_codes.generate_codes, undefined "
        "here: pytest-django's invalid-variable check turns the page into an error"
    ),
}
# Also left out: Django's own admin (its templates, not ours; administrators only) and the JSON
# API (schemathesis checks it), apart from its HTML documentation page.


class MissingData(LookupError):
    """The loaded data has no object to give a pattern its arguments."""


def _pk(model: str, **filters) -> int | str:
    return _token_of(model, "pk", **filters)


def _token_of(model: str, attribute: str, **filters) -> str:
    obj = apps.get_model(model).objects.filter(**filters).order_by("pk").first()
    if obj is None:
        raise MissingData(f"{model} {filters}")
    return getattr(obj, attribute)


def _freshness_token() -> str:
    from maillage.directory.freshness import make_token

    service = (
        apps.get_model("directory.Service")
        .objects.filter(organisation__name="Solidarité Femmes 49")
        .order_by("pk")
        .first()
    )
    referent = apps.get_model("core.User").objects.get(email=ROLES["referent"])
    return make_token(service, referent)


# Arguments of each named pattern that takes some, from the demo data. Values are callables
# run once the demo is loaded; several dicts give several pages.
PAGE_ARGUMENTS: dict[str, Callable[[], dict]] = {
    "directory:service": lambda: {"pk": _pk("directory.Service")},
    "directory:report": lambda: {"pk": _pk("directory.Service")},
    "directory:still_up_to_date": lambda: {"token": _freshness_token()},
    "directory:service_edit": lambda: {
        "pk": _pk("directory.Service", organisation__name="Solidarité Femmes 49")
    },
    "directory:service_history": lambda: {
        "pk": _pk("directory.Service", organisation__name="Solidarité Femmes 49")
    },
    "directory:service_verify": lambda: {
        "pk": _pk("directory.Service", organisation__name="Solidarité Femmes 49")
    },
    "directory:change": lambda: {"pk": _pk("directory.ChangeRequest")},
    "directory:import_job": lambda: {"pk": _pk("directory.ImportJob")},
    "orientation:preview": lambda: {"pk": _pk("orientation.TreeVersion")},
    "orientation:version": lambda: {"pk": _pk("orientation.TreeVersion")},
    "orientation:question-add": lambda: {"pk": _pk("orientation.TreeVersion")},
    "orientation:result-add": lambda: {"pk": _pk("orientation.TreeVersion")},
    "orientation:node-edit": lambda: {"pk": _pk("orientation.Node")},
    "trainings:module": lambda: {"slug": _token_of("trainings.Module", "slug")},
    "trainings:session": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:registration_access": lambda: {
        "token": _token_of("trainings.Registration", "access_token")
    },
    "trainings:module_edit": lambda: {"pk": _pk("trainings.Module")},
    "trainings:session_manage": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:session_edit": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:session_cancel": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:register_self": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:register_staff": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:registration_cancel": lambda: {"pk": _pk("trainings.Registration")},
    "trainings:charter_application_edit": lambda: {"pk": _pk("trainings.CharterApplication")},
    "trainings:certificate_verify": lambda: {"code": _token_of("trainings.Certificate", "code")},
    "trainings:evaluation": lambda: {"token": _token_of("trainings.EvaluationInvitation", "token")},
    "trainings:session_attendance": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:signed_sheet_upload": lambda: {"pk": _pk("trainings.TrainingSlot")},
    "trainings:session_evaluation": lambda: {"pk": _pk("trainings.TrainingSession")},
    "trainings:module_evaluation": lambda: {"pk": _pk("trainings.Module")},
    "prevention:event": lambda: {"pk": _pk("prevention.AwarenessEvent")},
    "prevention:event_edit": lambda: {"pk": _pk("prevention.AwarenessEvent")},
    "prevention:event_cancel": lambda: {"pk": _pk("prevention.AwarenessEvent")},
    "prevention:event_attendance": lambda: {"pk": _pk("prevention.AwarenessEvent")},
    "prevention:event_review": lambda: {"pk": _pk("prevention.AwarenessEvent", status="submitted")},
    "prevention:material": lambda: {"pk": _pk("prevention.Material")},
    "prevention:campaign_edit": lambda: {"pk": _pk("prevention.Campaign")},
    "prevention:material_manage": lambda: {"pk": _pk("prevention.Material")},
    "prevention:material_edit": lambda: {"pk": _pk("prevention.Material")},
    "prevention:material_stock": lambda: {"pk": _pk("prevention.Material")},
    "prevention:variant_add": lambda: {"pk": _pk("prevention.Material")},
    "network:survey_answer": lambda: {
        "token": _token_of("network.Invitation", "token", survey__status="open")
    },
    "network:survey_detail": lambda: {"pk": _pk("network.Survey")},
    "network:survey_edit": lambda: {"pk": _pk("network.Survey")},
    "network:survey_delete": lambda: {"pk": _pk("network.Survey")},
    "network:survey_preview": lambda: {"pk": _pk("network.Survey")},
    "network:survey_results": lambda: {"pk": _pk("network.Survey")},
    "network:survey_question_add": lambda: {"pk": _pk("network.Survey")},
    "network:survey_question_edit": lambda: {"pk": _pk("network.Question")},
    "network:plan": lambda: {"contract_pk": _current_contract()},
    "network:sheet_create": lambda: {"contract_pk": _current_contract()},
    "network:sheet": lambda: {"pk": _pk("network.ActionSheet")},
    "network:sheet_edit": lambda: {"pk": _pk("network.ActionSheet")},
    "network:milestone_edit": lambda: {"pk": _pk("network.Milestone")},
    "network:meetings": lambda: {"contract_pk": _current_contract()},
    "network:meeting_create": lambda: {"contract_pk": _current_contract()},
    "network:decisions": lambda: {"contract_pk": _current_contract()},
    "network:groups": lambda: {"contract_pk": _current_contract()},
    "network:group_create": lambda: {"contract_pk": _current_contract()},
    "network:group_edit": lambda: {"pk": _pk("network.WorkingGroup")},
    "network:meeting": lambda: {"pk": _pk("network.Meeting")},
    "network:meeting_edit": lambda: {"pk": _pk("network.Meeting")},
    "network:decision_add": lambda: {"pk": _pk("network.Meeting")},
    "network:decision_edit": lambda: {"pk": _pk("network.Decision")},
    "evaluation:dashboard": lambda: {"pk": _current_contract()},
    "evaluation:indicator_add": lambda: {"contract_pk": _current_contract()},
    "evaluation:indicator": lambda: {
        "contract_pk": _current_contract(),
        "pk": _pk("evaluation.Indicator", contract=_current_contract()),
    },
    "evaluation:indicator_edit": lambda: {
        "contract_pk": _current_contract(),
        "pk": _pk("evaluation.Indicator", contract=_current_contract()),
    },
    "evaluation:review": lambda: {"pk": _current_contract()},
    "core:contract": lambda: {
        "territory": "angers-loire-metropole",
        "pk": _current_contract(),
    },
    "core:organisation": lambda: {
        "territory": "angers-loire-metropole",
        "pk": _pk("core.Organisation", name="Solidarité Femmes 49"),
    },
    "core:contract_manage": lambda: {"pk": _current_contract()},
    "core:contract_edit": lambda: {"pk": _current_contract()},
    "core:signature_add": lambda: {"contract_pk": _current_contract()},
    "core:signature_edit": lambda: {
        "contract_pk": _current_contract(),
        "pk": _pk("core.Signature", contract=_current_contract()),
    },
    "core:signature_delete": lambda: {
        "contract_pk": _current_contract(),
        "pk": _pk("core.Signature", contract=_current_contract()),
    },
    "core:priority_add": lambda: {"contract_pk": _current_contract()},
    "core:priority_edit": lambda: {
        "contract_pk": _current_contract(),
        "pk": _pk("core.Priority", contract=_current_contract()),
    },
    "core:organisation_manage": lambda: {
        "pk": _pk("core.Organisation", name="Solidarité Femmes 49")
    },
    "core:organisation_edit": lambda: {"pk": _pk("core.Organisation", name="Solidarité Femmes 49")},
    "core:organisation_members": lambda: {
        "pk": _pk("core.Organisation", name="Solidarité Femmes 49")
    },
    "core:organisation_history": lambda: {
        "pk": _pk("core.Organisation", name="Solidarité Femmes 49")
    },
}

# The empty state of a search and of the lists (seen by the coordinator of an empty territory).
EMPTY_SEARCHES = ["/annuaire/?q=zzqxwv", "/supports/?q=zzqxwv"]


def _current_contract() -> int:
    territory = apps.get_model("core.Territory").objects.get(slug="angers-loire-metropole")
    return territory.current_contract().pk


def url_patterns() -> Iterator[tuple[str, URLPattern]]:
    """(qualified name, pattern) of every named pattern of the URLconf."""

    def walk(patterns, namespace: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    yield from walk(get_resolver().url_patterns, None)


def _set_aside(name: str, pattern: URLPattern) -> bool:
    lookup = getattr(pattern.callback, "__module__", "") or ""
    if name in NOT_PAGES:
        return True
    if name.startswith("admin:") or lookup.startswith("django.contrib.admin"):
        return True
    return lookup.startswith(("ninja", "maillage.api")) and name != "api-docs"


def _needs_arguments(pattern: URLPattern) -> bool:
    regex = getattr(pattern.pattern, "regex", None)
    return bool(getattr(pattern.pattern, "converters", None) or (regex and regex.groups))


def unlisted_patterns() -> list[str]:
    """Names of the patterns with arguments that neither list knows."""
    return [
        name
        for name, pattern in url_patterns()
        if not _set_aside(name, pattern)
        and _needs_arguments(pattern)
        and name not in PAGE_ARGUMENTS
    ]


def catalogue() -> tuple[list[str], list[str]]:
    """(paths of every page, arguments from the loaded data; what the data lacks)."""
    paths, missing = [], []
    for name, pattern in url_patterns():
        if _set_aside(name, pattern):
            continue
        if not _needs_arguments(pattern):
            paths.append(reverse(name))
        elif name in PAGE_ARGUMENTS:
            try:
                paths.append(reverse(name, kwargs=PAGE_ARGUMENTS[name]()))
            except MissingData as error:
                missing.append(f"{name}: {error}")
    return list(dict.fromkeys(paths)), missing


# ----------------------------------------------------------------------------------------------
# The crawl, done once for the module.


@dataclass
class Crawl:
    part: str = ""  # the key of PARTS whose roles Chromium checked
    pages: dict[str, list[str]] = field(default_factory=dict)  # role -> paths seen in HTML
    axe: dict[str, dict[str, list[dict]]] = field(default_factory=dict)  # role -> path -> v.
    errors: dict[str, list[dict]] = field(default_factory=dict)  # form path -> violations
    error_pages: list[str] = field(default_factory=list)
    pa11y: list[dict] = field(default_factory=list)
    pa11y_error: str = ""
    cookies: dict[str, list[dict]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    pa11y_pages: dict[str, list[str]] = field(default_factory=dict)
    # What axe could not decide ("incomplete": the contrast of text over an SVG chart, say),
    # per role and path: checked by hand (docs/rgaa.md).
    review: dict[str, dict[str, list[str]]] = field(default_factory=dict)


def _load_site() -> None:
    """On top of the Angers demo (committed: the `demo` fixture), what it lacks."""
    _add_what_the_demo_lacks()
    # The coordinator of a territory that holds nothing yet: every list in its empty state.
    from maillage.core.models import Role, Territory, User

    from ..conftest import enrol_second_factor

    empty = Territory.objects.create(name="Territoire vide", slug="territoire-vide")
    user = User.objects.create_user(EMPTY_COORDINATOR, DEMO_PASSWORD)
    Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, territory=empty)
    enrol_second_factor(user)


def _submit_a_partners_event(organisation) -> None:
    """A referent's event waiting for the coordination: the review page with its form."""
    from datetime import timedelta

    from django.utils import timezone

    from maillage.core.models import User
    from maillage.prevention.events import create_event, publish_event
    from maillage.prevention.models import Audience, AwarenessEvent

    starts_at = timezone.now() + timedelta(days=20)
    referent = User.objects.get(email=ROLES["referent"])
    event = create_event(
        organiser=organisation,
        by=referent,
        title="Atelier « Reconnaître l'emprise »",
        kind=AwarenessEvent.Kind.WORKSHOP,
        audience=Audience.GENERAL_PUBLIC,
        place_name="Maison de quartier",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
    )
    publish_event(event=event, by=referent)


def _add_what_the_demo_lacks() -> None:
    """Objects the demo does not make, so that their pages are checked too: a change request,
    an import job, a certificate, an evaluation invitation, an open survey."""
    from maillage.core.models import Organisation, Territory, User
    from maillage.directory.models import ImportJob, Service
    from maillage.directory.moderation import service_data, submit_change
    from maillage.trainings.models import Certificate, EvaluationInvitation, Registration

    from ..network.survey_factories import InvitationFactory, build_survey

    organisation = Organisation.objects.get(name="Solidarité Femmes 49")
    service = Service.objects.filter(organisation=organisation).order_by("pk").first()
    base = service_data(service)
    submit_change(
        organisation=organisation,
        service=service,
        base=base,
        data={**base, "name": base["name"] + " (horaires d'été)"},
        by=User.objects.get(email=ROLES["referent"]),
    )
    territory = Territory.objects.get(slug="angers-loire-metropole")
    _submit_a_partners_event(organisation)
    ImportJob.objects.create(
        territory=territory,
        file="imports/demo.json",
        format="data-inclusion",
        status=ImportJob.Status.DONE,
        done=3,
        total=3,
        report={
            "rows": 3,
            "created": 1,
            "updated": 0,
            "unchanged": 1,
            "skipped": 0,
            "errors_count": 1,
            "invalid_rows": 1,
            "written": False,
            "errors": [{"row": 2, "field": "name", "message": "Ce champ est obligatoire."}],
            "warnings": [{"row": 3, "field": "phone", "message": "Numéro incomplet."}],
        },
        created_by=User.objects.get(email=ROLES["coordinator"]),
    )
    registration = Registration.objects.order_by("pk").first()
    Certificate.objects.get_or_create(registration=registration)
    EvaluationInvitation.objects.get_or_create(registration=registration)
    survey = build_survey(territory.current_contract(), open=True, year=2026)
    InvitationFactory(survey=survey, organisation=organisation)


def _html_pages(client: Client, paths: list[str]) -> list[str]:
    seen = []
    for path in paths:
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            seen.append(path)
    return seen


def _new_context(browser: Browser, live_url: str) -> BrowserContext:
    context = browser.new_context(locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)

    def route(route: Route) -> None:
        if route.request.url.startswith(live_url + "/"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    return context


def _log_in(page: Page, live_url: str, email: str) -> None:
    """The real login form; the TOTP code page when it asks (coordinator, administrator)."""
    from ..conftest import TOTP_SECRET

    page.goto(live_url + "/compte/login/")
    form = page.locator("main form", has=page.locator("input[name=login]"))
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    if urlsplit(page.url).path == "/compte/2fa/authenticate/":
        secret = TOTP_SECRET if email == EMPTY_COORDINATOR else DEMO_TOTP_SECRET
        page.locator("main input[name=code]").fill(pyotp.TOTP(secret).now())
        with page.expect_navigation():
            page.locator("main form [type=submit]").first.click()
    assert urlsplit(page.url).path != "/compte/login/", f"{email} could not log in"


ERROR_FORMS = [
    # (role, path name, arguments) of forms posted empty: each must come back with its errors.
    ("anonymous", "directory:report", "directory:report"),
    ("referent", "directory:service_add", None),
    ("referent", "core:organisation_edit", "core:organisation_edit"),
    ("coordinator", "trainings:module_add", None),
    ("coordinator", "trainings:session_add", None),
    ("coordinator", "prevention:event_create", None),
    ("coordinator", "prevention:campaign_add", None),
    ("coordinator", "prevention:material_add", None),
    ("coordinator", "network:survey_create", None),
    ("coordinator", "network:sheet_create", "network:sheet_create"),
    ("coordinator", "network:meeting_create", "network:meeting_create"),
    ("coordinator", "evaluation:indicator_add", "evaluation:indicator_add"),
    ("coordinator", "core:organisation_add", None),
    ("coordinator", "core:signature_add", "core:signature_add"),
    ("coordinator", "directory:import", None),
    ("anonymous", "account_signup", None),
    ("anonymous", "account_reset_password", None),
]


def _post_invalid(page: Page) -> bool:
    """Empty the first POST form of <main> and send it, bypassing the browser's own checks.

    True when the server answered with the form again (an error page), not a redirect."""
    form = page.locator("main form[method=post i]").first
    if form.count() == 0:
        return False
    before = page.url
    form.evaluate(
        """(form) => {
            form.noValidate = true;
            for (const field of form.elements) {
                if (field.type === "hidden" || field.type === "submit") continue;
                if (field.type === "checkbox" || field.type === "radio") field.checked = false;
                else if (field.tagName === "SELECT") field.selectedIndex = -1;
                else if ("value" in field && field.type !== "file") field.value = "";
            }
        }"""
    )
    with page.expect_navigation():
        form.evaluate("(form) => form.requestSubmit()")
    return page.url == before and page.locator("[aria-invalid=true], .errorlist").count() > 0


def run_axe_and_review(page: Page, axe_source: str) -> tuple[list[dict], list[str]]:
    """axe's violations (as run_axe gives them) and the ids of the rules it could not decide."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """(values) => axe.run(document, {runOnly: {type: "tag", values}}).then((results) => [
            results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "), summary: n.failureSummary,
                })),
            })),
            results.incomplete.map((v) => v.id),
        ])""",
        WCAG_AA,
    )


def _crawl(browser: Browser, live_url: str, axe_source: str, part: str) -> Crawl:
    """The pages each role reaches (test client, in process: the roles of `part`, and the roles
    before them, whose pages pa11y has seen), then axe in Chromium on those of the roles of
    `part`, and its forms posted invalid."""
    crawl = Crawl(part=part)
    paths, crawl.missing = catalogue()
    from maillage.core.models import User

    roles = dict(ROLES, empty_coordinator=EMPTY_COORDINATOR)
    last = list(roles).index(PARTS[part][-1])
    for role, email in list(roles.items())[: last + 1]:
        client = Client()
        if email:
            login_with_second_factor(client, User.objects.get(email=email))
        role_paths = paths + (EMPTY_SEARCHES if role in ("anonymous", "coordinator") else [])
        if role == "empty_coordinator":
            role_paths = [p for p in paths if "<" not in p and p.startswith("/espace/")]
        crawl.pages[role] = _html_pages(client, role_paths)

    for role in PARTS[part]:
        email = roles[role]
        context = _new_context(browser, live_url)
        page = context.new_page()
        if email:
            _log_in(page, live_url, email)
        crawl.cookies[role] = [
            {k: c[k] for k in ("name", "value", "domain", "path")} for c in context.cookies()
        ]
        crawl.axe[role], crawl.review[role] = {}, {}
        for path in crawl.pages[role]:
            response = page.goto(live_url + path)
            assert response is not None
            if response.status != 200:
                crawl.axe[role][path] = [{"id": f"HTTP {response.status}", "nodes": []}]
                continue
            crawl.axe[role][path], crawl.review[role][path] = run_axe_and_review(page, axe_source)
        context.close()

    contexts: dict[str, tuple[BrowserContext, Page]] = {}
    for role, name, arguments in ERROR_FORMS:
        if role not in PARTS[part]:
            continue
        if role not in contexts:
            context = _new_context(browser, live_url)
            page = context.new_page()
            if roles[role]:
                _log_in(page, live_url, roles[role])
            contexts[role] = (context, page)
        page = contexts[role][1]
        path = reverse(name, kwargs=PAGE_ARGUMENTS[arguments]() if arguments else None)
        page.goto(live_url + path)
        if _post_invalid(page):
            crawl.error_pages.append(f"{role} {path}")
            crawl.errors[f"{role} {path}"] = run_axe_and_review(page, axe_source)[0]
        else:
            crawl.errors[f"{role} {path}"] = [{"id": "no error page", "nodes": []}]
    for context, _page in contexts.values():
        context.close()
    return crawl


def _pa11y(crawl: Crawl, live_url: str, part: str) -> None:
    if NODE is None or not (PROJECT / "node_modules" / "pa11y").exists():
        crawl.pa11y_error = (
            "pa11y needs Node and node_modules/ (PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts)"
        )
        return
    every_role = os.environ.get("MAILLAGE_PA11Y_EVERY_ROLE") == "1"
    done_paths: set[str] = set()
    for role, paths in crawl.pages.items():
        # By default each page once, seen by the least privileged role that reaches it (the
        # roles come in that order), and every page of the empty territory: pa11y costs about
        # twice what axe does. MAILLAGE_PA11Y_EVERY_ROLE=1 runs it on every page of every role.
        mine = [
            p for p in paths if every_role or role == "empty_coordinator" or p not in done_paths
        ]
        done_paths.update(paths)
        crawl.pa11y_pages[role] = mine
    roles = [
        {
            "name": role,
            "cookies": crawl.cookies[role],
            "urls": [live_url + path for path in paths],
        }
        for role, paths in crawl.pa11y_pages.items()
        if paths and role in PARTS[part]
    ]
    done = subprocess.run(
        [NODE, str(PA11Y_SCRIPT)],
        # HTML_CodeSniffer: axe has run on every page of every role above.
        input=json.dumps({"chromium": "/usr/bin/chromium", "runners": ["htmlcs"], "roles": roles}),
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=900,
        env=dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="1"),
    )
    if done.returncode != 0:
        crawl.pa11y_error = done.stderr[-3000:]
        return
    crawl.pa11y = json.loads(done.stdout)


def crawl_of(part: str, browser, live_url: str, django_db_blocker) -> Crawl:
    """On the demo, crawl every page for the roles of `part` with axe then pa11y.

    The data is written outside any test transaction; the tests using the crawl ask for `demo`
    and `transactional_db`, whose teardown flushes it."""
    assert AXE.exists(), f"{AXE} is missing"
    with django_db_blocker.unblock():
        _load_site()
        result = _crawl(browser, live_url, AXE.read_text(encoding="utf-8"), part)
        _pa11y(result, live_url, part)
    if os.environ.get("MAILLAGE_A11Y_REPORT"):
        Path(f"{os.environ['MAILLAGE_A11Y_REPORT']}.{part}").write_text(
            json.dumps(dataclasses.asdict(result), indent=1), encoding="utf-8"
        )
    return result


@pytest.fixture(scope="module")
def crawl(browser, live_server, demo_snapshot, django_db_blocker) -> Crawl:
    return crawl_of(PART, browser, live_server.url, django_db_blocker)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """`role`: each role of this module's half of the crawl."""
    if "role" in metafunc.fixturenames:
        metafunc.parametrize("role", PARTS[metafunc.module.PART])


def _report(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, violations in found.items():
        for v in violations:
            lines.append(f"{where}: {v['id']} {v.get('help', '')}")
            lines += [f"    {n['target']}: {n['summary']}" for n in v["nodes"][:5]]
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------


def test_every_url_pattern_is_listed():
    """A new pattern with arguments must be given them (or set aside with a reason)."""
    unlisted = unlisted_patterns()
    assert unlisted == [], f"add these to PAGE_ARGUMENTS or NOT_PAGES: {unlisted}"
    names = dict(url_patterns())
    stale = [name for name in [*NOT_PAGES, *PAGE_ARGUMENTS] if name not in names]
    assert stale == [], f"no such pattern any more: {stale}"


def test_axe_finds_no_violation_on_any_page(crawl, role, demo, transactional_db):
    pages = crawl.pages[role]
    assert len(pages) >= 5, f"{role} saw only {pages}"
    found = {path: v for path, v in crawl.axe[role].items() if v}
    assert found == {}, f"axe, {role}, {len(found)}/{len(pages)} pages:\n" + _report(found)


def test_axe_finds_no_violation_on_error_pages(crawl, demo, transactional_db):
    forms = [form for form in ERROR_FORMS if form[0] in PARTS[crawl.part]]
    assert len(crawl.error_pages) >= len(forms) - 3, crawl.errors
    found = {where: v for where, v in crawl.errors.items() if v}
    assert found == {}, "axe on forms posted invalid:\n" + _report(found)


def test_pa11y_finds_no_error_on_any_page(crawl, role, demo, transactional_db):
    assert crawl.pa11y_error == "", crawl.pa11y_error
    results = [r for r in crawl.pa11y if r["role"] == role]
    assert len(results) == len(crawl.pa11y_pages[role])
    found = {
        r["url"]: [
            {
                "id": f"{i['runner']} {i['code']}",
                "help": i["message"],
                "nodes": [{"target": i["selector"], "summary": i["context"]}],
            }
            for i in r["issues"]
        ]
        for r in results
        if r["issues"] or r["status"] != 200
    }
    assert found == {}, f"pa11y, {role}:\n" + _report(found)


def test_pages_and_roles_are_counted(crawl, demo, transactional_db, capsys):
    """The figures the issue's closing note asks for, printed (pytest -s shows them)."""
    pages = sum(len(p) for p in crawl.pages.values())
    with capsys.disabled():
        print(
            f"\naccessibility ({crawl.part}): {pages} pages x roles, "
            + ", ".join(f"{role} {len(p)}" for role, p in crawl.pages.items())
            + f"; axe on {sum(len(crawl.axe[role]) for role in crawl.axe)} of them, "
            + f"{len(crawl.error_pages)} error pages; pa11y on {len(crawl.pa11y)} pages, "
            + f"{sum(len(r['issues']) for r in crawl.pa11y)} errors, "
            + f"axe: {sum(bool(ids) for role in crawl.review.values() for ids in role.values())} "
            + "pages with something to review by hand"
        )
    assert pages >= {"partners": 150, "coordination": 450}[crawl.part]
    assert crawl.missing == [], f"the data lacks objects for: {crawl.missing}"
