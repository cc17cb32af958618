"""The public, read-only API of the directory (django-ninja, OpenAPI 3), mounted at /api/v1/.

Only published public services leave, in the data·inclusion v1 and Open Referral HSDS 3 shapes
(the mapping lives in maillage.directory.exchange, written once). Hidden addresses never
leave. No cookie, no session: anyone may call it, at most API_RATE_LIMIT times a minute.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any, Literal

from data_inclusion.schema.v1 import Service as DIService
from data_inclusion.schema.v1 import Structure as DIStructure
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.throttling import BaseThrottle
from pydantic import field_validator

from maillage.core.models import Commune, Organisation
from maillage.core.ratelimit import client_address, within_limit
from maillage.core.territories import current_territory
from maillage.directory.exchange import data_inclusion, hsds
from maillage.directory.models import Service
from maillage.directory.search import Query as SearchQuery
from maillage.directory.search import Results, services_for
from maillage.orientation.composition import compose
from maillage.orientation.situation import SituationError, parse_situation

MAX_PAGE_SIZE = 100


def within_rate_limit(request: HttpRequest) -> bool:
    """At most API_RATE_LIMIT requests a minute per client address (maillage.core.ratelimit)."""
    limit = settings.API_RATE_LIMIT
    return within_limit("api", client_address(request), limit=limit, window_seconds=60)


class PerAddressLimit(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        return within_rate_limit(request)

    def wait(self) -> float:
        return 60


class OpenDataEncoder(NinjaJSONEncoder):
    def default(self, o):
        if isinstance(o, set | frozenset):  # data·inclusion's multi-valued fields
            return sorted(o)
        return super().default(o)


class OpenDataRenderer(JSONRenderer):
    encoder_class = OpenDataEncoder


class PublicAPI(NinjaAPI):
    def get(self, path: str, **options) -> Callable:
        """A GET endpoint that answers HEAD alike (link checkers and monitors ask HEAD first;
        the server sends no body). HEAD stays out of the OpenAPI schema."""
        return self.api_operation(["GET", "HEAD"], path, **options)

    def get_openapi_schema(self, **options):
        schema = super().get_openapi_schema(**options)
        for operations in schema["paths"].values():
            operations.pop("head", None)
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # Open data: any site may read it from a browser (no cookie, no credential involved).
        response["Access-Control-Allow-Origin"] = "*"
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response


api = PublicAPI(
    title="Maillage — API de l'annuaire",
    version="1",
    description=(
        "Les services publiés et publics de l'annuaire, aux formats data·inclusion v1 et "
        "Open Referral HSDS 3.0. Lecture seule, sans authentification, limitée en débit. "
        "Les adresses confidentielles (hébergements) ne sont jamais diffusées : seule la "
        "commune l'est."
    ),
    urls_namespace="api",
    docs_url=None,  # our own page at /api/v1/docs: Swagger UI would load from a CDN
    throttle=[PerAddressLimit()],
    renderer=OpenDataRenderer(),
)

FRENCH_ERRORS = {
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "int_parsing": "doit être un nombre entier",
    "string_too_long": "est trop long (au plus {max_length} caractères)",
    "missing": "est obligatoire",
    "string_pattern_mismatch": "n'a pas la forme attendue",
    "literal_error": "doit valoir l'une de ces valeurs : {expected}",
    "extra_forbidden": "n'est pas une clé connue",
    "bool_type": "doit valoir true ou false",
    "bool_parsing": "doit valoir true ou false",
    "list_type": "doit être une liste",
    "int_type": "doit être un nombre entier",
    "string_type": "doit être un texte",
    "json_invalid": "n'est pas du JSON valide",
    "model_attributes_type": "doit être un objet JSON",
    "value_error": "{error}",
}


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        # The parameter's name: the last part of its location that is not a list position.
        names = [str(part) for part in error.get("loc", []) if not isinstance(part, int)]
        name = names[-1] if len(names) > 1 or names[:1] not in (["body"], ["query"]) else "?"
        template = FRENCH_ERRORS.get(error.get("type", ""), "n'est pas valide")
        context = {
            key: str(value).replace(" or ", " ou ") for key, value in error.get("ctx", {}).items()
        }
        errors.append({"parametre": name, "message": template.format(**context)})
    message = " ; ".join(f"« {e['parametre']} » {e['message']}" for e in errors)
    detail = _("Paramètres invalides : %(errors)s.") % {"errors": message}
    return api.create_response(request, {"detail": detail, "erreurs": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = _(
            "Le corps de la requête doit être un objet JSON (Content-Type: application/json)."
        )
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled) -> HttpResponse:
    limit = settings.API_RATE_LIMIT
    response = api.create_response(
        request,
        {
            "detail": _(
                "Trop de requêtes : au plus %(limit)d par minute. Réessayez dans une minute."
            )
            % {"limit": limit}
        },
        status=429,
    )
    response["Retry-After"] = "60"
    return response


# No NUL character in a text filter: PostgreSQL refuses it in a query (an error 500 otherwise).
TEXT = r"^[^\x00]*$"
# A commune's INSEE code: 5 characters, digits apart from Corsica's 2A and 2B.
INSEE_CODE = r"^([0-9][0-9AB][0-9]{3})?$"


class Filters(Schema):
    q: str = Field(
        "",
        max_length=200,
        pattern=TEXT,
        description="Texte recherché (nom, description, thèmes).",
    )
    commune: str = Field(
        "",
        max_length=5,
        pattern=INSEE_CODE,
        description="Code INSEE de la commune (5 caractères, ex. 49007). Un code inconnu "
        "est refusé (422).",
    )
    thematique: str = Field(
        "",
        max_length=150,
        pattern=TEXT,
        description="Thématique data·inclusion (ex. famille--…).",
    )
    aide: str = Field(
        "", max_length=80, pattern=TEXT, description="Code d'un type d'aide de Maillage."
    )
    page: int = Field(1, ge=1, description="Numéro de page, à partir de 1.")
    taille: int = Field(
        20, ge=1, le=MAX_PAGE_SIZE, description=f"Éléments par page (au plus {MAX_PAGE_SIZE})."
    )


class Page(Schema):
    count: int = Field(description="Nombre total d'éléments.")
    page: int
    taille: int
    pages: int


class DIStructurePage(Page):
    items: list[DIStructure]


class DIServicePage(Page):
    items: list[DIService]


class HSDSPage(Page):
    items: list[dict[str, Any]]


class Error(Schema):
    detail: str


def matching_services(
    filters: Filters, rows: Callable[[QuerySet[Service]], QuerySet[Service]] | None = None
) -> Results:
    commune = None
    if filters.commune:
        commune = Commune.objects.filter(insee_code=filters.commune).first()
        if commune is None:
            raise HttpError(
                422,
                _("Commune inconnue : aucun code INSEE « %(code)s ».") % {"code": filters.commune},
            )
    query = SearchQuery(
        text=filters.q,
        commune=commune,
        help=[filters.aide] if filters.aide else [],
        thematique=filters.thematique,
    )
    return services_for(query, rows=rows)


class OrganisationRows:
    """The organisations of the matching services, in name order, read a page at a time."""

    def __init__(self, ids: list[Any], rows: Callable[[QuerySet], QuerySet]) -> None:
        self.ids = ids
        self.rows = rows

    def count(self) -> int:
        return len(self.ids)

    def __getitem__(self, item: slice) -> list[Organisation]:
        ids = self.ids[item]
        found = {o.pk: o for o in self.rows(Organisation.objects.filter(pk__in=ids))}
        return [found[pk] for pk in ids if pk in found]


def matching_organisations(
    filters: Filters, rows: Callable[[QuerySet], QuerySet] = lambda organisations: organisations
) -> OrganisationRows:
    return OrganisationRows(
        matching_services(filters).organisation_ids(),
        lambda organisations: rows(organisations.select_related("commune")),
    )


def page_of(items: Results | OrganisationRows, filters: Filters, mapping) -> dict[str, Any]:
    count = items.count()
    start = (filters.page - 1) * filters.taille
    return {
        "count": count,
        "page": filters.page,
        "taille": filters.taille,
        "pages": max(1, -(-count // filters.taille)),
        "items": [mapping(item) for item in items[start : start + filters.taille]],
    }


def with_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.select_related(
        "organisation__commune", "organisation__territory"
    ).prefetch_related(*hsds.PREFETCH)


def service_link(request: HttpRequest):
    return lambda service: request.build_absolute_uri(service.get_absolute_url())


@api.get(
    "/data-inclusion/structures",
    response={200: DIStructurePage, 422: Error, 429: Error},
    exclude_none=True,
    summary="Structures (data·inclusion)",
    tags=["data·inclusion"],
)
def di_structures(request: HttpRequest, filters: Query[Filters]):
    """Les structures qui portent au moins un service correspondant aux filtres."""
    organisations = matching_organisations(filters, rows=data_inclusion.with_last_change)
    return page_of(organisations, filters, data_inclusion.structure_record)


@api.get(
    "/data-inclusion/services",
    response={200: DIServicePage, 422: Error, 429: Error},
    exclude_none=True,
    summary="Services (data·inclusion)",
    tags=["data·inclusion"],
)
def di_services(request: HttpRequest, filters: Query[Filters]):
    """Les services publiés et publics, les plus pertinents d'abord."""
    link = service_link(request)
    return page_of(
        matching_services(filters, rows=with_details),
        filters,
        lambda service: data_inclusion.service_record(service, link=link(service)),
    )


@api.get(
    "/hsds/organizations",
    response={200: HSDSPage, 422: Error, 429: Error},
    summary="Organisations (HSDS 3.0)",
    tags=["HSDS 3.0"],
)
def hsds_organizations(request: HttpRequest, filters: Query[Filters]):
    """Les organisations (structures) au format Open Referral HSDS 3.0."""
    return page_of(matching_organisations(filters), filters, hsds.organization_record)


@api.get(
    "/hsds/services",
    response={200: HSDSPage, 422: Error, 429: Error},
    summary="Services (HSDS 3.0)",
    tags=["HSDS 3.0"],
)
def hsds_services(request: HttpRequest, filters: Query[Filters]):
    """Les services au format Open Referral HSDS 3.0, avec lieux, téléphones et horaires."""
    return page_of(matching_services(filters, rows=with_details), filters, hsds.service_record)


@api.get(
    "/hsds/services/{service_id}",
    response={200: dict[str, Any], 404: Error, 429: Error},
    summary="Un service (HSDS 3.0)",
    tags=["HSDS 3.0"],
)
def hsds_service(request: HttpRequest, service_id: str):
    """Un service publié et public, par son identifiant (UUID)."""
    try:
        pk = uuid.UUID(service_id)
    except ValueError:
        pk = None
    service = with_details(Service.objects.visible_to(None)).filter(pk=pk).first() if pk else None
    if service is None:
        raise HttpError(404, _("Service introuvable."))
    return hsds.service_record(service)


# -- orientation ---------------------------------------------------------------------------

Asker = Literal["victim", "relative", "witness", "professional", "author"]
ProfessionalKind = Literal[
    "public_servant", "health", "education", "social", "employer", "night_venue", "other"
]
Form = Literal[
    "conjugal", "sexual", "sexual_harassment", "workplace", "public_space", "night_drugging",
    "online", "childhood", "incest", "forced_marriage", "fgm", "prostitution", "elder_abuse",
    "other",
]  # fmt: skip
Need = Literal[
    "talk", "shelter", "medical", "legal", "complaint", "protection", "money", "social",
    "children", "psychological",
]  # fmt: skip
Setting = Literal[
    "home", "work", "school", "university", "public_space", "transport", "night_venue",
    "online", "institution", "sport",
]  # fmt: skip


class SituationIn(Schema):
    """Une situation (rien n'en est gardé : ni journal, ni base, ni cookie)."""

    model_config = {"extra": "forbid"}

    asker: Asker = "victim"
    professional_kind: ProfessionalKind | None = None
    victim_age: int | None = Field(None, ge=0, le=120)
    victim_sex: Literal["female", "male", "other", "unknown"] = "unknown"
    forms: list[Form] = []
    setting: Setting | None = None
    days_since: int | None = Field(None, ge=0, le=36500)
    danger_now: bool = False
    can_speak: bool = True
    needs: list[Need] = []
    constraints: list[
        Annotated[
            str,
            Field(
                pattern=r"^(deaf|disability|no_phone|anonymous|lgbt|pregnant|language:[a-z]{2,3})$"
            ),
        ]
    ] = Field(
        [], description="deaf, disability, no_phone, anonymous, lgbt, pregnant, language:<code>"
    )
    commune: str | None = Field(
        None, pattern=r"^[0-9AB]{5}$", description="Code INSEE de la commune, ex. 49007."
    )
    lang: Literal["fr", "en"] = "fr"
    departure_in_days: int | None = Field(None, ge=0, le=3650)

    @field_validator("victim_age", "days_since", "departure_in_days", mode="before")
    @classmethod
    def not_a_boolean(cls, value):
        if isinstance(value, bool | str):
            raise ValueError("doit être un nombre entier")  # true is not 1, "3" is not 3
        return value

    @field_validator("danger_now", "can_speak", mode="before")
    @classmethod
    def a_boolean(cls, value):
        if not isinstance(value, bool):
            raise ValueError("doit valoir true ou false")
        return value


class NumberOut(Schema):
    code: str
    number: str
    name: str
    url: str
    why: str


class ContactOut(Schema):
    name: str
    organisation: str
    kinds: list[str]
    phone: str
    distance_km: float | None
    url: str


class StepOut(Schema):
    id: str
    text: str
    deadline_hours: int | None


class DutyOut(Schema):
    id: str
    text: str
    legal_basis: str
    limits: str


class OrientationOut(Schema):
    urgency: str
    numbers: list[NumberOut]
    contacts: list[ContactOut]
    missing_kinds: list[str]
    steps: list[StepOut]
    duties: list[DutyOut]
    advice: list[str]
    rules: list[str]


@api.post(
    "/orientation",
    response={200: OrientationOut, 400: Error, 422: Error, 429: Error},
    summary="Orientation : le résultat composé pour une situation",
    tags=["Orientation"],
)
def orientation(request: HttpRequest, situation: SituationIn):
    """Les numéros nationaux qui conviennent, les contacts locaux choisis pour la personne, les
    étapes datées, les obligations des professionnels et les conseils : le même résultat que le
    guide d'orientation. La situation n'est gardée nulle part."""
    try:
        parsed = parse_situation(situation.dict(exclude_unset=True))
    except SituationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return compose(parsed, user=None, territory=current_territory()).as_json()
