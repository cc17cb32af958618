"""Communes and EPCI from INSEE's official geographic code (npm @etalab/decoupage-administratif).

Loaded by a command from the package's JSON files, never fetched at run time. A slice with the
29 communes of Angers Loire Métropole ships in core/data/ for the demo and the tests.
"""

import json
from pathlib import Path

from django.db import transaction

from .models import Commune, Territory

BUNDLED = Path(__file__).parent / "data" / "communes-angers-loire-metropole.json"


def read_source(path: Path) -> tuple[list[dict], list[dict]]:
    """Communes and EPCI from the bundled slice, or from the npm package's data/ folder."""
    if path.is_dir():
        communes = json.loads((path / "communes.json").read_text(encoding="utf-8"))
        epcis = json.loads((path / "epci.json").read_text(encoding="utf-8"))
        communes = [c for c in communes if c.get("type", "commune-actuelle") == "commune-actuelle"]
        return communes, epcis
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["communes"], data["epci"]


@transaction.atomic
def load_communes(path: Path = BUNDLED) -> int:
    """Create or update every commune of the source; returns how many were written."""
    communes, _ = read_source(path)
    existing = set(Commune.objects.values_list("insee_code", flat=True))
    rows = [
        Commune(
            insee_code=c["code"],
            name=c["nom"],
            department=c.get("departement") or "",
            postal_codes=c.get("codesPostaux") or [],
            population=c.get("population"),
        )
        for c in communes
    ]
    Commune.objects.bulk_create([r for r in rows if r.insee_code not in existing], batch_size=2000)
    Commune.objects.bulk_update(
        [r for r in rows if r.insee_code in existing],
        ["name", "department", "postal_codes", "population"],
        batch_size=2000,
    )
    return len(rows)


def epci_members(siren: str, path: Path = BUNDLED) -> tuple[str, list[str]]:
    """The name and the member communes' INSEE codes of an EPCI, by SIREN."""
    _, epcis = read_source(path)
    for epci in epcis:
        if epci["code"] == siren:
            return epci["nom"], [m["code"] for m in epci["membres"]]
    raise LookupError(siren)


@transaction.atomic
def attach_epci_communes(territory: Territory, path: Path = BUNDLED) -> int:
    _, codes = epci_members(territory.epci_siren, path)
    territory.communes.set(Commune.objects.filter(insee_code__in=codes))
    return len(codes)
