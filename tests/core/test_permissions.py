"""404 for what a user may not see, 403 for what they may see but not change."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_referent_edits_their_own_organisation(login, referent, organisation):
    client = login(referent)
    assert client.get(reverse("core:organisation_edit", args=[organisation.pk])).status_code == 200


def test_referent_cannot_edit_another_organisation_of_the_contract(
    login, referent, other_organisation
):
    client = login(referent)
    # They can see it (same territory) ...
    url = reverse("core:organisation_manage", args=[other_organisation.pk])
    assert client.get(url).status_code == 200
    # ... but not change it: 403, on GET and on POST.
    url = reverse("core:organisation_edit", args=[other_organisation.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "Piratée", "kind": "association"})
    assert response.status_code == 403
    other_organisation.refresh_from_db()
    assert other_organisation.name == "CIDFF 49"


def test_referent_cannot_see_the_members_of_another_organisation(
    login, referent, other_organisation, organisation
):
    client = login(referent)
    assert (
        client.get(reverse("core:organisation_members", args=[other_organisation.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("core:organisation_members", args=[organisation.pk])).status_code == 200
    )


def test_organisation_of_another_territory_is_not_even_seen(login, referent, foreign_organisation):
    client = login(referent)
    for name in ["organisation_manage", "organisation_edit", "organisation_members"]:
        url = reverse(f"core:{name}", args=[foreign_organisation.pk])
        assert client.get(url).status_code == 404, name


def test_coordinator_of_another_territory_gets_404(
    login, other_coordinator, contract, organisation
):
    client = login(other_coordinator)
    assert client.get(reverse("core:contract_manage", args=[contract.pk])).status_code == 404
    assert client.get(reverse("core:contract_edit", args=[contract.pk])).status_code == 404
    assert client.get(reverse("core:organisation_edit", args=[organisation.pk])).status_code == 404


def test_coordinator_edits_every_organisation_and_the_contract(
    login, coordinator, contract, other_organisation
):
    client = login(coordinator)
    assert client.get(reverse("core:contract_edit", args=[contract.pk])).status_code == 200
    url = reverse("core:organisation_edit", args=[other_organisation.pk])
    assert client.get(url).status_code == 200


def test_professional_sees_the_contract_but_cannot_change_it(login, professional, contract):
    client = login(professional)
    assert client.get(reverse("core:contract_manage", args=[contract.pk])).status_code == 200
    assert client.get(reverse("core:contract_edit", args=[contract.pk])).status_code == 403
    url = reverse("core:signature_add", args=[contract.pk])
    assert client.post(url, {}).status_code == 403


def test_trainer_cannot_add_an_organisation(login, trainer):
    client = login(trainer)
    assert client.get(reverse("core:organisation_add")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, contract, organisation):
    for url in [
        reverse("core:workspace"),
        reverse("core:contract_manage", args=[contract.pk]),
        reverse("core:organisation_edit", args=[organisation.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_account_without_role_sees_no_partner_space(login, contract, organisation):
    from ..factories import UserFactory

    client = login(UserFactory())
    assert client.get(reverse("core:workspace")).status_code == 200
    assert client.get(reverse("core:contract_manage", args=[contract.pk])).status_code == 404
    assert client.get(reverse("core:organisation_list")).status_code == 403
