from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from maillage.trainings.models import InvalidTransition, TrainingSession, TrainingSlot

from .factories import SessionFactory

pytestmark = pytest.mark.django_db

S = TrainingSession.Status


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (S.PLANNED, S.OPEN, True),
        (S.PLANNED, S.CONFIRMED, False),
        (S.OPEN, S.CONFIRMED, True),
        (S.CONFIRMED, S.OPEN, False),
        (S.FULL, S.OPEN, True),
        (S.CONFIRMED, S.HELD, True),
        (S.HELD, S.CANCELLED, False),
        (S.CANCELLED, S.OPEN, False),
    ],
)
def test_session_transitions(module, current, target, allowed):
    session = SessionFactory(module=module, status=current)

    assert session.can_become(target) is allowed
    if not allowed:
        with pytest.raises(InvalidTransition):
            session.set_status(target)


def test_a_refused_transition_says_why_in_french(module):
    session = SessionFactory(module=module, status=S.CANCELLED)

    with pytest.raises(InvalidTransition) as refusal:
        session.set_status(S.OPEN)

    assert str(refusal.value) == (
        "Une session « Annulée » ne peut pas passer à « Inscriptions ouvertes »."
    )


def test_a_confidential_place_shows_only_its_commune_in_public(module):
    session = SessionFactory(module=module, address_for_registrants_only=True)

    assert session.public_place == "Angers"
    assert session.full_place == "Maison des solidarités, 12 rue des Lices, Angers"


def test_a_session_without_place_nor_link_is_invalid(module):
    session = TrainingSession(module=module, capacity=10)

    with pytest.raises(ValidationError, match="lien de visioconférence"):
        session.clean()


def test_a_slot_ends_after_it_starts_and_knows_its_half_day(module):
    session = SessionFactory(module=module, slots=[])
    slot = TrainingSlot(session=session, date=date(2031, 3, 4), start=time(14), end=time(13))

    with pytest.raises(ValidationError, match=r"La fin doit suivre le début\."):
        slot.clean()
    assert slot.half_day == "après-midi"
    assert str(slot.starts_at.tzinfo) == "Europe/Paris"
