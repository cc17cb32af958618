"""Working groups, meetings and decisions: who records them, the minutes warning, overdue
decisions on the coordinator's home."""

from datetime import date, timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from maillage.network.models import Decision, Meeting, WorkingGroup
from maillage.network.services import overdue_decisions, personal_data_hints

from ..factories import ContractFactory
from .factories import DecisionFactory, MeetingFactory, WorkingGroupFactory


@pytest.fixture
def copil(contract):
    return MeetingFactory(contract=contract, status=Meeting.Status.HELD)


@pytest.fixture
def foreign_meeting(other_territory):
    return MeetingFactory(contract=ContractFactory(territory=other_territory))


def meeting_data(**changes) -> dict:
    data = {
        "kind": "copil",
        "starts_at": "2026-12-10T14:00",
        "place": "Hôtel de communauté",
        "status": "planned",
        "agenda": "Bilan annuel",
        "minutes": "",
    }
    return {**data, **changes}


def test_the_coordinator_records_a_meeting_with_attendees(
    login, coordinator, contract, organisation, other_organisation, referent
):
    response = login(coordinator).post(
        reverse("network:meeting_create", args=[contract.pk]),
        meeting_data(
            attending_organisations=[organisation.pk, other_organisation.pk],
            attendees=[referent.pk],
            status="held",
            minutes="Le plan d'action 2026 est approuvé.",
        ),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert meeting.contract == contract
    assert set(meeting.attending_organisations.all()) == {organisation, other_organisation}
    assert list(meeting.attendees.all()) == [referent]
    assert timezone.localtime(meeting.starts_at).hour == 14


def test_the_meeting_form_reminds_never_to_write_a_persons_situation(login, coordinator, contract):
    html = (
        login(coordinator).get(reverse("network:meeting_create", args=[contract.pk])).content
    ).decode()
    assert "Ne rédigez jamais la situation d&#x27;une personne dans un compte rendu" in html
    assert 'aria-describedby="minutes-warning"' in html


def test_minutes_with_a_phone_number_or_an_email_ask_for_a_confirmation(
    login, coordinator, contract
):
    client = login(coordinator)
    url = reverse("network:meeting_create", args=[contract.pk])
    response = client.post(
        url, meeting_data(minutes="Madame X, joignable au 06 12 34 56 78, x@example.org.")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "un numéro de téléphone" in html
    assert "une adresse électronique" in html
    assert "Je confirme que ces coordonnées" in html
    assert not Meeting.objects.exists()
    response = client.post(
        url,
        meeting_data(minutes="Standard de la préfecture : 02 41 81 81 81.", confirm_minutes="on"),
    )
    assert response.status_code == 302
    assert Meeting.objects.exists()


def test_personal_data_hints():
    assert personal_data_hints("Appeler le +33 6 12 34 56 78") == ["un numéro de téléphone"]
    assert personal_data_hints("écrire à jean.dupont@mail.fr") == ["une adresse électronique"]
    assert personal_data_hints("Bilan 2025 : 16 sessions, 200 personnes, 3919.") == []


def test_a_group_meeting_needs_its_group(login, coordinator, contract):
    client = login(coordinator)
    url = reverse("network:meeting_create", args=[contract.pk])
    response = client.post(url, meeting_data(kind="group"))
    assert response.status_code == 200
    assert "Choisissez le groupe de travail" in response.content.decode()
    group = WorkingGroupFactory(contract=contract)
    assert client.post(url, meeting_data(kind="group", group=group.pk)).status_code == 302
    assert Meeting.objects.get().group == group


def test_the_coordinator_creates_a_working_group(
    login, coordinator, contract, organisation, other_organisation
):
    response = login(coordinator).post(
        reverse("network:group_create", args=[contract.pk]),
        {
            "name": "Vie nocturne",
            "pilot": organisation.pk,
            "members": [organisation.pk, other_organisation.pk],
        },
    )
    assert response.status_code == 302
    group = WorkingGroup.objects.get()
    assert group.contract == contract
    assert group.members.count() == 2
    html = login(coordinator).get(reverse("network:groups", args=[contract.pk])).content
    assert "Vie nocturne" in html.decode()


def test_a_partner_reads_meetings_but_cannot_record_them(login, professional, contract, copil):
    client = login(professional)
    assert client.get(reverse("network:meetings", args=[contract.pk])).status_code == 200
    assert client.get(copil.get_absolute_url()).status_code == 200
    assert client.get(reverse("network:meeting_create", args=[contract.pk])).status_code == 403
    response = client.post(
        reverse("network:decision_add", args=[copil.pk]), {"decision-text": "Intrusion"}
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_another_territorys_meeting_answers_404(login, coordinator, foreign_meeting):
    client = login(coordinator)
    assert client.get(foreign_meeting.get_absolute_url()).status_code == 404
    decision = DecisionFactory(meeting=foreign_meeting)
    assert client.get(reverse("network:decision_edit", args=[decision.pk])).status_code == 404


def test_the_coordinator_records_a_decision_with_owner_and_due_date(
    login, coordinator, copil, organisation
):
    response = login(coordinator).post(
        reverse("network:decision_add", args=[copil.pk]),
        {
            "decision-text": "Réimprimer la série témoin",
            "decision-owner": organisation.pk,
            "decision-due_on": "2026-03-31",
            "decision-status": "open",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.meeting, decision.owner, decision.due_on) == (
        copil,
        organisation,
        date(2026, 3, 31),
    )


def test_a_decision_owned_by_another_territory_is_refused(
    login, coordinator, copil, foreign_organisation
):
    response = login(coordinator).post(
        reverse("network:decision_add", args=[copil.pk]),
        {
            "decision-text": "Décision",
            "decision-owner": foreign_organisation.pk,
            "decision-status": "open",
        },
    )
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_overdue_decisions_are_highlighted_on_the_meeting_page(login, coordinator, copil):
    DecisionFactory(meeting=copil, overdue=True, text="Désigner les référents")
    DecisionFactory(meeting=copil, text="Préparer le bilan")
    html = login(coordinator).get(copil.get_absolute_url()).content.decode()
    assert html.count('class="overdue"') == 1
    row = html[html.index('class="overdue"') :]
    assert row.index("Désigner les référents") < row.index("</tr>")


def test_the_owners_referent_marks_a_decision_done_but_not_anothers(
    login, referent, copil, organisation, other_organisation
):
    mine = DecisionFactory(meeting=copil, owner=organisation, overdue=True)
    theirs = DecisionFactory(meeting=copil, owner=other_organisation)
    client = login(referent)
    response = client.post(
        reverse("network:decision_edit", args=[mine.pk]), {"status": "done", "done_on": ""}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.done_on) == (Decision.Status.DONE, timezone.localdate())
    response = client.post(reverse("network:decision_edit", args=[theirs.pk]), {"status": "done"})
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Decision.Status.OPEN


def test_overdue_decisions_of_a_coordinator_and_of_a_referent(
    coordinator, referent, other_coordinator, copil, organisation, other_organisation,
    foreign_meeting,
):  # fmt: skip
    late_mine = DecisionFactory(meeting=copil, owner=organisation, overdue=True)
    late_other = DecisionFactory(meeting=copil, owner=other_organisation, overdue=True)
    DecisionFactory(meeting=copil, owner=organisation)  # not due yet
    DecisionFactory(meeting=copil, owner=organisation, overdue=True, done=True)
    DecisionFactory(meeting=copil, overdue=True, status=Decision.Status.DROPPED)
    foreign = DecisionFactory(meeting=foreign_meeting, overdue=True)

    assert set(overdue_decisions(coordinator)) == {late_mine, late_other}
    assert list(overdue_decisions(referent)) == [late_mine]
    assert list(overdue_decisions(other_coordinator)) == [foreign]


def test_the_overdue_fragment_for_the_workspace_home(rf, coordinator, copil, organisation):
    DecisionFactory(
        meeting=copil,
        owner=organisation,
        text="Désigner un référent par structure",
        due_on=timezone.localdate() - timedelta(days=10),
    )
    template = Template('{% include "network/_overdue_decisions.html" %}')
    html = template.render(Context({"user": coordinator}))
    assert "1 décision en retard" in html
    assert "Désigner un référent par structure" in html
    assert copil.get_absolute_url() in html
    assert "Solidarité Femmes 49" in html


def test_the_overdue_fragment_says_nothing_without_overdue_decisions(coordinator, copil):
    DecisionFactory(meeting=copil)
    html = Template('{% include "network/_overdue_decisions.html" %}').render(
        Context({"user": coordinator})
    )
    assert html.strip() == ""


def test_the_decisions_page_lists_overdue_ones(login, coordinator, contract, copil):
    DecisionFactory(meeting=copil, overdue=True, text="En retard")
    DecisionFactory(meeting=copil, text="À venir")
    DecisionFactory(meeting=copil, done=True, text="Faite")
    client = login(coordinator)
    url = reverse("network:decisions", args=[contract.pk])
    late = client.get(url, {"afficher": "en-retard"}).content.decode()
    assert "En retard" in late
    assert "À venir" not in late
    every = client.get(url, {"afficher": "toutes"}).content.decode()
    assert "Faite" in every


def test_the_meetings_list_counts_decisions(
    login, coordinator, contract, copil, django_assert_max_num_queries
):
    DecisionFactory(meeting=copil, overdue=True)
    DecisionFactory(meeting=copil, done=True)
    for _number in range(5):
        MeetingFactory(contract=contract, kind=Meeting.Kind.COTECH)
    client = login(coordinator)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("network:meetings", args=[contract.pk])).content.decode()
    assert html.count("data-meeting=") == 6
    cotech = client.get(reverse("network:meetings", args=[contract.pk]), {"instance": "cotech"})
    assert cotech.content.decode().count("data-meeting=") == 5


def test_every_form_and_confirmation_page_renders_for_the_coordinator(
    login, coordinator, contract, copil, organisation, priorities
):
    from maillage.network.models import Attachment

    from .factories import ActionSheetFactory, MilestoneFactory

    sheet = ActionSheetFactory(priority=priorities[0], pilot=organisation)
    milestone = MilestoneFactory(sheet=sheet)
    attachment = Attachment.objects.create(
        sheet=sheet, title="Programme", file="network/pieces/x.pdf", content_type="application/pdf"
    )
    group = WorkingGroupFactory(contract=contract, pilot=organisation)
    decision = DecisionFactory(meeting=copil, owner=None)
    client = login(coordinator)
    pages = {
        reverse("network:plan_home"): "Exporter en CSV",
        reverse("network:sheet_create", args=[contract.pk]): "Nouvelle fiche action",
        reverse("network:sheet_edit", args=[sheet.pk]): "Modifier la fiche action",
        reverse("network:milestone_edit", args=[milestone.pk]): "Modifier le jalon",
        reverse("network:milestone_delete", args=[milestone.pk]): "Supprimer ce jalon ?",
        reverse("network:attachment_delete", args=[attachment.pk]): "Supprimer cette pièce",
        reverse("network:group_create", args=[contract.pk]): "Nouveau groupe de travail",
        reverse("network:group_edit", args=[group.pk]): "Modifier le groupe de travail",
        reverse("network:meeting_edit", args=[copil.pk]): "Modifier la réunion",
        reverse("network:decision_edit", args=[decision.pk]): "Modifier la décision",
        copil.get_absolute_url(): "Ajouter une décision",
        reverse("network:decisions", args=[contract.pk]): "Décisions des réunions",
    }
    for url, text in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
