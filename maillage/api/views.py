"""The human documentation page of the API, rendered from its OpenAPI schema.

Ninja's own page would load Swagger UI from a CDN: no third-party request on our pages.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .api import MAX_PAGE_SIZE, api

METHODS = ("get", "post", "put", "patch", "delete")


def endpoints() -> list[dict]:
    schema = api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in METHODS:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": "chemin" if p.get("in") == "path" else "requête",
                            "description": p.get("description")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                }
            )
    return found


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/docs.html",
        {
            "api": api,
            "endpoints": endpoints(),
            "openapi_url": reverse("api:openapi-json"),
            "max_page_size": MAX_PAGE_SIZE,
        },
    )
