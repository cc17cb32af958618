import pytest
from django.urls import reverse

from maillage.core.models import User
from maillage.prevention.models import Material, PrintOrder

from ..conftest import login_with_second_factor

pytestmark = pytest.mark.django_db


def test_the_demo_distribution_page_shows_5000_guides_from_the_deliveries(client, demo):
    guide = Material.objects.get(title="Agir contre les violences sexistes et sexuelles")
    delivered = PrintOrder.objects.filter(material=guide, status=PrintOrder.Status.DELIVERED)
    assert sum(delivered.values_list("quantity", flat=True)) == 5000
    assert delivered.values("organisation").distinct().count() >= 5
    titles = set(Material.objects.values_list("title", flat=True))
    assert {"Affiche « auteur »", "Affiche « victime »", "Affiche « témoin »"} <= titles
    assert {"Dépliant « auteur »", "Dépliant « victime »", "Dépliant « témoin »"} <= titles

    login_with_second_factor(client, User.objects.get(email="coordination@demo.maillage.fr"))
    html = client.get(reverse("prevention:distribution")).content.decode()
    assert (
        '<th scope="row">Agir contre les violences sexistes et sexuelles</th><td>5000</td>' in html
    )
