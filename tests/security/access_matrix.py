"""The access matrix: for every URL pattern of the URLconf, how to build its arguments from the
world of `conftest.py`, and the answer each role must get.

A pattern that no rule names makes `test_every_url_pattern_has_a_rule` fail: a new module adds
its rules here.

Roles, in the order of the columns of every expectation string:

    anonymous  newcomer  professional  referent  trainer  coordinator  administrator

- newcomer: a signed-up account that no coordinator has approved yet (no role);
- professional, referent, trainer: of organisation A, in territory X;
- coordinator: of territory X; administrator: superuser. Both passed the second factor.

Scopes: a rule on a territory's object is checked on X's object (the coordinator's own) and on
Y's (another territory); a rule on an organisation's object on A's (the partners' own), B's
(another organisation of X) and C's (an organisation of Y).

Answers: 200, 403, 404, 405, 302 (a redirect elsewhere than the login page), L (redirect to the
login page), A (redirect to the admin's login page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ROLES = (
    "anonymous",
    "newcomer",
    "professional",
    "referent",
    "trainer",
    "coordinator",
    "administrator",
)
TERRITORY_SCOPES = ("X", "Y")
ORGANISATION_SCOPES = ("A", "B", "C")
DENIED = {"L", "A", "403", "404"}


@dataclass(frozen=True)
class Rule:
    name: str
    scope: str | None
    kwargs: Callable
    expect: str
    method: str = "GET"
    # Also POST an empty form as every role the GET denies, and expect the same refusal.
    post: bool = False
    query: str = ""

    @property
    def expected(self) -> dict[str, str]:
        answers = self.expect.split()
        assert len(answers) == len(ROLES), f"{self.name}: {len(answers)} answers"
        return dict(zip(ROLES, answers, strict=True))


def none(scope, world) -> dict:
    return {}


def N(name: str, expect: str, **options) -> list[Rule]:
    """A pattern without arguments."""
    return [Rule(name, None, none, expect, **options)]


def T(name: str, kwargs: Callable, *, X: str, Y: str, **options) -> list[Rule]:
    """A pattern on an object of a territory: checked on X's and on Y's."""
    return [Rule(name, "X", kwargs, X, **options), Rule(name, "Y", kwargs, Y, **options)]


def O(name: str, kwargs: Callable, *, A: str, B: str, C: str, **options) -> list[Rule]:  # noqa: E743
    """A pattern on an object of an organisation: checked on A's, B's and C's."""
    return [
        Rule(name, "A", kwargs, A, **options),
        Rule(name, "B", kwargs, B, **options),
        Rule(name, "C", kwargs, C, **options),
    ]


def pk(attribute: str, key: str = "pk") -> Callable:
    return lambda scope, world: {key: getattr(scope, attribute).pk}


def contract_and(attribute: str) -> Callable:
    return lambda scope, world: {
        "contract_pk": scope.contract.pk,
        "pk": getattr(scope, attribute).pk,
    }


RULES: list[Rule] = []

# Health check, API (open data), API documentation.
RULES += N("healthz", "200 200 200 200 200 200 200")
# robots.txt and security.txt (RFC 9116; SECURITY_CONTACT set by tests/settings.py).
RULES += N("robots_txt", "200 200 200 200 200 200 200")
RULES += N("security_txt", "200 200 200 200 200 200 200")
RULES += N("api-docs", "200 200 200 200 200 200 200")
RULES += N("api:openapi-json", "200 200 200 200 200 200 200")
RULES += N("api:api-root", "404 404 404 404 404 404 404")
RULES += N("api:di_structures", "200 200 200 200 200 200 200")
RULES += N("api:di_services", "200 200 200 200 200 200 200")
RULES += N("api:hsds_organizations", "200 200 200 200 200 200 200")
RULES += N("api:hsds_services", "200 200 200 200 200 200 200")
# POST only, with a JSON situation: a form body is refused (400, in French); a GET gets 405.
RULES += N("api:orientation", "400 400 400 400 400 400 400", method="POST")
RULES += O(
    "api:hsds_service",
    lambda s, w: {"service_id": s.service.pk},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)

# Accounts (allauth).
RULES += N("account_login", "200 302 302 302 302 302 302")
RULES += N("account_logout", "302 200 200 200 200 200 200")
RULES += N("account_inactive", "200 200 200 200 200 200 200")
RULES += N("account_signup", "200 302 302 302 302 302 302")
RULES += N("account_reauthenticate", "L 200 200 200 200 200 200")
RULES += N("account_request_reauthentication_code", "L 200 200 200 200 200 200")
RULES += N("account_confirm_reauthentication_code", "L 302 302 302 302 302 302")
RULES += N("account_email", "L 200 200 200 200 200 200")
RULES += N("account_email_verification_sent", "200 200 200 200 200 200 200")
RULES += N("account_change_password", "L 200 200 200 200 200 200")
RULES += N("account_set_password", "L 302 302 302 302 302 302")
RULES += N("account_reset_password", "200 200 200 200 200 200 200")
RULES += N("account_confirm_login_code", "L 302 302 302 302 302 302")
RULES += N("account_reset_password_from_key_done", "200 200 200 200 200 200 200")
RULES += N("account_reset_password_done", "200 200 200 200 200 200 200")
RULES += N("mfa_index", "L 200 200 200 200 200 200")
RULES += N("mfa_authenticate", "L 302 302 302 302 302 302")
RULES += N("mfa_reauthenticate", "L 302 302 302 302 200 200")
RULES += N("mfa_activate_totp", "L 200 200 200 200 302 302")
RULES += N("mfa_deactivate_totp", "L 404 404 404 404 302 302")
RULES += N("mfa_view_recovery_codes", "L 404 404 404 404 404 404")
RULES += N("mfa_generate_recovery_codes", "L 200 200 200 200 302 302")
RULES += N("mfa_download_recovery_codes", "L 404 404 404 404 404 404")
RULES += [
    Rule(
        "account_confirm_email",
        None,
        lambda s, w: {"key": "inconnue"},
        "200 200 200 200 200 200 200",
    )
]
RULES += [
    Rule(
        "account_reset_password_from_key",
        None,
        lambda s, w: {"uidb36": "1", "key": "inconnue"},
        "200 200 200 200 200 200 200",
    )
]

# Core: public pages.
RULES += N("core:home", "200 200 200 200 200 200 200")
RULES += N("core:safety", "200 200 200 200 200 200 200")
RULES += N("core:accessibility", "200 200 200 200 200 200 200")
RULES += N("core:legal", "200 200 200 200 200 200 200")
RULES += N("core:privacy", "200 200 200 200 200 200 200")
RULES += T(
    "core:contract",
    lambda s, w: {"territory": s.territory.slug, "pk": s.contract.pk},
    X="200 200 200 200 200 200 200",
    Y="200 200 200 200 200 200 200",
)
RULES += O(
    "core:organisation",
    lambda s, w: {"territory": s.territory.slug, "pk": s.organisation.pk},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
# Core: workspace.
RULES += N("core:audit_log", "L 403 403 403 403 200 200")
# Joining an organisation: any signed-in account asks; the territory's coordination decides.
RULES += N("core:membership_request", "L 200 200 200 200 200 200")
RULES += N("core:membership_requests", "L 403 403 403 403 200 200")
RULES += O(
    "core:membership_decide",
    pk("membership"),
    A="L 404 404 404 404 302 302",
    B="L 404 404 404 404 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)
# A new account (no role yet) gets its home page, with the request to join a structure only.
RULES += N("core:workspace", "L 200 200 200 200 200 200")
RULES += T(
    "core:contract_manage",
    pk("contract"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "core:contract_edit",
    pk("contract"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "core:signature_add",
    pk("contract", "contract_pk"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += O(
    "core:signature_edit",
    lambda s, w: {"contract_pk": s.t.contract.pk, "pk": s.signature.pk},
    post=True,
    A="L 404 403 403 403 200 200",
    B="L 404 403 403 403 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "core:signature_delete",
    lambda s, w: {"contract_pk": s.t.contract.pk, "pk": s.signature.pk},
    post=True,
    A="L 404 403 403 403 200 200",
    B="L 404 403 403 403 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += T(
    "core:priority_add",
    pk("contract", "contract_pk"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "core:priority_edit",
    contract_and("priority"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += N("core:organisation_list", "L 403 200 200 200 200 200")
RULES += N("core:organisation_add", "L 403 403 403 403 200 200", post=True)
RULES += O(
    "core:organisation_manage",
    pk("organisation"),
    A="L 404 200 200 200 200 200",
    B="L 404 200 200 200 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "core:organisation_edit",
    pk("organisation"),
    post=True,
    A="L 404 403 200 403 200 200",
    B="L 404 403 403 403 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "core:organisation_members",
    pk("organisation"),
    A="L 404 200 200 200 200 200",
    B="L 404 404 404 404 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "core:organisation_history",
    pk("organisation"),
    A="L 404 200 200 200 200 200",
    B="L 404 200 200 200 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "core:organisation_revert",
    lambda s, w: {
        "pk": s.organisation.pk,
        "history_id": s.organisation.history.earliest().history_id,
    },
    A="L 404 403 302 403 302 302",
    B="L 404 403 403 403 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)

# Directory.
RULES += N("directory:search", "200 200 200 200 200 200 200")
RULES += N("directory:search-pdf", "200 200 200 200 200 200 200")
RULES += O(
    "directory:service-pdf",
    pk("service"),
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += O(
    "directory:service",
    pk("service"),
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += O(
    "directory:report",
    pk("service"),
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
# The link of the freshness email carries its own signed token (made for the referent of A):
# it works for whoever holds it, and is refused (400) on another service.
RULES += O(
    "directory:still_up_to_date",
    lambda s, w: {"token": s.freshness_token},
    A="200 200 200 200 200 200 200",
    B="400 400 400 400 400 400 400",
    C="400 400 400 400 400 400 400",
)
RULES += N("directory:workspace", "L 403 200 200 200 200 200")
RULES += N("directory:service_add", "L 403 403 200 403 200 200", post=True)
RULES += O(
    "directory:service_edit",
    pk("service"),
    post=True,
    A="L 404 403 200 403 200 200",
    B="L 404 403 403 403 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "directory:service_history",
    pk("service"),
    A="L 404 403 200 403 200 200",
    B="L 404 403 403 403 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "directory:service_revert",
    lambda s, w: {"pk": s.service.pk, "history_id": s.service.history.earliest().history_id},
    A="L 404 403 302 403 302 302",
    B="L 404 403 403 403 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)
RULES += O(
    "directory:service_verify",
    pk("service"),
    A="L 404 403 302 403 302 302",
    B="L 404 403 403 403 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)
RULES += N("directory:freshness", "L 403 403 403 403 200 200")
RULES += N("directory:reports", "L 403 403 403 403 200 200")
RULES += O(
    "directory:report_close",
    pk("report"),
    A="L 403 403 403 403 302 302",
    B="L 403 403 403 403 302 302",
    C="L 403 403 403 403 404 302",
    method="POST",
)
RULES += N("directory:zero_results", "L 403 403 403 403 200 200")
RULES += N("directory:changes", "L 403 403 403 403 200 200")
RULES += O(
    "directory:change",
    pk("change"),
    post=True,
    A="L 404 404 404 404 200 200",
    B="L 404 404 404 404 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += N("directory:import", "L 403 403 403 403 200 200", post=True)
RULES += T(
    "directory:import_job",
    pk("import_job"),
    X="L 403 403 403 403 200 200",
    Y="L 403 403 403 403 404 200",
)
RULES += T(
    "directory:import_job_status",
    pk("import_job"),
    X="L 403 403 403 403 200 200",
    Y="L 403 403 403 403 404 200",
)

# Orientation.
RULES += N("orientation:guide", "200 200 200 200 200 200 200")
RULES += N("orientation:summary-pdf", "302 302 302 302 302 302 302", method="POST")
RULES += N("orientation:reflex-sheets", "L 403 200 200 200 200 200")
RULES += T(
    "orientation:reflex-sheet",
    lambda s, w: {"insee": s.commune.insee_code},
    X="L 403 200 200 200 200 200",
    Y="L 403 404 404 404 404 404",
)
RULES += N("orientation:workspace", "L 403 403 403 403 200 200")
RULES += T(
    "orientation:draft-start",
    lambda s, w: {"slug": s.territory.slug},
    X="L 404 404 404 404 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += T(
    "orientation:default-tree",
    lambda s, w: {"slug": s.territory.slug},
    X="L 404 404 404 404 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += T(
    "orientation:counts",
    lambda s, w: {"slug": s.territory.slug},
    X="L 404 404 404 404 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += T(
    "orientation:preview", pk("tree"), X="L 404 404 404 404 200 200", Y="L 404 404 404 404 404 200"
)
RULES += T(
    "orientation:publish",
    pk("tree"),
    X="L 404 404 404 404 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += T(
    "orientation:delete",
    pk("tree"),
    X="L 404 404 404 404 403 403",
    Y="L 404 404 404 404 404 403",
    method="POST",
)
RULES += T(
    "orientation:version", pk("tree"), X="L 404 404 404 404 200 200", Y="L 404 404 404 404 404 200"
)
RULES += T(
    "orientation:version-start",
    pk("tree"),
    X="L 404 404 404 404 403 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += T(
    "orientation:question-add",
    pk("tree"),
    X="L 404 404 404 404 403 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "orientation:result-add",
    pk("tree"),
    X="L 404 404 404 404 403 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "orientation:node-edit",
    pk("node"),
    post=True,
    X="L 404 404 404 404 403 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "orientation:node-delete",
    pk("node"),
    X="L 404 404 404 404 403 200",
    Y="L 404 404 404 404 404 200",
)
# Printed guides: public, but one without a file yet is built only in a request of the
# territory's coordination or of an administrator; anyone else gets the "being prepared" page
# (503) and the build goes to the worker (never run here: each request is rolled back).
RULES += N("printed_guide:default", "503 503 503 503 503 200 200")
RULES += T(
    "printed_guide:territory",
    lambda s, w: {"territory": s.territory.slug},
    X="503 503 503 503 503 200 200",
    Y="503 503 503 503 503 503 200",
)
RULES += T(
    "printed_guide:commune",
    lambda s, w: {"territory": s.territory.slug, "insee": s.commune.insee_code},
    X="503 503 503 503 503 200 200",
    Y="503 503 503 503 503 503 200",
)

# Trainings.
RULES += N("trainings:catalogue", "200 200 200 200 200 200 200")
RULES += N("trainings:calendar", "200 200 200 200 200 200 200")
RULES += N("trainings:labelled_venues", "200 200 200 200 200 200 200")
RULES += T(
    "trainings:module",
    lambda s, w: {"slug": s.module.slug},
    X="200 200 200 200 200 200 200",
    Y="200 200 200 200 200 200 200",
)
RULES += T(
    "trainings:session",
    pk("session"),
    X="200 200 200 200 200 200 200",
    Y="200 200 200 200 200 200 200",
)
RULES += T(
    "trainings:session_ics",
    pk("session"),
    X="200 200 200 200 200 200 200",
    Y="200 200 200 200 200 200 200",
)
# Links sent by email (calendar, registration, certificate, evaluation, survey): the token is
# the key, whoever follows it.
RULES += O(
    "trainings:person_calendar",
    lambda s, w: {"token": s.registration.trainee.calendar_token},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += O(
    "trainings:registration_access",
    lambda s, w: {"token": s.registration.access_token},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += O(
    "trainings:registration_certificate_by_token",
    lambda s, w: {"token": s.past_registration.access_token},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += O(
    "trainings:certificate_verify",
    lambda s, w: {"code": s.certificate.code},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += O(
    "trainings:evaluation",
    lambda s, w: {"token": s.evaluation.token},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += N("trainings:workspace", "L 403 200 200 200 200 200")
RULES += N("trainings:module_list", "L 403 403 403 403 200 200")
RULES += N("trainings:module_add", "L 403 403 403 403 200 200", post=True)
RULES += T(
    "trainings:module_edit",
    pk("module"),
    post=True,
    X="L 403 403 403 403 200 200",
    Y="L 403 403 403 403 404 200",
)
RULES += N("trainings:session_list", "L 403 403 403 200 200 200")
RULES += N("trainings:session_add", "L 403 403 403 403 200 200", post=True)
RULES += T(
    "trainings:session_manage",
    pk("session"),
    X="L 404 404 404 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "trainings:session_edit",
    pk("session"),
    post=True,
    X="L 403 403 403 403 200 200",
    Y="L 403 403 403 403 404 200",
)
RULES += T(
    "trainings:session_transition",
    pk("session"),
    X="L 404 404 404 403 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += T(
    "trainings:session_cancel",
    pk("session"),
    post=True,
    X="L 404 404 404 403 200 200",
    Y="L 404 404 404 404 404 200",
)
# Sessions are public: a partner of X may register for a session of Y (the coordination
# registers nobody for itself).
RULES += T(
    "trainings:register_self",
    pk("session"),
    X="L 403 200 200 200 403 200",
    Y="L 403 200 200 200 403 200",
)
RULES += T(
    "trainings:register_staff",
    pk("session"),
    post=True,
    X="L 403 403 200 403 200 200",
    Y="L 403 403 200 403 403 200",
)
RULES += O(
    "trainings:registration_cancel",
    pk("registration"),
    post=True,
    A="L 404 404 200 403 200 200",
    B="L 404 404 404 403 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += N("trainings:statistics", "L 403 403 403 403 200 200")
RULES += N("trainings:statistics_csv", "L 403 403 403 403 200 200")
RULES += N("trainings:statistics_xlsx", "L 403 403 403 403 200 200")
RULES += N("trainings:charter_applications", "L 403 403 403 403 200 200")
RULES += N("trainings:charter_application_add", "L 403 403 403 403 200 200", post=True)
RULES += O(
    "trainings:charter_application_edit",
    pk("application"),
    post=True,
    A="L 403 403 403 403 200 200",
    B="L 403 403 403 403 200 200",
    C="L 403 403 403 403 404 200",
)
RULES += O(
    "trainings:charter_application_decide",
    pk("application"),
    A="L 403 403 403 403 422 422",
    B="L 403 403 403 403 422 422",
    C="L 403 403 403 403 404 422",
    method="POST",
)
RULES += T(
    "trainings:session_attendance",
    pk("past_session"),
    post=True,
    X="L 404 404 404 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "trainings:attendance_sheet",
    pk("past_session"),
    X="L 404 404 404 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "trainings:signed_sheet_upload",
    lambda s, w: {"pk": s.past_session.slots.first().pk},
    X="L 404 404 404 302 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
RULES += O(
    "trainings:signed_sheet_download",
    pk("signed_sheet"),
    A="L 404 404 404 200 200 200",
    B="L 404 404 404 200 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "trainings:registration_certificate",
    pk("past_registration"),
    A="L 404 404 200 200 200 200",
    B="L 404 404 404 200 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += T(
    "trainings:session_evaluation",
    pk("past_session"),
    X="L 404 404 404 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "trainings:module_evaluation",
    pk("module"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)

# Prevention.
RULES += N("prevention:agenda", "200 200 200 200 200 200 200")
RULES += N("prevention:agenda_ical", "200 200 200 200 200 200 200")
RULES += O(
    "prevention:event",
    pk("event"),
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += N("prevention:events", "L 403 403 200 403 200 200")
RULES += N("prevention:event_create", "L 403 403 200 403 200 200", post=True)
# The review of partners' events: the coordination of the event's territory only.
RULES += N("prevention:event_reviews", "L 403 403 403 403 200 200")
RULES += O(
    "prevention:event_review",
    pk("event"),
    post=True,
    A="L 404 404 404 404 200 200",
    B="L 404 404 404 404 200 200",
    C="L 404 404 404 404 404 200",
)
RULES += O(
    "prevention:event_edit",
    pk("event"),
    post=True,
    A="L 403 403 200 403 200 200",
    B="L 403 403 404 403 200 200",
    C="L 403 403 404 403 404 200",
)
RULES += O(
    "prevention:event_publish",
    pk("event"),
    A="L 403 403 302 403 302 302",
    B="L 403 403 404 403 302 302",
    C="L 403 403 404 403 404 302",
    method="POST",
)
RULES += O(
    "prevention:event_cancel",
    pk("event"),
    A="L 403 403 200 403 200 200",
    B="L 403 403 404 403 200 200",
    C="L 403 403 404 403 404 200",
)
RULES += O(
    "prevention:event_attendance",
    pk("event"),
    post=True,
    A="L 403 403 200 403 200 200",
    B="L 403 403 404 403 200 200",
    C="L 403 403 404 403 404 200",
)
RULES += N("prevention:events_csv", "L 403 403 200 403 200 200")
RULES += N("prevention:events_xlsx", "L 403 403 200 403 200 200")
RULES += N("prevention:reuses", "L 403 403 200 403 200 200", post=True)
RULES += O(
    "prevention:reuse_delete",
    pk("reuse"),
    A="L 403 403 200 403 200 200",
    B="L 403 403 404 403 200 200",
    C="L 403 403 404 403 404 200",
)
RULES += N("prevention:reuses_csv", "L 403 403 200 403 200 200")
RULES += N("prevention:reuses_xlsx", "L 403 403 200 403 200 200")
RULES += N("prevention:library", "200 200 200 200 200 200 200")
RULES += T(
    "prevention:material",
    pk("material"),
    X="200 200 200 200 200 200 200",
    Y="200 200 200 200 200 200 200",
)
RULES += T(
    "prevention:download",
    pk("material"),
    X="404 404 404 404 404 404 404",
    Y="404 404 404 404 404 404 404",
)
RULES += T(
    "prevention:variant_download",
    lambda s, w: {"pk": s.material.pk, "variant_pk": s.variant.pk},
    X="200 200 200 200 200 200 200",
    Y="200 200 200 200 200 200 200",
)
RULES += T(
    "prevention:preview",
    pk("material"),
    X="404 404 404 404 404 404 404",
    Y="404 404 404 404 404 404 404",
)
RULES += N("prevention:campaign_list", "L 403 403 403 403 200 200")
RULES += N("prevention:campaign_add", "L 403 403 403 403 200 200", post=True)
RULES += T(
    "prevention:campaign_edit",
    pk("campaign"),
    post=True,
    X="L 403 403 403 403 200 200",
    Y="L 403 403 403 403 404 200",
)
RULES += N("prevention:material_list", "L 403 403 403 403 200 200")
RULES += N("prevention:material_add", "L 403 403 403 403 200 200", post=True)
RULES += T(
    "prevention:material_manage",
    pk("material"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "prevention:material_edit",
    pk("material"),
    post=True,
    X="L 403 403 403 403 200 200",
    Y="L 403 403 403 403 404 200",
)
RULES += T(
    "prevention:material_transition",
    lambda s, w: {"pk": s.material.pk, "state": "archived"},
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "prevention:material_stock",
    pk("material"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "prevention:variant_add",
    pk("material"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "prevention:variant_delete",
    pk("variant"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += N("prevention:orders", "L 403 403 200 403 200 200")
# Another territory's order is 404 (not even seen); a partner of the territory gets 403.
RULES += O(
    "prevention:order_approve",
    pk("order"),
    A="L 404 403 403 403 302 302",
    B="L 404 403 403 403 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)
RULES += O(
    "prevention:order_refuse",
    pk("order"),
    A="L 404 403 403 403 302 302",
    B="L 404 403 403 403 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)
RULES += O(
    "prevention:order_deliver",
    pk("order"),
    A="L 404 403 403 403 302 302",
    B="L 404 403 403 403 302 302",
    C="L 404 404 404 404 404 302",
    method="POST",
)
RULES += N("prevention:distribution", "L 403 403 403 403 200 200")
RULES += T(
    "prevention:material_file",
    pk("material"),
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)

# Network: surveys.
RULES += O(
    "network:survey_answer",
    lambda s, w: {"token": s.invitation.token},
    A="200 200 200 200 200 200 200",
    B="200 200 200 200 200 200 200",
    C="200 200 200 200 200 200 200",
)
RULES += N("network:survey_list", "L 403 403 403 403 200 200")
RULES += N("network:survey_mine", "L 403 403 200 403 403 403")
RULES += N("network:survey_create", "L 403 403 403 403 200 200", post=True)
RULES += T(
    "network:survey_detail",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_edit",
    pk("survey"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_delete",
    pk("survey"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_preview",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_open",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_close",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_results",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_export_csv",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_export_xlsx",
    pk("survey"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_question_add",
    pk("survey"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_question_edit",
    pk("question"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_question_delete",
    pk("question"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:survey_question_move",
    pk("question"),
    X="L 404 404 404 404 302 302",
    Y="L 404 404 404 404 404 302",
    method="POST",
)
# Network: action plan and meetings.
RULES += N("network:plan_home", "L 403 302 302 302 302 200")
RULES += T(
    "network:plan",
    pk("contract", "contract_pk"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:plan_csv",
    pk("contract", "contract_pk"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:plan_xlsx",
    pk("contract", "contract_pk"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:sheet_create",
    pk("contract", "contract_pk"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:sheet", pk("sheet"), X="L 404 200 200 200 200 200", Y="L 404 404 404 404 404 200"
)
RULES += T(
    "network:sheet_edit",
    pk("sheet"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:sheet_progress",
    pk("sheet"),
    X="L 404 403 403 403 400 400",
    Y="L 404 404 404 404 404 400",
    method="POST",
)
RULES += T(
    "network:note_add",
    pk("sheet"),
    X="L 404 403 403 403 400 400",
    Y="L 404 404 404 404 404 400",
    method="POST",
)
RULES += T(
    "network:milestone_add",
    pk("sheet"),
    X="L 404 403 403 403 400 400",
    Y="L 404 404 404 404 404 400",
    method="POST",
)
RULES += T(
    "network:attachment_add",
    pk("sheet"),
    X="L 404 403 403 403 400 400",
    Y="L 404 404 404 404 404 400",
    method="POST",
)
RULES += T(
    "network:milestone_edit",
    pk("milestone"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:milestone_delete",
    pk("milestone"),
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:attachment",
    pk("attachment"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:attachment_delete",
    pk("attachment"),
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:meetings",
    pk("contract", "contract_pk"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:meeting_create",
    pk("contract", "contract_pk"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:decisions",
    pk("contract", "contract_pk"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:groups",
    pk("contract", "contract_pk"),
    X="L 404 200 200 200 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:group_create",
    pk("contract", "contract_pk"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:group_edit",
    pk("group"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:meeting", pk("meeting"), X="L 404 200 200 200 200 200", Y="L 404 404 404 404 404 200"
)
RULES += T(
    "network:meeting_edit",
    pk("meeting"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "network:decision_add",
    pk("meeting"),
    X="L 404 403 403 403 400 400",
    Y="L 404 404 404 404 404 400",
    method="POST",
)
RULES += T(
    "network:decision_edit",
    pk("decision"),
    post=True,
    X="L 404 403 403 403 200 200",
    Y="L 404 404 404 404 404 200",
)

# Evaluation.
RULES += N("evaluation:home", "L 403 403 403 403 200 200")
RULES += T(
    "evaluation:dashboard",
    pk("contract"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:indicator_add",
    pk("contract", "contract_pk"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:indicator",
    contract_and("indicator"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:indicator_edit",
    contract_and("indicator"),
    post=True,
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:review",
    pk("contract"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:review_pdf",
    pk("contract"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:review_json",
    pk("contract"),
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:review_table",
    lambda s, w: {"pk": s.contract.pk, "table": "indicateurs", "extension": "csv"},
    X="L 404 404 404 404 200 200",
    Y="L 404 404 404 404 404 200",
)
RULES += T(
    "evaluation:copil", pk("contract"), X="L 404 404 404 404 200 200", Y="L 404 404 404 404 404 200"
)
