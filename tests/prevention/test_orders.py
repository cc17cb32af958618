"""Print orders: a referent orders, the coordination approves against the stock (or refuses
with a comment), then records the delivery; the distribution sums the deliveries."""

from datetime import date

import pytest
from django.urls import reverse

from maillage.prevention.models import Material, PrintOrder
from maillage.prevention.services import (
    InsufficientStock,
    OrderError,
    approve_print_order,
    distribution,
    record_delivery,
    refuse_print_order,
    request_print_order,
)

from .factories import MaterialFactory

pytestmark = pytest.mark.django_db
S = PrintOrder.Status


def test_approval_takes_the_copies_from_the_stock(guide, organisation, referent, coordinator):
    order = request_print_order(
        material=guide, organisation=organisation, quantity=200, by=referent
    )
    approve_print_order(order=order, by=coordinator)
    guide.refresh_from_db()
    order.refresh_from_db()
    assert guide.stock == 300
    assert order.status == S.APPROVED
    assert order.decided_by == coordinator


def test_an_order_beyond_the_stock_is_refused_in_french(guide, organisation, coordinator):
    order = request_print_order(material=guide, organisation=organisation, quantity=501, by=None)
    with pytest.raises(InsufficientStock, match="Stock insuffisant : 501 exemplaires demandés"):
        approve_print_order(order=order, by=coordinator)
    guide.refresh_from_db()
    order.refresh_from_db()
    assert guide.stock == 500
    assert order.status == S.REQUESTED


def test_an_order_is_decided_only_once(guide, organisation, coordinator):
    order = request_print_order(material=guide, organisation=organisation, quantity=10, by=None)
    approve_print_order(order=order, by=coordinator)
    with pytest.raises(OrderError, match="déjà été traitée"):
        approve_print_order(order=order, by=coordinator)
    guide.refresh_from_db()
    assert guide.stock == 490


def test_a_refusal_needs_a_comment_and_keeps_the_stock(guide, organisation, coordinator):
    order = request_print_order(material=guide, organisation=organisation, quantity=10, by=None)
    with pytest.raises(OrderError):
        refuse_print_order(order=order, by=coordinator, comment=" ")
    refuse_print_order(order=order, by=coordinator, comment="Guide en réimpression.")
    order.refresh_from_db()
    guide.refresh_from_db()
    assert (order.status, order.decision_comment) == (S.REFUSED, "Guide en réimpression.")
    assert guide.stock == 500


def test_a_draft_material_cannot_be_ordered(campaign, organisation):
    draft = MaterialFactory(campaign=campaign, draft=True)
    with pytest.raises(OrderError):
        request_print_order(material=draft, organisation=organisation, quantity=1, by=None)


def test_the_distribution_sums_the_deliveries_only(
    guide, organisation, other_organisation, territory
):
    first = request_print_order(material=guide, organisation=organisation, quantity=100, by=None)
    second = request_print_order(
        material=guide, organisation=other_organisation, quantity=50, by=None
    )
    request_print_order(material=guide, organisation=organisation, quantity=7, by=None)
    for order in (first, second):
        approve_print_order(order=order, by=None)
    record_delivery(order=first, delivered_on=date(2025, 3, 1), by=None)
    record_delivery(order=second, delivered_on=date(2025, 5, 1), by=None)

    figures = distribution(territory=territory)
    assert figures.total == 150
    assert {row["organisation__name"]: row["copies"] for row in figures.by_organisation} == {
        "Solidarité Femmes 49": 100,
        "CIDFF 49": 50,
    }
    assert distribution(territory=territory, start=date(2025, 4, 1)).total == 50


def test_a_referent_orders_for_their_organisation(login, referent, guide, organisation):
    client = login(referent)
    response = client.post(
        reverse("prevention:orders"),
        {"material": guide.pk, "organisation": organisation.pk, "quantity": 30},
    )
    assert response.status_code == 302
    order = PrintOrder.objects.get()
    assert (order.organisation, order.quantity, order.requested_by) == (organisation, 30, referent)


def test_a_referent_cannot_order_for_another_organisation(
    login, referent, guide, other_organisation
):
    client = login(referent)
    response = client.post(
        reverse("prevention:orders"),
        {"material": guide.pk, "organisation": other_organisation.pk, "quantity": 30},
    )
    assert response.status_code == 200  # not one of the choices
    assert not PrintOrder.objects.exists()


def test_a_referent_cannot_approve_an_order(login, referent, guide, organisation):
    order = request_print_order(material=guide, organisation=organisation, quantity=5, by=None)
    response = login(referent).post(reverse("prevention:order_approve", args=[order.pk]))
    assert response.status_code == 403
    assert Material.objects.get(pk=guide.pk).stock == 500


def test_another_territorys_coordinator_cannot_approve(
    login, other_coordinator, guide, organisation
):
    order = request_print_order(material=guide, organisation=organisation, quantity=5, by=None)
    response = login(other_coordinator).post(reverse("prevention:order_approve", args=[order.pk]))
    assert response.status_code == 404


def test_the_coordinator_sees_an_insufficient_stock_message(
    login, coordinator, guide, organisation
):
    order = request_print_order(material=guide, organisation=organisation, quantity=900, by=None)
    response = login(coordinator).post(
        reverse("prevention:order_approve", args=[order.pk]), follow=True
    )
    assert "Stock insuffisant" in response.content.decode()


def test_the_distribution_page_is_for_the_coordination(login, coordinator, referent):
    assert login(referent).get(reverse("prevention:distribution")).status_code == 403
    assert login(coordinator).get(reverse("prevention:distribution")).status_code == 200
