"""The answer page reached by a signatory's personal link: one answer per organisation, none
once the survey is closed, validated, and no cookie set."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from maillage.network import survey_public_views
from maillage.network.models import Answer, Response, Survey
from maillage.network.survey_services import SurveyError, submit_response

from .survey_factories import InvitationFactory, answer_post, build_survey

WARNING = "N'écrivez aucune information permettant d'identifier une personne"


@pytest.fixture
def survey(contract):
    return build_survey(contract, open=True)


@pytest.fixture
def invitation(survey, organisation):
    return InvitationFactory(survey=survey, organisation=organisation, email="a@example.org")


def url(invitation) -> str:
    return reverse("network:survey_answer", args=[invitation.token])


def test_answer_page_shows_the_survey_the_organisation_and_the_free_text_warning(
    client, invitation
):
    response = client.get(url(invitation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le contrat a eu un impact positif sur la prévention" in page
    assert "Solidarité Femmes 49" in page
    assert WARNING in page
    assert "l&#x27;orientation" in page  # a matrix row


def test_anonymous_answer_page_sets_no_cookie(client, invitation):
    response = client.get(url(invitation))
    assert response.status_code == 200
    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_an_organisation_answers_once_through_its_link(client, survey, invitation):
    response = client.post(url(invitation), answer_post(survey, text="Plus de formations"))
    assert response.status_code == 200
    assert "La réponse de votre structure est enregistrée" in response.content.decode()
    recorded = Response.objects.get(survey=survey)
    assert recorded.organisation == invitation.organisation
    assert Answer.objects.filter(response=recorded).count() == 6  # 1+1+1+2 rows+1 text
    assert recorded.answers.get(question=survey.q["coordination"]).value == 4
    assert recorded.answers.get(question=survey.q["suggestions"]).text == "Plus de formations"
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    assert response.cookies == {}


def test_a_second_answer_with_the_same_link_is_refused(client, survey, invitation):
    client.post(url(invitation), answer_post(survey))
    response = client.post(url(invitation), answer_post(survey, impact="Pas d'accord"))
    assert response.status_code == 410
    assert "a déjà répondu à cette enquête" in response.content.decode()
    assert Response.objects.filter(survey=survey).count() == 1
    assert not Answer.objects.filter(choice__label="Pas d'accord").exists()


def test_a_second_answer_with_another_referents_link_of_the_same_organisation_is_refused(
    client, survey, invitation, organisation
):
    colleague = InvitationFactory(survey=survey, organisation=organisation, email="b@example.org")
    client.post(url(invitation), answer_post(survey))
    page = client.get(url(colleague))
    assert page.status_code == 410
    assert "Solidarité Femmes 49 a déjà répondu" in page.content.decode()
    response = client.post(url(colleague), answer_post(survey, impact="Pas d'accord"))
    assert response.status_code == 410
    assert Response.objects.filter(survey=survey).count() == 1


def test_the_service_refuses_a_second_answer_even_past_the_page(survey, invitation, organisation):
    colleague = InvitationFactory(survey=survey, organisation=organisation, email="b@example.org")
    q = survey.q
    answers = {
        q["impact"].pk: q["impact"].choices.first().pk,
        q["coordination"].pk: 5,
        q["accueil"].pk: {r.pk: q["accueil"].choices.first().pk for r in q["accueil"].rows.all()},
    }
    submit_response(token=invitation.token, answers=answers)
    with pytest.raises(SurveyError, match="déjà répondu"):
        submit_response(token=colleague.token, answers=answers)
    assert Response.objects.count() == 1


def test_the_database_holds_one_response_per_organisation(survey, organisation):
    Response.objects.create(survey=survey, organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(survey=survey, organisation=organisation)


def test_a_closed_survey_takes_no_answer(client, survey, invitation):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    page = client.get(url(invitation))
    assert page.status_code == 410
    assert "Cette enquête est close" in page.content.decode()
    response = client.post(url(invitation), answer_post(survey))
    assert response.status_code == 410
    assert "Cette enquête est close" in response.content.decode()
    assert not Response.objects.exists()


def test_a_survey_past_its_closing_day_takes_no_answer(client, survey, invitation):
    Survey.objects.filter(pk=survey.pk).update(closes_on=date.today() - timedelta(days=1))
    response = client.post(url(invitation), answer_post(survey))
    assert response.status_code == 410
    assert "Cette enquête est close" in response.content.decode()
    assert not Response.objects.exists()


def test_the_closing_day_itself_still_takes_answers(client, survey, invitation):
    Survey.objects.filter(pk=survey.pk).update(closes_on=date.today())
    response = client.post(url(invitation), answer_post(survey))
    assert response.status_code == 200
    assert Response.objects.count() == 1


def test_a_draft_survey_takes_no_answer(client, survey, invitation):
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.DRAFT)
    assert client.get(url(invitation)).status_code == 410


def test_required_questions_must_be_answered(client, survey, invitation):
    data = answer_post(survey)
    del data[f"q{survey.q['impact'].pk}"]
    first_row = survey.q["accueil"].rows.first()
    del data[f"q{survey.q['accueil'].pk}_r{first_row.pk}"]
    response = client.post(url(invitation), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Cette question est obligatoire." in page
    assert "rien n'a été enregistré" in page
    assert page.count("Cette question est obligatoire.") >= 2 * 2  # summary + field, twice
    assert not Response.objects.exists()


def test_optional_questions_may_stay_empty(client, survey, invitation):
    data = answer_post(survey)
    del data[f"q{survey.q['actions'].pk}"]
    response = client.post(url(invitation), data)
    assert response.status_code == 200
    assert not Answer.objects.filter(question=survey.q["actions"]).exists()


@pytest.mark.parametrize("value", ["0", "6", "trois"])
def test_a_scale_value_out_of_bounds_is_refused(client, survey, invitation, value):
    response = client.post(url(invitation), answer_post(survey, scale=value))
    assert response.status_code == 400
    assert "Choisissez une valeur entre 1 et 5." in response.content.decode()
    assert not Response.objects.exists()


def test_a_choice_of_another_question_is_refused(client, survey, invitation):
    data = answer_post(survey)
    data[f"q{survey.q['impact'].pk}"] = str(survey.q["actions"].choices.first().pk)
    response = client.post(url(invitation), data)
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_the_service_checks_scale_bounds_too(survey, invitation):
    q = survey.q
    with pytest.raises(SurveyError, match="Réponse invalide"):
        submit_response(
            token=invitation.token,
            answers={
                q["impact"].pk: q["impact"].choices.first().pk,
                q["coordination"].pk: 9,
                q["accueil"].pk: {
                    r.pk: q["accueil"].choices.first().pk for r in q["accueil"].rows.all()
                },
            },
        )
    assert not Response.objects.exists()


def test_an_unknown_link_answers_404(client, db):
    response = client.get(reverse("network:survey_answer", args=["inconnu"]))
    assert response.status_code == 404
    assert "Ce lien d&#x27;enquête n&#x27;existe pas." in response.content.decode()


def test_answers_are_rate_limited(client, survey, invitation, monkeypatch):
    monkeypatch.setattr(survey_public_views, "ANSWERS_PER_HOUR", 0)
    response = client.post(url(invitation), answer_post(survey))
    assert response.status_code == 429
    assert "Trop de réponses" in response.content.decode()
    assert not Response.objects.exists()


def test_tokens_are_unguessable_and_unique(survey, organisation, other_organisation):
    first = InvitationFactory(survey=survey, organisation=organisation)
    second = InvitationFactory(survey=survey, organisation=other_organisation)
    assert first.token != second.token
    assert len(first.token) >= 40


@pytest.mark.parametrize("bad", ["abc", None, [1], {"x": 1}])
def test_the_service_refuses_malformed_values_with_a_french_message(survey, invitation, bad):
    q = survey.q
    answers = {
        q["impact"].pk: q["impact"].choices.first().pk,
        q["coordination"].pk: 4,
        q["accueil"].pk: bad if bad is not None else {},
    }
    with pytest.raises(SurveyError) as error:
        submit_response(token=invitation.token, answers=answers)
    assert "« Sur le territoire, »" in str(error.value)
    assert not Response.objects.exists()
