import pytest

from maillage.directory.models import Place, Service, Term, Visibility
from maillage.directory.search import Query, services_for
from maillage.directory.taxonomy import KINDS

EMERGENCY_NUMBERS = {"15", "17", "18", "112", "114", "115"}


@pytest.mark.django_db
def test_demo_directory_has_national_numbers_and_angers_actors(demo):
    assert Service.objects.filter(source="demo").count() == 52
    assert Service.objects.filter(name__startswith="3919").exists()
    assert not Place.objects.filter(hide_address=True, latitude__isnull=False).exists()
    found = [s.name for s in services_for(Query(text="hebergement"))]
    assert "115 — Hébergement d'urgence" in found


@pytest.mark.django_db
def test_every_demo_service_has_kinds_and_every_kind_has_a_service(demo):
    services = Service.objects.filter(source="demo").prefetch_related("kinds")
    assert all(service.kinds.exists() for service in services)
    used = {kind.code for service in services for kind in service.kinds.all()}
    assert used == {code for code, _label in KINDS}
    assert all(t.vocabulary == Term.Vocabulary.KIND for s in services for t in s.kinds.all())


@pytest.mark.django_db
def test_demo_local_services_keep_emergency_numbers_for_the_national_lines(demo):
    """Only the national 17 and the SIAO's 115 carry an emergency number as their phone."""
    for service in Service.objects.filter(source="demo").prefetch_related("phones"):
        for phone in service.phones.all():
            if phone.number.replace(" ", "") in EMERGENCY_NUMBERS:
                assert service.name.startswith(phone.number), service.name
    police = Service.objects.get(name="Commissariat central : dépôt de plainte")
    assert [p.number for p in police.phones.all()] == ["02 41 00 00 10"]
    assert police.kinds.filter(code="police").exists()


@pytest.mark.django_db
def test_demo_publics_ages_and_places_of_the_actors(demo):
    women = Service.objects.filter(organisation__name="Solidarité Femmes 49")
    assert women.count() == 2 and set(women.values_list("gender", flat=True)) == {"women"}
    assert Service.objects.get(organisation__name="France Victimes 49").gender == "all"
    refuge = Service.objects.get(name="Le Refuge, délégation d'Angers")
    assert (refuge.age_min, refuge.age_max, refuge.minors_accepted) == (14, 25, True)
    uaped = Service.objects.get(name__contains="UAPED")
    assert uaped.age_max == 17 and uaped.minors_accepted and uaped.referral_only
    assert Service.objects.get(name="Groupes de parole").age_min == 16  # AAVAS
    criavs = Service.objects.get(kinds__code="perpetrator-resource")
    assert criavs.visibility == Visibility.PROFESSIONALS
    assert criavs not in Service.objects.for_everyone()
    brigades = Service.objects.filter(kinds__code="gendarmerie").exclude(coverage="national")
    assert brigades.count() == 3  # and the national 17 (police and gendarmerie)
    assert len({b.places.get().commune_id for b in brigades}) == 3
    assert all(b.coverage == Service.Coverage.COMMUNES for b in brigades)
    mds = Service.objects.filter(kinds__code="social-services")
    assert len({m.places.get().commune_id for m in mds}) == 3
    covered = [c.pk for m in mds for c in m.coverage_communes.all()]
    assert len(covered) == len(set(covered)) == 29
