import pytest
from django.urls import reverse

from maillage.trainings.models import Module, Registration, TrainingSession


@pytest.mark.django_db
def test_demo_data_builds_the_training_offer(client, demo):

    assert Module.objects.count() == 4
    primo = Module.objects.get(slug="primo-accueil")
    assert primo.title == "Primo-accueil des victimes de violences sexistes et sexuelles"
    assert primo.trainer_organisation.name == "France Victimes 49"
    upcoming = TrainingSession.objects.exclude(status=TrainingSession.Status.HELD)
    assert upcoming.count() == 4  # the held ones are the first contract's (demo_history.py)
    first = primo.sessions.exclude(status=TrainingSession.Status.HELD).get()
    assert first.status == TrainingSession.Status.CONFIRMED
    assert first.registrations.filter(status="confirmed").count() == 7
    assert [slot.half_day for slot in first.slot_list] == ["matin", "après-midi"]
    full = TrainingSession.objects.get(module__slug="questionnement-systematique")
    assert full.status == TrainingSession.Status.FULL
    assert full.registrations.filter(status="waiting").count() == 3
    assert Registration.objects.filter(session__in=upcoming).count() == 7 + 11

    page = client.get(reverse("trainings:catalogue")).content.decode()
    assert "Primo-accueil des victimes de violences sexistes et sexuelles" in page
