"""The coordination builds a survey, opens it (the signatories' referents get their personal
link by email), follows who answered and closes it; another territory sees nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from maillage.core.models import Role
from maillage.evaluation.models import Indicator
from maillage.network.models import Invitation, Question, Response, Survey
from maillage.network.survey_services import (
    SurveyError,
    apply_template,
    move_question,
    open_survey,
)

from ..conftest import login_with_second_factor
from ..factories import OrganisationFactory, RoleFactory, SignatureFactory
from .survey_factories import InvitationFactory, QuestionFactory, SurveyFactory, build_survey

IMPACT_TEXT = "Le contrat a eu un impact positif sur la prévention"


@pytest.fixture
def draft(contract):
    return build_survey(contract)


def survey_data(contract, **overrides) -> dict:
    data = {
        "contract": contract.pk,
        "title": "Enquête d'impact 2025",
        "kind": "impact",
        "year": "2025",
        "intro": "Merci de votre participation.",
        "opens_on": "",
        "closes_on": (date.today() + timedelta(days=30)).isoformat(),
        "reminder_days": "7",
        "previous": "",
        "template": "",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_survey_from_the_impact_template_linked_to_the_indicator(
    login, coordinator, contract
):
    indicator = Indicator.objects.create(
        contract=contract, code="impact-positif", title="Impact positif", unit="%"
    )
    response = login(coordinator).post(
        reverse("network:survey_create"), survey_data(contract, template="impact")
    )
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("network:survey_detail", args=[survey.pk])
    assert survey.status == Survey.Status.DRAFT
    impact = survey.questions.get(text=IMPACT_TEXT)
    assert impact.indicator == indicator
    assert [c.is_positive for c in impact.choices.all()] == [True, True, False, False]
    assert survey.questions.filter(kind=Question.Kind.FREE_TEXT).exists()
    assert list(survey.questions.values_list("position", flat=True)) == [1, 2, 3, 4, 5]


def test_the_diagnostic_template_has_every_kind_of_question(contract):
    survey = SurveyFactory(contract=contract, kind=Survey.Kind.DIAGNOSTIC)
    apply_template(survey, Survey.Kind.DIAGNOSTIC)
    kinds = set(survey.questions.values_list("kind", flat=True))
    assert kinds == {k.value for k in Question.Kind}
    matrix = survey.questions.get(kind=Question.Kind.MATRIX)
    assert matrix.rows.count() == 5


def test_the_template_without_indicator_leaves_the_question_unlinked(contract):
    survey = SurveyFactory(contract=contract)
    apply_template(survey, Survey.Kind.IMPACT)
    assert survey.questions.get(text=IMPACT_TEXT).indicator is None


def test_closing_date_before_opening_is_refused(login, coordinator, contract):
    response = login(coordinator).post(
        reverse("network:survey_create"),
        survey_data(contract, opens_on="2025-06-10", closes_on="2025-06-01"),
    )
    assert response.status_code == 200
    assert "La clôture ne peut précéder l" in response.content.decode()
    assert not Survey.objects.exists()


def test_coordinator_of_another_territory_gets_404(client, other_coordinator, draft):
    login_with_second_factor(client, other_coordinator)
    question = draft.q["impact"]
    for url in [
        reverse("network:survey_detail", args=[draft.pk]),
        reverse("network:survey_edit", args=[draft.pk]),
        reverse("network:survey_results", args=[draft.pk]),
        reverse("network:survey_export_csv", args=[draft.pk]),
        reverse("network:survey_preview", args=[draft.pk]),
        reverse("network:survey_open", args=[draft.pk]),
        reverse("network:survey_question_add", args=[draft.pk]),
        reverse("network:survey_question_edit", args=[question.pk]),
        reverse("network:survey_question_delete", args=[question.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("network:survey_open", args=[draft.pk])).status_code == 404
    assert (
        client.post(
            reverse("network:survey_question_move", args=[question.pk]), {"direction": "up"}
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.status == Survey.Status.DRAFT


def test_another_territorys_survey_is_not_listed(login, other_coordinator, draft):
    response = login(other_coordinator).get(reverse("network:survey_list"))
    assert response.status_code == 200
    assert draft.title not in response.content.decode()


def test_coordinator_cannot_create_a_survey_for_another_territorys_contract(
    login, other_coordinator, contract
):
    response = login(other_coordinator).post(
        reverse("network:survey_create"), survey_data(contract)
    )
    assert response.status_code == 200  # not a choice of the form
    assert not Survey.objects.exists()


def test_a_referent_cannot_reach_the_builder(login, referent, draft):
    client = login(referent)
    assert client.get(reverse("network:survey_list")).status_code == 403
    assert client.get(reverse("network:survey_detail", args=[draft.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, draft):
    response = client.get(reverse("network:survey_detail", args=[draft.pk]))
    assert response.status_code == 302
    assert "connexion" in response.url or "login" in response.url


def test_the_list_filters_and_counts(login, coordinator, contract, django_assert_max_num_queries):
    build_survey(contract, title="Diagnostic territorial", year=2023, kind="diagnostic")
    for year in range(2015, 2022):
        SurveyFactory(contract=contract, title=f"Impact {year}", year=year, closed=True)
    client = login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("network:survey_list"))
    page = response.content.decode()
    assert "Diagnostic territorial" in page and "Impact 2016" in page
    response = client.get(reverse("network:survey_list"), {"q": "diagnostic"})
    assert "Diagnostic territorial" in response.content.decode()
    assert "Impact 2016" not in response.content.decode()
    response = client.get(reverse("network:survey_list"), {"status": "closed", "year": "2016"})
    assert "Impact 2016" in response.content.decode()
    assert "Impact 2017" not in response.content.decode()


def test_add_a_question_with_positive_choices(login, coordinator, draft):
    response = login(coordinator).post(
        reverse("network:survey_question_add", args=[draft.pk]),
        {
            "kind": "single",
            "text": "Recommanderiez-vous le contrat ?",
            "required": "on",
            "scale_min": "1",
            "scale_max": "5",
            "choices_text": "+ Oui\nNon\n\n",
        },
    )
    assert response.status_code == 302
    question = draft.questions.get(text="Recommanderiez-vous le contrat ?")
    assert question.position == 6
    assert [(c.label, c.is_positive) for c in question.choices.all()] == [
        ("Oui", True),
        ("Non", False),
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "single", "choices_text": "Oui"}, "Proposez au moins deux choix"),
        ({"kind": "matrix", "choices_text": "A\nB"}, "Un tableau a au moins une ligne."),
        ({"kind": "scale", "scale_min": "5", "scale_max": "1"}, "Le maximum doit dépasser"),
        ({"kind": "scale", "positive_from": "9"}, "comprise dans l"),
        ({"kind": "multiple", "choices_text": "A\na"}, "Deux choix portent le même libellé."),
    ],
)
def test_question_validation(login, coordinator, draft, fields, message):
    data = {"text": "Question", "scale_min": "1", "scale_max": "5", **fields}
    response = login(coordinator).post(
        reverse("network:survey_question_add", args=[draft.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not draft.questions.filter(text="Question").exists()


def test_an_indicator_needs_a_positive_answer(login, coordinator, draft, contract):
    indicator = Indicator.objects.create(contract=contract, code="x", title="X", unit="%")
    response = login(coordinator).post(
        reverse("network:survey_question_add", args=[draft.pk]),
        {
            "kind": "single",
            "text": "Question",
            "scale_min": "1",
            "scale_max": "5",
            "choices_text": "Oui\nNon",
            "indicator": indicator.pk,
        },
    )
    assert response.status_code == 200
    assert "au moins une réponse positive" in response.content.decode()


def test_edit_a_question_replaces_its_choices(login, coordinator, draft):
    question = draft.q["impact"]
    response = login(coordinator).post(
        reverse("network:survey_question_edit", args=[question.pk]),
        {
            "kind": "single",
            "text": "Impact positif ?",
            "required": "on",
            "scale_min": "1",
            "scale_max": "5",
            "choices_text": "+ Oui\nNon\nNe sait pas",
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "Impact positif ?"
    assert [c.label for c in question.choices.all()] == ["Oui", "Non", "Ne sait pas"]
    assert question.history.count() == 2


def test_edit_form_shows_the_choices_with_their_marker(login, coordinator, draft):
    response = login(coordinator).get(
        reverse("network:survey_question_edit", args=[draft.q["impact"].pk])
    )
    assert "+ Tout à fait d&#x27;accord" in response.content.decode()


def test_reorder_and_delete_questions(login, coordinator, draft):
    client = login(coordinator)
    impact, scale = draft.q["impact"], draft.q["coordination"]
    client.post(reverse("network:survey_question_move", args=[scale.pk]), {"direction": "up"})
    assert list(draft.questions.values_list("pk", flat=True)[:2]) == [scale.pk, impact.pk]
    response = client.get(reverse("network:survey_question_delete", args=[impact.pk]))
    assert "Supprimer cette question" in response.content.decode()
    client.post(reverse("network:survey_question_delete", args=[impact.pk]))
    assert not Question.objects.filter(pk=impact.pk).exists()
    assert list(draft.questions.values_list("position", flat=True)) == [1, 2, 3, 4]


def test_questions_of_an_open_survey_cannot_change(login, coordinator, contract):
    survey = build_survey(contract, open=True)
    client = login(coordinator)
    response = client.get(reverse("network:survey_question_add", args=[survey.pk]))
    assert response.status_code == 302
    client.post(reverse("network:survey_question_delete", args=[survey.q["impact"].pk]))
    assert Question.objects.filter(pk=survey.q["impact"].pk).exists()
    with pytest.raises(SurveyError):
        move_question(survey.q["coordination"], up=True)


def test_preview_shows_the_questions_without_a_submit_button(login, coordinator, draft):
    response = login(coordinator).get(reverse("network:survey_preview", args=[draft.pk]))
    page = response.content.decode()
    assert IMPACT_TEXT in page
    assert "Aperçu" in page
    assert "Envoyer la réponse" not in page


def test_opening_invites_each_signatorys_referents_by_email(
    login,
    coordinator,
    contract,
    signatures,
    organisation,
    other_organisation,
    referent,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    second = RoleFactory(
        user__email="referent2@example.org", kind=Role.Kind.REFERENT, organisation=organisation
    ).user
    other_organisation.public_email = "contact@cidff.example.org"
    other_organisation.save()
    silent = OrganisationFactory(territory=contract.territory, name="Sans adresse")
    SignatureFactory(contract=contract, organisation=silent)
    survey = build_survey(contract)
    client = login(coordinator)
    confirm = client.get(reverse("network:survey_open", args=[survey.pk])).content.decode()
    assert "referente@example.org" in confirm and "aucune adresse" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("network:survey_open", args=[survey.pk]))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert recipients == sorted(["contact@cidff.example.org", referent.email, second.email])
    for message in mailoutbox:
        invitation = Invitation.objects.get(email=message.to[0])
        assert f"/enquetes/{invitation.token}/" in message.body
        assert survey.title in message.subject
        assert invitation.sent_at is not None
    tokens = set(Invitation.objects.values_list("token", flat=True))
    assert len(tokens) == 3
    detail = client.get(reverse("network:survey_detail", args=[survey.pk])).content.decode()
    assert "Sans adresse" in detail and "ne peut pas être invité" in detail


def test_opening_twice_is_refused_and_sends_nothing_more(
    contract, signatures, referent, django_capture_on_commit_callbacks, mailoutbox
):
    survey = build_survey(contract)
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(survey=survey)
    assert len(mailoutbox) == 1
    with pytest.raises(SurveyError), django_capture_on_commit_callbacks(execute=True):
        open_survey(survey=survey)
    assert len(mailoutbox) == 1


def test_a_survey_without_questions_cannot_open(contract, signatures):
    survey = SurveyFactory(contract=contract)
    with pytest.raises(SurveyError, match="au moins une question"):
        open_survey(survey=survey)
    survey.refresh_from_db()
    assert survey.is_draft


def test_a_choice_question_needs_two_choices_to_open(contract):
    survey = SurveyFactory(contract=contract)
    QuestionFactory(survey=survey, kind=Question.Kind.SINGLE)
    with pytest.raises(SurveyError, match="au moins deux choix"):
        open_survey(survey=survey)


def test_the_detail_lists_who_answered_and_who_did_not(
    login, coordinator, contract, signatures, organisation
):
    survey = build_survey(contract, open=True)
    Response.objects.create(survey=survey, organisation=organisation)
    page = login(coordinator).get(reverse("network:survey_detail", args=[survey.pk]))
    content = page.content.decode()
    assert "1 structure sur 2 a répondu" in content
    assert "pas de réponse" in content and "répondu le" in content


def test_close_a_survey(login, coordinator, contract):
    survey = build_survey(contract, open=True)
    client = login(coordinator)
    assert (
        "Clore l" in client.get(reverse("network:survey_close", args=[survey.pk])).content.decode()
    )
    client.post(reverse("network:survey_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    assert survey.closed_at is not None
    assert not survey.accepts_answers()


def test_delete_a_draft_only(login, coordinator, contract, draft):
    client = login(coordinator)
    opened = build_survey(contract, open=True)
    client.post(reverse("network:survey_delete", args=[opened.pk]))
    assert Survey.objects.filter(pk=opened.pk).exists()
    client.post(reverse("network:survey_delete", args=[draft.pk]))
    assert not Survey.objects.filter(pk=draft.pk).exists()


def test_the_list_sorts_by_title_keeping_the_filters(login, coordinator, contract):
    SurveyFactory(contract=contract, title="Bêta", year=2024)
    SurveyFactory(contract=contract, title="Alpha", year=2024)
    SurveyFactory(contract=contract, title="Autre année", year=2020)
    page = login(coordinator).get(reverse("network:survey_list"), {"year": "2024", "tri": "titre"})
    content = page.content.decode()
    assert content.index("Alpha") < content.index("Bêta")
    assert "Autre année" not in content
    assert "year=2024&amp;tri=titre" in content or "tri=titre&amp;year=2024" in content


def test_detail_and_results_pages_do_not_grow_with_the_signatories(
    login, coordinator, contract, django_assert_max_num_queries
):
    survey = build_survey(contract, open=True)
    for number in range(15):
        organisation = OrganisationFactory(territory=contract.territory, name=f"Org {number}")
        SignatureFactory(contract=contract, organisation=organisation)
        InvitationFactory(survey=survey, organisation=organisation)
        if number % 2:
            Response.objects.create(survey=survey, organisation=organisation)
    client = login(coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("network:survey_detail", args=[survey.pk])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("network:survey_results", args=[survey.pk])).status_code == 200


def test_the_invitation_email_names_the_organisation_and_the_closing_day(
    contract, signatures, referent, django_capture_on_commit_callbacks, mailoutbox
):
    survey = build_survey(contract, closes_on=date(2099, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        open_survey(survey=survey)
    body = mailoutbox[0].body
    assert "Solidarité Femmes 49" in body
    assert "31 décembre 2099" in body
    assert "sans compte" in body


def test_a_referent_sees_their_organisations_surveys_with_the_link(
    login, referent, organisation, other_organisation, contract
):
    survey = build_survey(contract, open=True, title="Impact 2025")
    mine = InvitationFactory(survey=survey, organisation=organisation, email=referent.email)
    InvitationFactory(survey=survey, organisation=other_organisation)
    done = build_survey(contract, open=True, title="Diagnostic")
    InvitationFactory(survey=done, organisation=organisation)
    Response.objects.create(survey=done, organisation=organisation)
    page = login(referent).get(reverse("network:survey_mine")).content.decode()
    assert mine.get_absolute_url() in page
    assert "Votre structure a répondu" in page
    assert other_organisation.name not in page


def test_the_referent_page_is_for_referents(login, professional):
    assert login(professional).get(reverse("network:survey_mine")).status_code == 403
