"""The print order path in a real browser: a referent orders copies of the guide, the
coordinator (with TOTP) approves then records the delivery, and the distribution shows it."""

import pytest
from django.utils import timezone

from maillage.prevention.models import Material, PrintOrder

from ..prevention.factories import CampaignFactory, MaterialFactory


@pytest.fixture
def guide(transactional_db, territory):
    campaign = CampaignFactory(territory=territory, title="Agir contre les violences")
    return MaterialFactory(
        campaign=campaign, title="Agir contre les violences sexistes et sexuelles", stock=500
    )


def test_a_print_order_from_request_to_distribution(
    page, url, log_in, new_context, referent, coordinator, organisation, guide, outside_requests
):
    log_in(page, referent)
    page.goto(url("/espace/prevention/commandes/"))
    page.get_by_label("Support").select_option(label=guide.title)
    page.get_by_label("Pour la structure").select_option(label=organisation.name)
    page.get_by_label("Nombre d'exemplaires").fill("300")
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer la commande").click()
    assert page.get_by_text("Votre commande est transmise à la coordination.").is_visible()
    assert page.get_by_role("cell", name="Demandée").is_visible()

    coordination = new_context().new_page()
    log_in(coordination, coordinator)
    coordination.goto(url("/espace/prevention/commandes/"))
    order = coordination.locator("article", has_text=guide.title)
    with coordination.expect_navigation():
        order.get_by_role("button", name="Accepter la commande").click()
    assert coordination.get_by_text("Commande acceptée ; le stock est mis à jour.").is_visible()
    assert Material.objects.get(pk=guide.pk).stock == 200

    order = coordination.locator("article", has_text=guide.title)
    order.get_by_label("Livrée le").fill(timezone.localdate().isoformat())
    with coordination.expect_navigation():
        order.get_by_role("button", name="Enregistrer la livraison").click()
    assert coordination.get_by_text("Livraison enregistrée.").is_visible()
    assert PrintOrder.objects.get().status == PrintOrder.Status.DELIVERED

    with coordination.expect_navigation():
        coordination.get_by_role("link", name="La diffusion des supports").click()
    assert coordination.get_by_text("Exemplaires livrés : 300").is_visible()
    by_material = coordination.locator("table", has_text="Par support")
    assert by_material.get_by_role("row", name=f"{guide.title} 300").is_visible()
    by_organisation = coordination.locator("table", has_text="Par structure")
    assert by_organisation.get_by_role("row", name=f"{organisation.name} 300").is_visible()

    page.reload()
    assert page.get_by_role("cell", name="Livrée").is_visible()
    assert outside_requests == []
