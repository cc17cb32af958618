"""The action plan in the workspace: who reads, who writes, validation, exports."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from maillage.network.models import ActionSheet, Attachment, FollowUpNote, Milestone

from ..factories import ContractFactory, OrganisationFactory, PriorityFactory
from ..prevention.factories import pdf_bytes
from .factories import ActionSheetFactory, MilestoneFactory

S = ActionSheet.Status
PDF = pdf_bytes()  # a real PDF: uploads are read by a PDF parser


@pytest.fixture
def sheet(priorities, organisation):
    """A sheet of the FORMER priority piloted by Solidarité Femmes 49 (the referent's)."""
    return ActionSheetFactory(
        priority=priorities[0], title="Formation primo-accueil", pilot=organisation
    )


@pytest.fixture
def other_sheet(priorities, other_organisation):
    return ActionSheetFactory(
        priority=priorities[1], title="Guide Agir contre les VSS", pilot=other_organisation
    )


@pytest.fixture
def foreign_sheet(other_territory):
    contract = ContractFactory(territory=other_territory)
    return ActionSheetFactory(priority=PriorityFactory(contract=contract, code="FORMER"))


def test_the_plan_lists_sheets_by_priority_with_state_and_progress(
    login, coordinator, contract, sheet, other_sheet
):
    MilestoneFactory(sheet=other_sheet, overdue=True)
    html = login(coordinator).get(reverse("network:plan", args=[contract.pk])).content.decode()
    assert "FORMER — Former l&#x27;ensemble des acteurs" in html
    assert "Formation primo-accueil" in html
    assert 'value="40"' in html  # the progress bar
    assert "badge--late" in html  # the overdue milestone makes the guide late
    assert html.index("Formation primo-accueil") < html.index("Guide Agir contre les VSS")


def test_the_plan_filters_by_computed_status_pilot_and_text(
    login, coordinator, contract, sheet, other_sheet, other_organisation
):
    MilestoneFactory(sheet=other_sheet, overdue=True)
    client = login(coordinator)
    url = reverse("network:plan", args=[contract.pk])
    late = client.get(url, {"status": "late"}).content.decode()
    assert "Guide Agir contre les VSS" in late
    assert "Formation primo-accueil" not in late
    by_pilot = client.get(url, {"pilot": other_organisation.pk}).content.decode()
    assert "Formation primo-accueil" not in by_pilot
    assert "Guide Agir" in by_pilot
    searched = client.get(url, {"q": "primo"}).content.decode()
    assert "Formation primo-accueil" in searched
    assert "Guide Agir" not in searched


def test_the_plan_sorts_by_progress_in_one_table(login, coordinator, contract, sheet, other_sheet):
    other_sheet.progress = 90
    other_sheet.save()
    html = (
        login(coordinator)
        .get(reverse("network:plan", args=[contract.pk]), {"tri": "avancement"})
        .content.decode()
    )
    assert html.index("Guide Agir contre les VSS") < html.index("Formation primo-accueil")
    assert html.count("<table") == 1


def test_the_plan_does_not_query_per_sheet(
    login, coordinator, contract, priorities, organisation, django_assert_max_num_queries
):
    def add_sheets(count):
        for number in range(count):
            sheet = ActionSheetFactory(priority=priorities[number % 3], pilot=organisation)
            MilestoneFactory(sheet=sheet)

    client = login(coordinator)
    url = reverse("network:plan", args=[contract.pk])
    add_sheets(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_sheets(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("data-sheet=") == 12


def test_a_partner_of_the_territory_reads_the_plan_but_cannot_create(
    login, professional, contract, sheet
):
    client = login(professional)
    assert client.get(reverse("network:plan", args=[contract.pk])).status_code == 200
    assert client.get(sheet.get_absolute_url()).status_code == 200
    assert client.get(reverse("network:sheet_create", args=[contract.pk])).status_code == 403
    assert client.get(reverse("network:sheet_edit", args=[sheet.pk])).status_code == 403


def test_a_coordinator_of_another_territory_gets_404(login, other_coordinator, contract, sheet):
    client = login(other_coordinator)
    assert client.get(reverse("network:plan", args=[contract.pk])).status_code == 404
    assert client.get(sheet.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("network:sheet_progress", args=[sheet.pk]), {"status": "done", "progress": 100}
    )
    assert response.status_code == 404
    assert ActionSheet.objects.get(pk=sheet.pk).status == S.IN_PROGRESS


def test_the_coordinator_sees_no_other_territorys_sheet(login, coordinator, foreign_sheet):
    response = login(coordinator).get(foreign_sheet.get_absolute_url())
    assert response.status_code == 404


def test_the_coordinator_creates_a_sheet(login, coordinator, contract, priorities, organisation):
    response = login(coordinator).post(
        reverse("network:sheet_create", args=[contract.pk]),
        {
            "priority": priorities[2].pk,
            "title": "Diagnostic territorial",
            "pilot": organisation.pk,
            "partners": [organisation.pk],
            "governance": "copil",
            "status": "to_start",
            "progress": 0,
            "position": 0,
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
        },
    )
    sheet = ActionSheet.objects.get(title="Diagnostic territorial")
    assert response.status_code == 302
    assert response.url == sheet.get_absolute_url()
    assert sheet.priority == priorities[2]
    assert list(sheet.partners.all()) == [organisation]
    assert sheet.history.first().history_user == coordinator


def test_a_sheet_ending_before_it_starts_is_refused(
    login, coordinator, contract, priorities, organisation
):
    response = login(coordinator).post(
        reverse("network:sheet_create", args=[contract.pk]),
        {
            "priority": priorities[0].pk,
            "title": "À l'envers",
            "pilot": organisation.pk,
            "governance": "cotech",
            "status": "to_start",
            "progress": 0,
            "position": 0,
            "starts_on": "2025-06-30",
            "ends_on": "2025-01-01",
        },
    )
    assert response.status_code == 200
    assert "La fin prévue doit suivre le début." in response.content.decode()
    assert not ActionSheet.objects.exists()


def test_a_pilot_from_another_territory_is_refused(
    login, coordinator, contract, priorities, foreign_organisation
):
    response = login(coordinator).post(
        reverse("network:sheet_create", args=[contract.pk]),
        {
            "priority": priorities[0].pk,
            "title": "Action",
            "pilot": foreign_organisation.pk,
            "governance": "cotech",
            "status": "to_start",
            "progress": 0,
            "position": 0,
        },
    )
    assert response.status_code == 200
    assert not ActionSheet.objects.exists()


def test_the_pilots_referent_updates_status_and_progress(login, referent, sheet):
    client = login(referent)
    response = client.post(
        reverse("network:sheet_progress", args=[sheet.pk]),
        {"status": "in_progress", "progress": 75},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.progress == 75
    assert sheet.history.first().history_user == referent
    # but not the whole sheet
    assert client.get(reverse("network:sheet_edit", args=[sheet.pk])).status_code == 403


def test_done_means_100_percent(login, referent, sheet):
    login(referent).post(
        reverse("network:sheet_progress", args=[sheet.pk]), {"status": "done", "progress": 20}
    )
    sheet.refresh_from_db()
    assert (sheet.status, sheet.progress) == (S.DONE, 100)


def test_late_cannot_be_set_by_hand_and_progress_stays_within_100(login, referent, sheet):
    client = login(referent)
    url = reverse("network:sheet_progress", args=[sheet.pk])
    assert client.post(url, {"status": "late", "progress": 40}).status_code == 400
    assert client.post(url, {"status": "in_progress", "progress": 140}).status_code == 400
    sheet.refresh_from_db()
    assert (sheet.status, sheet.progress) == (S.IN_PROGRESS, 40)


def test_a_referent_cannot_update_another_organisations_sheet(login, referent, other_sheet):
    client = login(referent)
    response = client.post(
        reverse("network:sheet_progress", args=[other_sheet.pk]),
        {"status": "done", "progress": 100},
    )
    assert response.status_code == 403
    assert (
        client.post(
            reverse("network:note_add", args=[other_sheet.pk]),
            {"written_on": "2026-01-01", "text": "Intrusion"},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("network:milestone_add", args=[other_sheet.pk]),
            {"milestone-title": "Intrus", "milestone-due_on": "2026-01-01"},
        ).status_code
        == 403
    )
    other_sheet.refresh_from_db()
    assert other_sheet.status == S.IN_PROGRESS
    assert not FollowUpNote.objects.exists()
    assert not Milestone.objects.exists()


def test_the_pilots_referent_adds_notes_and_milestones(login, referent, sheet):
    client = login(referent)
    client.post(
        reverse("network:note_add", args=[sheet.pk]),
        {"written_on": "2026-03-01", "text": "Deux sessions programmées."},
    )
    note = FollowUpNote.objects.get()
    assert (note.sheet, note.author, str(note.written_on)) == (sheet, referent, "2026-03-01")
    yesterday = timezone.localdate() - timedelta(days=1)
    client.post(
        reverse("network:milestone_add", args=[sheet.pk]),
        {"milestone-title": "Première session", "milestone-due_on": yesterday.isoformat()},
    )
    milestone = Milestone.objects.get()
    assert milestone.sheet == sheet
    html = client.get(sheet.get_absolute_url()).content.decode()
    assert "Deux sessions programmées." in html
    assert "dépassé" in html
    assert "En retard" in html
    client.post(
        reverse("network:milestone_edit", args=[milestone.pk]),
        {"title": "Première session", "due_on": yesterday.isoformat(),
         "done_on": yesterday.isoformat()},
    )  # fmt: skip
    assert ActionSheet.objects.with_state().get(pk=sheet.pk).state == S.IN_PROGRESS
    response = client.post(reverse("network:milestone_delete", args=[milestone.pk]))
    assert response.status_code == 302
    assert not Milestone.objects.exists()


def test_an_empty_note_is_refused(login, referent, sheet):
    response = login(referent).post(
        reverse("network:note_add", args=[sheet.pk]), {"written_on": "2026-03-01", "text": ""}
    )
    assert response.status_code == 400
    assert not FollowUpNote.objects.exists()


def test_attachments_are_checked_by_content_and_served_to_the_territory_only(
    login, referent, professional, other_coordinator, sheet, settings, tmp_path
):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path)},
    }}  # fmt: skip
    client = login(referent)
    url = reverse("network:attachment_add", args=[sheet.pk])
    refused = client.post(
        url,
        {
            "attachment-title": "Faux PDF",
            "attachment-file": SimpleUploadedFile("page.pdf", b"<html>hello</html>"),
        },
    )
    assert refused.status_code == 400
    assert "ni un PDF" in refused.content.decode()
    assert not Attachment.objects.exists()
    client.post(
        url,
        {
            "attachment-title": "Programme",
            "attachment-file": SimpleUploadedFile("programme.pdf", PDF),
        },
    )
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert "programme" not in attachment.file.name  # a name nobody can guess
    download = login(professional).get(reverse("network:attachment", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="Programme.pdf"' in download["Content-Disposition"]
    foreign = login(other_coordinator).get(reverse("network:attachment", args=[attachment.pk]))
    assert foreign.status_code == 404


def test_the_plan_exports_in_csv_and_xlsx_without_formulas(login, coordinator, contract, sheet):
    sheet.title = '=HYPERLINK("http://x")'
    sheet.save()
    client = login(coordinator)
    csv = client.get(reverse("network:plan_csv", args=[contract.pk])).content.decode()
    assert "Fiche action" in csv
    assert "'=HYPERLINK" in csv
    response = client.get(reverse("network:plan_xlsx", args=[contract.pk]))
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][1] == "Fiche action"
    assert rows[1][1].startswith("'=")
    assert rows[1][4] == "En cours"


def test_plan_home_goes_to_the_current_contract(login, referent, contract):
    response = login(referent).get(reverse("network:plan_home"))
    assert response.status_code == 302
    assert response.url == reverse("network:plan", args=[contract.pk])


def test_anonymous_visitors_are_sent_to_the_login(client, contract):
    response = client.get(reverse("network:plan", args=[contract.pk]))
    assert response.status_code == 302
    assert "/compte/login/" in response.url


def test_a_user_without_role_gets_404_on_a_plan(login, contract):
    from ..factories import UserFactory

    response = login(UserFactory()).get(reverse("network:plan", args=[contract.pk]))
    assert response.status_code == 404


def test_the_pilot_organisation_is_kept_once_piloting(sheet, organisation):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        OrganisationFactory._meta.model.objects.filter(pk=organisation.pk).delete()
