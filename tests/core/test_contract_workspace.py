import csv
import io

import pytest
from django.urls import reverse

from maillage.core.models import Organisation, Signature

from ..factories import CommuneFactory, OrganisationFactory, SignatureFactory

pytestmark = pytest.mark.django_db


def test_contract_page_filters_signatories_by_kind_new_and_commune(client, contract, territory):
    angers = CommuneFactory(insee_code="49007", name="Angers")
    trelaze = CommuneFactory(insee_code="49353", name="Trélazé")
    rows = [
        ("CHU", Organisation.Kind.HEALTH, angers, False),
        ("Université", Organisation.Kind.EDUCATION, angers, True),
        ("Irigo", Organisation.Kind.COMPANY, trelaze, True),
    ]
    for name, kind, commune, is_new in rows:
        SignatureFactory(
            contract=contract,
            is_new=is_new,
            organisation__name=name,
            organisation__kind=kind,
            organisation__commune=commune,
        )
    url = contract.get_absolute_url()

    def names(query):
        html = client.get(url, query).content.decode()
        return [n for n in ["CHU", "Université", "Irigo"] if f">{n}</a>" in html]

    assert names({}) == ["CHU", "Université", "Irigo"]
    assert names({"kind": "health"}) == ["CHU"]
    assert names({"new": "oui"}) == ["Université", "Irigo"]
    assert names({"commune": "49353"}) == ["Irigo"]
    assert names({"q": "univ"}) == ["Université"]
    assert "Aucun signataire ne correspond" in client.get(url, {"q": "zzz"}).content.decode()


def test_contract_page_query_count_does_not_grow_with_signatories(
    client, contract, django_assert_max_num_queries
):
    SignatureFactory.create_batch(30, contract=contract)
    with django_assert_max_num_queries(12):
        response = client.get(contract.get_absolute_url())
    assert response.content.decode().count("data-signature") == 30


def test_coordinator_adds_a_signatory_with_the_contract_date_by_default(
    login, coordinator, contract, territory
):
    organisation = OrganisationFactory(territory=territory, name="Maison Olympe")
    client = login(coordinator)
    response = client.post(
        reverse("core:signature_add", args=[contract.pk]),
        {"organisation": organisation.pk, "signatory_title": "La présidente", "is_new": "on"},
    )
    assert response.status_code == 302
    signature = Signature.objects.get(organisation=organisation)
    assert signature.signed_on == contract.signed_on
    assert signature.is_new
    assert signature.history.latest().history_user == coordinator


def test_an_organisation_cannot_sign_the_same_contract_twice(login, coordinator, signatures):
    client = login(coordinator)
    signature = signatures[0]
    response = client.post(
        reverse("core:signature_add", args=[signature.contract.pk]),
        {"organisation": signature.organisation.pk},
    )
    assert response.status_code == 200
    assert "Cette structure a déjà signé ce contrat." in response.content.decode()
    assert Signature.objects.count() == 2


def test_organisation_of_another_territory_cannot_sign(
    login, coordinator, contract, foreign_organisation
):
    client = login(coordinator)
    response = client.post(
        reverse("core:signature_add", args=[contract.pk]), {"organisation": foreign_organisation.pk}
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Signature.objects.exists()


def test_removing_a_signatory_asks_for_confirmation_and_keeps_history(
    login, coordinator, signatures
):
    client = login(coordinator)
    signature = signatures[0]
    url = reverse("core:signature_delete", args=[signature.contract.pk, signature.pk])
    assert "Retirer ce signataire ?" in client.get(url).content.decode()
    assert Signature.objects.filter(pk=signature.pk).exists()

    client.post(url)

    assert not Signature.objects.filter(pk=signature.pk).exists()
    assert Signature.history.filter(id=signature.pk, history_type="-").exists()


def test_signatories_export_as_csv_with_formulas_neutralised(login, coordinator, contract):
    SignatureFactory(contract=contract, organisation__name='=HYPERLINK("x")')
    client = login(coordinator)
    response = client.get(reverse("core:contract_manage", args=[contract.pk]), {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Structure"
    assert rows[1][0] == '\'=HYPERLINK("x")'


def test_invalid_contract_dates_are_refused_in_french(login, coordinator, contract):
    client = login(coordinator)
    response = client.post(
        reverse("core:contract_edit", args=[contract.pk]),
        {"title": "Contrat", "start_date": "2026-01-01", "end_date": "2025-01-01"},
    )
    assert "La fin du contrat doit suivre son début." in response.content.decode()
    contract.refresh_from_db()
    assert contract.end_date.year == 2026


def test_workspace_lists_keep_a_fixed_number_of_queries(
    login, coordinator, contract, territory, django_assert_max_num_queries
):
    SignatureFactory.create_batch(30, contract=contract)
    client = login(coordinator)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("core:contract_manage", args=[contract.pk]))
    assert response.content.decode().count("data-signature") == 30
    with django_assert_max_num_queries(16):
        response = client.get(reverse("core:organisation_list"))
    assert "30 structures" in response.content.decode()


def test_organisation_list_searches_and_paginates(login, coordinator, territory):
    OrganisationFactory.create_batch(30, territory=territory)
    OrganisationFactory(territory=territory, name="Maison Olympe", acronym="MO")
    client = login(coordinator)
    url = reverse("core:organisation_list")

    first = client.get(url).content.decode()
    assert "31 structures" in first
    assert "Page 1 sur 2" in first
    assert "Page 2 sur 2" in client.get(url, {"page": 2}).content.decode()
    found = client.get(url, {"q": "olympe"}).content.decode()
    assert "1 structure" in found
    assert "Maison Olympe" in found
    assert "Aucune structure" in client.get(url, {"q": "zzz"}).content.decode()
