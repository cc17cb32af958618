"""Partner accounts are approved by a coordinator before they see anything of the workspace."""

import pytest
from django.core import mail
from django.urls import reverse

from maillage.core.membership import MembershipError, decide_membership, request_membership
from maillage.core.models import MembershipRequest, Role

from ..factories import UserFactory


@pytest.fixture
def newcomer(db):
    return UserFactory(email="nouvelle@example.org")


def test_a_new_account_sees_no_workspace_page_but_its_home(login, newcomer, contract, organisation):
    client = login(newcomer)
    home = client.get(reverse("core:workspace"))
    assert home.status_code == 200
    assert reverse("core:membership_request") in home.content.decode()
    assert contract.title not in home.content.decode()
    assert client.get(reverse("core:organisation_list")).status_code == 403
    assert client.get(reverse("core:contract_manage", args=[contract.pk])).status_code == 404
    assert client.get(reverse("directory:workspace")).status_code == 403


def test_a_new_account_asks_to_join_an_organisation(login, newcomer, organisation):
    response = login(newcomer).post(
        reverse("core:membership_request"),
        {"organisation": organisation.pk, "kind": Role.Kind.PROFESSIONAL},
    )
    assert response.status_code == 302
    request = MembershipRequest.objects.get()
    assert (request.user, request.organisation, request.status) == (
        newcomer,
        organisation,
        MembershipRequest.Status.PENDING,
    )
    assert not newcomer.roles.exists()


def test_coordinator_role_cannot_be_requested(login, newcomer, organisation):
    response = login(newcomer).post(
        reverse("core:membership_request"),
        {"organisation": organisation.pk, "kind": Role.Kind.COORDINATOR},
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not MembershipRequest.objects.exists()


def test_a_second_pending_request_for_the_same_organisation_is_refused(
    login, newcomer, organisation
):
    request_membership(user=newcomer, organisation=organisation, kind=Role.Kind.PROFESSIONAL)
    response = login(newcomer).post(
        reverse("core:membership_request"),
        {"organisation": organisation.pk, "kind": Role.Kind.REFERENT},
    )
    assert "déjà une demande en attente" in response.content.decode()
    assert MembershipRequest.objects.count() == 1


def test_coordinator_sees_pending_requests_of_their_territory_only(
    login, newcomer, coordinator, organisation, foreign_organisation
):
    request_membership(user=newcomer, organisation=organisation, kind=Role.Kind.PROFESSIONAL)
    other = UserFactory(email="saumur@example.org")
    request_membership(user=other, organisation=foreign_organisation, kind=Role.Kind.REFERENT)
    client = login(coordinator)
    assert "1 demande d'accès à examiner" in client.get(reverse("core:workspace")).content.decode()
    page = client.get(reverse("core:membership_requests")).content.decode()
    assert "nouvelle@example.org" in page
    assert "saumur@example.org" not in page


def test_coordinator_approves_a_request_the_role_exists_and_the_person_is_told(
    login, newcomer, coordinator, organisation, django_capture_on_commit_callbacks
):
    request = request_membership(user=newcomer, organisation=organisation, kind=Role.Kind.REFERENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(coordinator).post(
            reverse("core:membership_decide", args=[request.pk]), {"decision": "approve"}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.APPROVED
    assert request.decided_by == coordinator
    assert newcomer.roles.filter(kind=Role.Kind.REFERENT, organisation=organisation).exists()
    assert request.history.count() == 2
    assert [message.to for message in mail.outbox] == [["nouvelle@example.org"]]
    assert "accepté" in mail.outbox[0].body


def test_coordinator_refuses_a_request_no_role_is_created(
    login, newcomer, coordinator, organisation, django_capture_on_commit_callbacks
):
    request = request_membership(
        user=newcomer, organisation=organisation, kind=Role.Kind.PROFESSIONAL
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(
            reverse("core:membership_decide", args=[request.pk]), {"decision": "refuse"}
        )
    request.refresh_from_db()
    assert request.status == MembershipRequest.Status.REFUSED
    assert not newcomer.roles.exists()
    assert "n'a pas accepté" in mail.outbox[0].body


def test_coordinator_of_another_territory_cannot_decide(
    login, newcomer, other_coordinator, organisation
):
    request = request_membership(
        user=newcomer, organisation=organisation, kind=Role.Kind.PROFESSIONAL
    )
    response = login(other_coordinator).post(
        reverse("core:membership_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    assert not newcomer.roles.exists()


def test_a_request_is_decided_once(newcomer, coordinator, organisation):
    request = request_membership(
        user=newcomer, organisation=organisation, kind=Role.Kind.PROFESSIONAL
    )
    decide_membership(request=request, approve=False, by=coordinator)
    with pytest.raises(MembershipError):
        decide_membership(request=request, approve=True, by=coordinator)
    assert not newcomer.roles.exists()


def test_the_request_form_offers_only_the_structures_matching_the_name_typed(
    login, newcomer, organisation, other_organisation
):
    client = login(newcomer)
    empty = client.get(reverse("core:membership_request")).content.decode()
    assert organisation.name not in empty
    found = client.get(reverse("core:membership_request"), {"q": "solidarité"}).content.decode()
    assert organisation.name in found
    assert other_organisation.name not in found
