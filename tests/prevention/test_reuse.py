"""Reuse declarations: a referent declares that their organisation reused a material of the
contract; the coordination sees all those of its territory; the yearly review counts them and
the new local actors (organisations that signed no contract)."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.prevention.models import MaterialReuse
from maillage.prevention.reuse import ReuseError, declare_reuse, reuse_summary

from ..factories import OrganisationFactory, RoleFactory
from .event_factories import MaterialReuseFactory
from .factories import MaterialFactory

pytestmark = pytest.mark.django_db
C = MaterialReuse.Channel
# A reuse is declared after the fact: a day two months before the (tests') today.
A_PAST_DAY = timezone.localdate() - timedelta(days=61)


def test_a_declaration_is_recorded_with_its_author(guide, organisation, referent):
    reuse = declare_reuse(
        material=guide,
        organisation=organisation,
        channel=C.PRINT,
        reused_on=A_PAST_DAY,
        copies=20,
        description=" Affiches dans les vestiaires ",
        by=referent,
    )
    assert reuse.declared_by == referent
    assert reuse.description == "Affiches dans les vestiaires"
    assert reuse.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reused_on": timezone.localdate() + timedelta(days=1)}, "dans le futur"),
        ({"copies": 0}, "au moins 1"),
        ({"channel": "pigeon"}, "Choisissez l'usage"),
    ],
)
def test_invalid_declarations_are_refused_in_french(guide, organisation, changes, message):
    fields = {
        "material": guide,
        "organisation": organisation,
        "channel": C.DISPLAY,
        "reused_on": A_PAST_DAY,
        "by": None,
    } | changes
    with pytest.raises(ReuseError, match=message):
        declare_reuse(**fields)
    assert not MaterialReuse.objects.exists()


def test_only_validated_materials_of_the_territory_can_be_declared(
    campaign, foreign_organisation, organisation
):
    with pytest.raises(ReuseError, match="pas validé"):
        declare_reuse(
            material=MaterialFactory(campaign=campaign, draft=True),
            organisation=organisation,
            channel=C.DISPLAY,
            reused_on=A_PAST_DAY,
            by=None,
        )
    with pytest.raises(ReuseError, match="territoire de cette structure"):
        declare_reuse(
            material=MaterialFactory(campaign=campaign),
            organisation=foreign_organisation,
            channel=C.DISPLAY,
            reused_on=A_PAST_DAY,
            by=None,
        )


def test_the_summary_counts_new_local_actors(
    territory, guide, signatures, organisation, other_organisation, other_territory
):
    club = OrganisationFactory(territory=territory, name="Club omnisports")
    students = OrganisationFactory(territory=territory, name="Association étudiante")
    MaterialReuseFactory(material=guide, organisation=club, reused_on=date(2026, 3, 1))
    MaterialReuseFactory(material=guide, organisation=club, reused_on=date(2026, 9, 1), copies=20)
    MaterialReuseFactory(material=guide, organisation=students, reused_on=date(2026, 11, 10))
    MaterialReuseFactory(material=guide, organisation=organisation, reused_on=date(2026, 5, 2))
    # Out of the period, or of another territory.
    MaterialReuseFactory(
        material=guide, organisation=other_organisation, reused_on=date(2025, 5, 2)
    )
    MaterialReuseFactory(organisation__territory=other_territory, reused_on=date(2026, 5, 2))

    summary = reuse_summary(territory, date(2026, 1, 1), date(2026, 12, 31))

    assert summary["declarations"] == 4
    assert summary["organisations"] == 3
    assert summary["new_actors"] == 2  # the club and the students; the signatory is not new
    assert [row["organisation"] for row in summary["rows"]] == [
        club.name,
        organisation.name,
        club.name,
        students.name,
    ]
    assert [row["is_new_actor"] for row in summary["rows"]] == [True, False, True, True]
    assert summary["rows"][2]["copies"] == 20
    assert summary["rows"][2]["channel_label"] == "Affichage dans nos locaux"


def test_a_referent_declares_from_the_workspace(login, referent, organisation, guide):
    client = login(referent)
    page = client.get(reverse("prevention:reuses"), {"support": guide.pk}).content.decode()
    assert f'<option value="{guide.pk}" selected>' in page
    response = client.post(
        reverse("prevention:reuses"),
        {
            "material": guide.pk,
            "organisation": organisation.pk,
            "channel": "print",
            "reused_on": A_PAST_DAY.isoformat(),
            "copies": "20",
            "description": "",
        },
    )
    assert response.status_code == 302
    reuse = MaterialReuse.objects.get()
    assert (reuse.organisation, reuse.copies, reuse.declared_by) == (organisation, 20, referent)


def test_a_future_date_is_refused_by_the_form(login, referent, organisation, guide):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(referent).post(
        reverse("prevention:reuses"),
        {
            "material": guide.pk,
            "organisation": organisation.pk,
            "channel": "display",
            "reused_on": tomorrow.isoformat(),
        },
    )
    assert "ne peut pas être dans le futur" in response.content.decode()
    assert not MaterialReuse.objects.exists()


def test_a_referent_sees_and_deletes_only_their_declarations(
    login, referent, organisation, other_organisation, guide
):
    own = MaterialReuseFactory(material=guide, organisation=organisation)
    other = MaterialReuseFactory(
        material=guide, organisation=other_organisation, description="Leur affichage"
    )
    client = login(referent)
    html = client.get(reverse("prevention:reuses")).content.decode()
    assert html.count("data-reuse") == 1
    assert "Leur affichage" not in html
    assert client.get(reverse("prevention:reuse_delete", args=[other.pk])).status_code == 404
    assert client.post(reverse("prevention:reuse_delete", args=[other.pk])).status_code == 404
    url = reverse("prevention:reuse_delete", args=[own.pk])
    assert "Supprimer cette déclaration ?" in client.get(url).content.decode()
    assert MaterialReuse.objects.count() == 2
    client.post(url)
    assert list(MaterialReuse.objects.all()) == [other]


def test_the_coordinator_sees_the_territorys_declarations_and_exports_them(
    login, coordinator, organisation, other_organisation, foreign_organisation, guide, signatures
):
    club = OrganisationFactory(territory=organisation.territory, name="Club omnisports")
    MaterialReuseFactory(material=guide, organisation=club, description="=cmd")
    MaterialReuseFactory(material=guide, organisation=other_organisation, channel=C.WEB)
    MaterialReuseFactory(organisation=foreign_organisation, description="À Saumur")
    client = login(coordinator)
    html = client.get(reverse("prevention:reuses")).content.decode()
    assert html.count("data-reuse") == 2
    assert "À Saumur" not in html
    assert html.count("nouvel acteur") == 1
    html = client.get(reverse("prevention:reuses"), {"channel": "web"}).content.decode()
    assert html.count("data-reuse") == 1
    response = client.get(reverse("prevention:reuses_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    club_row = next(row for row in rows if row[1] == club.name)
    assert club_row[2] == "oui" and club_row[6] == "'=cmd"
    assert client.get(reverse("prevention:reuses_xlsx")).status_code == 200


def test_the_material_page_offers_the_declaration_to_referents_only(
    client, login, guide, referent, other_territory
):
    link = "Déclarer une réutilisation"
    anonymous = client.get(guide.get_absolute_url())
    assert link not in anonymous.content.decode()
    assert not anonymous.cookies
    foreign = RoleFactory(kind="referent", organisation__territory=other_territory).user
    assert link not in login(foreign).get(guide.get_absolute_url()).content.decode()
    html = login(referent).get(guide.get_absolute_url()).content.decode()
    assert f"{reverse('prevention:reuses')}?support={guide.pk}" in html
    assert link in html


def test_the_declaration_list_runs_a_fixed_number_of_queries(
    login, coordinator, territory, guide, django_assert_max_num_queries
):
    for _n in range(30):
        MaterialReuseFactory(material=guide, organisation=OrganisationFactory(territory=territory))
    client = login(coordinator)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("prevention:reuses")).content.decode()
    assert html.count("data-reuse") == 25
