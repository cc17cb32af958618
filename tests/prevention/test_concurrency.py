"""The stock never goes negative: twenty approvals of 100 copies race for 1000 in stock.

Each thread has its own database connection; the material row lock serialises them. SQLite's
in-memory test database cannot race like that, hence the skip: CI runs this file a second
time on PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections

from maillage.prevention.models import PrintOrder
from maillage.prevention.services import InsufficientStock, approve_print_order

from ..factories import OrganisationFactory, TerritoryFactory
from .factories import CampaignFactory, MaterialFactory, PrintOrderFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks: CI's second run"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_concurrent_approvals_never_make_the_stock_negative():
    territory = TerritoryFactory()
    material = MaterialFactory(campaign=CampaignFactory(territory=territory), stock=1000)
    organisation = OrganisationFactory(territory=territory)
    orders = PrintOrderFactory.create_batch(
        20, material=material, organisation=organisation, quantity=100
    )
    barrier = threading.Barrier(len(orders))
    refused: list[int] = []
    errors: list[BaseException] = []

    def approve(order: PrintOrder) -> None:
        try:
            barrier.wait()
            approve_print_order(order=order, by=None)
        except InsufficientStock:
            refused.append(order.pk)
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    material.refresh_from_db()
    assert material.stock == 0
    assert len(refused) == 10
    assert PrintOrder.objects.filter(status=PrintOrder.Status.APPROVED).count() == 10
