"""The public guide's final result composed from the situation its answers describe
(Choice.facts → situation → composition), on the Angers demo."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from .test_guide import TO_QUI, hidden_answers, numbers, walk_to

pytestmark = pytest.mark.django_db


def final(client, *steps):
    return walk_to(
        client,
        *TO_QUI.items(),
        *steps,
        ("besoins", []),
        ("commune", "Angers"),
        ("conditions", []),
    )


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_teacher_gets_her_duties_without_logging_in(client, demo):
    response = final(
        client,
        ("qui", "professionnel"),
        ("metier", "education"),
        ("personne", "fille"),
        ("violences", ["sexuelles"]),
        ("sexuelles-recentes", "non"),
    )
    html = response.content.decode()
    assert 'data-duty="art-40-cpp"' in html and 'data-duty="report-prosecutor"' in html
    assert "art. 40 CPP" in text(response)
    shown = numbers(response)
    assert "119" in shown and "3919" not in shown and "3018" not in shown
    # An adult's forensic unit is not a child's contact: the UAPED is.
    assert "UAPED" in text(response) or "pédiatrique" in text(response)


def test_a_man_is_not_sent_to_the_womens_line(client, demo):
    response = final(client, ("qui", "victime"), ("personne", "homme"), ("violences", ["couple"]))
    shown = numbers(response)
    assert shown[0] == "116006" and "3919" not in shown
    assert "Solidarité Femmes" not in text(response)
    assert "France Victimes 49" in text(response)


def test_the_dated_steps_are_on_the_result_and_in_the_printable_summary(client, demo):
    response = walk_to(
        client,
        *TO_QUI.items(),
        ("qui", "victime"),
        ("personne", "femme"),
        ("violences", ["sexuelles"]),
        ("sexuelles-recentes", "oui"),
        ("agression-recente", "ok"),
        ("besoins", []),
        ("commune", "Angers"),
        ("conditions", []),
    )
    html = response.content.decode()
    for step in ("hiv-pep", "emergency-contraception", "preserve-evidence"):
        assert f'data-step="{step}"' in html
    assert "48 h" in text(response)
    data = {f"a-{k}": v for k, v in hidden_answers(response).items()} | {"action": "pdf"}
    pdf = client.post(reverse("orientation:summary-pdf"), data)
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.content))
    printed = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "48 h" in printed and "ulipristal" in printed and "sac en papier" in printed
    assert "violence" not in reader.metadata.title.lower()


def test_steps_past_their_deadline_are_not_offered(client, demo):
    response = final(
        client,
        ("qui", "victime"),
        ("personne", "femme"),
        ("violences", ["sexuelles"]),
        ("sexuelles-recentes", "non"),
    )
    html = response.content.decode()
    assert 'data-step="hiv-pep"' not in html
    assert 'data-step="emergency-contraception"' not in html
