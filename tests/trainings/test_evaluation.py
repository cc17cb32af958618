"""The anonymous satisfaction questionnaire: sent to attendees only, one answer per link,
nothing linking an answer to a person, results aggregated as SVG charts with their tables."""

import html
import re

import pytest
from django.db import models
from django.urls import reverse

from maillage.core.models import User
from maillage.trainings.attendance import record_attendance
from maillage.trainings.evaluation import results, submit_evaluation
from maillage.trainings.models import (
    Attendance,
    EvaluationAnswer,
    EvaluationInvitation,
    Registration,
    Trainee,
)
from maillage.trainings.services import mark_held

from .factories import RegistrationFactory

pytestmark = pytest.mark.django_db

A = Attendance.Status


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def registrants(past_session):
    return [
        RegistrationFactory(session=past_session, email=f"stagiaire.{n}@example.org")
        for n in range(5)
    ]


@pytest.fixture
def held(past_session, registrants, trainer, committed, mailoutbox):
    """Three attended (one only the morning, one late), one excused, one absent."""
    morning, afternoon = past_session.slot_list
    first, second, third, excused, absent = registrants
    record_attendance(
        slot=morning,
        statuses={
            first.pk: A.PRESENT,
            second.pk: A.LATE,
            third.pk: A.PRESENT,
            excused.pk: A.EXCUSED,
            absent.pk: A.ABSENT,
        },
        by=trainer,
    )
    record_attendance(
        slot=afternoon, statuses={first.pk: A.PRESENT, second.pk: A.PRESENT}, by=trainer
    )
    with committed():
        mark_held(session=past_session)
    return past_session


def evaluation_links(mailoutbox) -> dict[str, str]:
    links = {}
    for message in mailoutbox:
        found = re.search(r"/formations/evaluation/([\w-]+)/", message.body)
        if found:
            links[message.to[0]] = found.group(0)
    return links


def answer(**values) -> dict:
    return {
        "overall": "5",
        "skills": "4",
        "expectations": "yes",
        "would_recommend": "yes",
        "comment": "",
        **values,
    }


def test_the_questionnaire_goes_to_attendees_only(held, registrants, mailoutbox):
    links = evaluation_links(mailoutbox)
    assert set(links) == {r.email for r in registrants[:3]}
    assert EvaluationInvitation.objects.count() == 3


def test_an_answer_is_recorded_without_any_link_to_the_person(client, held, mailoutbox):
    link = next(iter(evaluation_links(mailoutbox).values()))
    page = text(client.get(link))
    assert "N'écrivez rien sur une personne que vous avez accompagnée" in page
    response = client.post(link, answer(comment="Très utile."))
    assert response.status_code == 200
    assert "Merci ! Votre réponse est enregistrée" in text(response)
    stored = EvaluationAnswer.objects.get()
    assert (stored.overall, stored.skills, stored.comment) == (5, 4, "Très utile.")
    assert stored.session == held and stored.module == held.module
    # No field of the answer points at a person, a registration or an invitation, and it
    # keeps the day only (no time to match with anything).
    related = {f.related_model for f in EvaluationAnswer._meta.get_fields() if f.is_relation}
    assert related.isdisjoint({Registration, Trainee, EvaluationInvitation, User})
    assert not any(isinstance(f, models.DateTimeField) for f in EvaluationAnswer._meta.fields)
    assert isinstance(stored.pk, type(stored.id)) and len(str(stored.pk)) == 36  # random UUID
    assert EvaluationInvitation.objects.filter(used=True).count() == 1
    assert response.cookies == {}


def test_a_second_answer_with_the_same_link_is_refused(client, held, mailoutbox):
    link = next(iter(evaluation_links(mailoutbox).values()))
    client.post(link, answer())
    response = client.post(link, answer(overall="1"))
    assert response.status_code == 410
    assert "déjà été rempli" in text(response)
    assert EvaluationAnswer.objects.count() == 1
    assert client.get(link).status_code == 410


def test_an_unknown_link_is_404(client, held):
    response = client.get(reverse("trainings:evaluation", args=["inconnu"]))
    assert response.status_code == 404


def test_an_incomplete_answer_is_not_recorded_and_keeps_the_link(client, held, mailoutbox):
    link = next(iter(evaluation_links(mailoutbox).values()))
    response = client.post(link, answer(overall=""))
    assert response.status_code == 400
    assert not EvaluationAnswer.objects.exists()
    assert not EvaluationInvitation.objects.filter(used=True).exists()


def test_results_aggregate_correctly(held):
    tokens = list(EvaluationInvitation.objects.values_list("token", flat=True))
    values = [
        {"overall": 5, "skills": 5, "expectations": "yes", "would_recommend": True},
        {"overall": 4, "skills": 3, "expectations": "partly", "would_recommend": True},
        {
            "overall": 2,
            "skills": 4,
            "expectations": "no",
            "would_recommend": False,
            "comment": "Trop court.",
        },
    ]
    for token, value in zip(tokens, values, strict=True):
        submit_evaluation(token=token, answers=value)
    result = results(EvaluationAnswer.objects.filter(session=held))
    assert result.count == 3 and result.shown
    charts = {chart.key: chart for chart in result.charts}
    assert charts["overall"].mean == round(11 / 3, 1)
    assert [bar.count for bar in charts["overall"].bars] == [1, 1, 0, 1, 0]  # 5, 4, 3, 2, 1
    assert charts["skills"].mean == 4.0
    assert result.skills_improved_percent == 67
    assert [(bar.label, bar.count) for bar in charts["expectations"].bars] == [
        ("Oui", 1),
        ("En partie", 1),
        ("Non", 1),
    ]
    assert [bar.count for bar in charts["recommend"].bars] == [2, 1]
    assert result.comments == ["Trop court."]


def test_the_results_page_shows_svg_charts_with_their_tables(login, trainer, coordinator, held):
    for token in EvaluationInvitation.objects.values_list("token", flat=True):
        submit_evaluation(
            token=token,
            answers={"overall": 4, "skills": 5, "expectations": "yes", "would_recommend": True},
        )
    page = text(login(trainer).get(reverse("trainings:session_evaluation", args=[held.pk])))
    assert page.count("<svg") == 4
    assert 'role="img"' in page
    assert "Satisfaction générale : les valeurs" in page  # the table's caption
    assert "100 % estiment que leurs compétences ont progressé" in page
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]
    module_page = text(
        login(coordinator).get(reverse("trainings:module_evaluation", args=[held.module.pk]))
    )
    assert module_page.count("<svg") == 4
    assert "3 réponses" in module_page


def test_few_answers_are_not_shown(login, trainer, held):
    token = EvaluationInvitation.objects.values_list("token", flat=True).first()
    submit_evaluation(
        token=token,
        answers={"overall": 1, "skills": 1, "expectations": "no", "would_recommend": False},
    )
    page = text(login(trainer).get(reverse("trainings:session_evaluation", args=[held.pk])))
    assert "<svg" not in page
    assert "à partir de 3 réponses" in page


def test_results_are_hidden_from_others(login, other_coordinator, professional, trainer, held):
    url = reverse("trainings:session_evaluation", args=[held.pk])
    assert login(other_coordinator).get(url).status_code == 404
    assert login(professional).get(url).status_code == 404
    module_url = reverse("trainings:module_evaluation", args=[held.module.pk])
    assert login(other_coordinator).get(module_url).status_code == 404
    assert login(trainer).get(module_url).status_code == 404
