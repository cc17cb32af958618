"""The coordination's page of the tree: versions, publication, preview, counts; admin; demo."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from maillage.core.models import Territory
from maillage.orientation.models import (
    Choice,
    NationalNumber,
    Node,
    OrientationSettings,
    ResultCount,
    TreeVersion,
)
from maillage.orientation.services import published_version
from maillage.orientation.tree import load_tree, validate

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("orientation:workspace")


def test_the_coordinator_prepares_checks_previews_and_publishes_a_version(
    client, login, coordinator, territory, tree
):
    login(coordinator)
    page = client.get(WORKSPACE)
    assert page.status_code == 200
    assert "Préparer une nouvelle version" in page.content.decode()

    response = client.post(reverse("orientation:draft-start", args=[territory.slug]))
    assert response.status_code == 302
    draft = TreeVersion.objects.get(territory=territory, status=TreeVersion.Status.DRAFT)

    # A broken draft: the page names the faulty node and publishing is refused.
    Choice.objects.filter(node__version=draft, node__key="qui", key="auteur").update(next=None)
    html = client.get(WORKSPACE).content.decode()
    assert "ne peut pas être publié" in html
    assert "La réponse « Une personne qui a été violente" in html
    client.post(reverse("orientation:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == TreeVersion.Status.DRAFT

    # Fixed, previewed (nothing counted even with counts on), published.
    Choice.objects.filter(node__version=draft, node__key="qui", key="auteur").update(
        next=Node.objects.get(version=draft, key="auteur")
    )
    OrientationSettings.objects.create(territory=territory, counts_enabled=True)
    preview = client.post(
        reverse("orientation:preview", args=[draft.pk]),
        {"a-securite": "oui", "a-danger": "oui", "action": ""},
    )
    assert "Aperçu de la version 2 (Brouillon)" in preview.content.decode()
    assert "Appelez les secours maintenant" in preview.content.decode()
    assert not ResultCount.objects.exists()

    client.post(reverse("orientation:publish", args=[draft.pk]))
    draft.refresh_from_db()
    tree.refresh_from_db()
    assert draft.status == TreeVersion.Status.PUBLISHED
    assert tree.status == TreeVersion.Status.ARCHIVED


def test_the_coordinator_turns_counts_on_and_reads_them(
    client, login, coordinator, territory, tree
):
    login(coordinator)
    client.post(reverse("orientation:counts", args=[territory.slug]), {"counts_enabled": "on"})
    assert OrientationSettings.objects.get(territory=territory).counts_enabled
    client.post("/orientation/", {"a-securite": "oui", "a-danger": "oui"})
    html = client.get(WORKSPACE).content.decode()
    assert "Appelez les secours maintenant" in html
    client.post(reverse("orientation:counts", args=[territory.slug]), {})
    assert not OrientationSettings.objects.get(territory=territory).counts_enabled


def test_a_territory_without_tree_gets_the_default_one(client, login, coordinator, territory):
    from .conftest import reference_data

    reference_data()
    login(coordinator)
    assert "Créer le questionnaire par défaut" in client.get(WORKSPACE).content.decode()
    client.post(reverse("orientation:default-tree", args=[territory.slug]))
    version = published_version(territory)
    assert version is not None
    assert validate(load_tree(version)) == []


def test_a_draft_can_be_deleted_a_published_version_cannot(
    client, login, coordinator, territory, tree
):
    login(coordinator)
    client.post(reverse("orientation:draft-start", args=[territory.slug]))
    draft = TreeVersion.objects.get(territory=territory, status=TreeVersion.Status.DRAFT)
    assert client.post(reverse("orientation:delete", args=[tree.pk])).status_code == 403
    client.post(reverse("orientation:delete", args=[draft.pk]))
    assert not TreeVersion.objects.filter(pk=draft.pk).exists()
    assert not Node.objects.filter(version_id=draft.pk).exists()


def test_others_cannot_manage_the_tree(client, login, referent, other_coordinator, tree):
    login(referent)
    assert client.get(WORKSPACE).status_code == 403
    assert client.post(reverse("orientation:publish", args=[tree.pk])).status_code == 404
    assert client.get(reverse("orientation:preview", args=[tree.pk])).status_code == 404
    login(other_coordinator)
    assert client.post(reverse("orientation:publish", args=[tree.pk])).status_code == 404
    assert client.get(reverse("orientation:preview", args=[tree.pk])).status_code == 404
    client.logout()
    response = client.get(WORKSPACE)
    assert response.status_code == 302


def test_the_admin_lists_the_guide_and_keeps_a_published_version_read_only(
    client, login, administrator, tree
):
    login(administrator)
    for name in ("nationalnumber", "treeversion", "node", "orientationsettings", "resultcount"):
        assert client.get(reverse(f"admin:orientation_{name}_changelist")).status_code == 200
    node = tree.nodes.get(key="danger")
    page = client.get(reverse("admin:orientation_node_change", args=[node.pk]))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # read only
    assert (
        client.get(reverse("admin:orientation_treeversion_change", args=[tree.pk])).status_code
        == 200
    )


def test_the_national_numbers_are_loaded_by_the_migration():
    codes = set(NationalNumber.objects.values_list("code", flat=True))
    assert {"17", "112", "114", "15", "115", "3919", "119", "auteurs", "cfcv"} <= codes
    assert NationalNumber.objects.get(code="114").href == "sms:114"
    assert NationalNumber.objects.get(code="auteurs").number == "08 019 019 11"


def test_the_demo_publishes_the_default_tree_once(client, demo):
    territory = Territory.objects.get(slug="angers-loire-metropole")
    assert TreeVersion.objects.filter(territory=territory).count() == 1
    version = published_version(territory)
    assert validate(load_tree(version)) == []
    # The demo directory gives the author the local perpetrator programme.
    response = client.post(
        "/orientation/",
        {"a-securite": "oui", "a-danger": "non", "a-mineur": "non", "a-qui": "auteur"},
    )
    assert "Centre de prise en charge des auteurs de violences conjugales" in (
        response.content.decode()
    )


def test_the_command_creates_the_default_tree(territory, capsys):
    from .conftest import reference_data

    reference_data()
    call_command("create-default-tree", territory.slug)
    assert "Version 1 (Publiée)" in capsys.readouterr().out
    call_command("create-default-tree", territory.slug)
    assert TreeVersion.objects.filter(territory=territory).count() == 2
