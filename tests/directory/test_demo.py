import pytest

from maillage.directory.models import Place, Service
from maillage.directory.search import Query, services_for


@pytest.mark.django_db
def test_demo_directory_has_national_numbers_and_angers_actors(demo):
    assert Service.objects.filter(source="demo").count() == 21
    assert Service.objects.filter(name__startswith="3919").exists()
    assert not Place.objects.filter(hide_address=True, latitude__isnull=False).exists()
    found = [s.name for s in services_for(Query(text="hebergement"))]
    assert "115 — Hébergement d'urgence" in found
