"""The public guide at /orientation/: POST only, nothing stored, no cookie, the right contacts."""

import html as html_lib
import io
import logging
import re
from datetime import date

import pytest
from django.core.cache import caches
from django.urls import reverse
from pypdf import PdfReader

from maillage.core import pdf_cache
from maillage.orientation import reflex, views
from maillage.orientation.models import OrientationSettings, ResultCount
from maillage.orientation.services import record_result_shown

from ..factories import UserFactory
from .conftest import row_counts

pytestmark = pytest.mark.django_db

GUIDE = "/orientation/"
TO_QUI = {"securite": "oui", "danger": "non", "mineur": "non"}


def post(client, answers: dict, *, step: str = "", values=(), action: str = "next", **extra):
    """Press a button of a screen: the answers so far as hidden fields, the new answer."""
    data: dict[str, list[str]] = {f"a-{key}": [v] if isinstance(v, str) else list(v)
                                  for key, v in answers.items()}  # fmt: skip
    data |= {"action": [action], "step": [step], "answer": list(values)}
    return client.post(GUIDE, data, **extra)


def walk_to(client, *steps, **extra):
    """Answer the screens one by one, as a visitor does (each POST carries the previous ones)."""
    answers: dict = {}
    response = client.get(GUIDE)
    for step, values in steps:
        values = [values] if isinstance(values, str) else list(values)
        response = post(client, answers, step=step, values=values, **extra)
        answers = hidden_answers(response)
    return response


def hidden_answers(response) -> dict:
    answers: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" name="a-([^"]+)" value="([^"]*)">', response.content.decode()
    ):
        answers.setdefault(name, []).append(value)
    return answers


def numbers(response) -> list[str]:
    return re.findall(r'data-number="([^"]+)"', response.content.decode())


def services(response) -> list[str]:
    found = re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", response.content.decode())
    return [html_lib.unescape(name) for name in found]


def test_the_first_screen_is_a_post_form_without_token_cookie_or_cache(client, tree):
    response = client.get(GUIDE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pouvez-vous répondre sans risque en ce moment ?" in html
    assert '<form method="post" action="/orientation/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert "<legend" in html and "data-step-heading" in html


def test_a_post_is_accepted_without_csrf_token_and_sets_no_cookie(tree):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = post(client, {}, step="securite", values=["oui"])
    assert response.status_code == 200
    assert "Y a-t-il un danger immédiat ?" in response.content.decode()
    assert not response.cookies
    assert hidden_answers(response) == {"securite": ["oui"]}


def test_immediate_danger_shows_17_112_and_114_first(client, tree):
    response = walk_to(client, ("securite", "oui"), ("danger", "oui"))
    assert "Appelez les secours maintenant" in response.content.decode()
    assert numbers(response)[:3] == ["17", "112", "114"]
    assert 'href="sms:114"' in response.content.decode()
    assert services(response) == []  # numbers only: no directory search on this screen


def test_a_minor_involved_shows_119(client, tree, local_services):
    response = walk_to(client, ("securite", "oui"), ("danger", "non"), ("mineur", "oui"))
    assert numbers(response)[0] == "119"
    assert services(response) == ["Planning familial"]  # the only service for minors
    # "Continuer" goes on to the adult's own needs.
    response = post(client, hidden_answers(response), step="enfant", values=["ok"])
    assert "Vous êtes :" in response.content.decode()


def test_a_child_in_immediate_danger_shows_17_then_119(client, tree):
    response = walk_to(client, ("securite", "oui"), ("danger", "non"), ("mineur", "danger"))
    assert numbers(response) == ["17", "112", "119"]


def test_an_author_is_oriented_to_perpetrator_programmes(client, tree, local_services):
    response = walk_to(client, *TO_QUI.items(), ("qui", "auteur"))
    html = response.content.decode()
    assert numbers(response)[0] == "auteurs"
    assert "08 019 019 11" in html
    # The local programme; the national line is shown as a number, not twice.
    assert services(response) == ["Centre de prise en charge des auteurs"]
    assert "Continuer" not in html  # a final result


def test_cannot_talk_safely_shows_114_and_the_way_out(client, tree):
    response = walk_to(client, ("securite", "non"))
    assert numbers(response)[0] == "114"
    assert "Quitter le site" in response.content.decode()


def test_the_whole_path_gives_the_best_local_contacts_for_the_needs(
    client, tree, local_services, angers
):
    response = walk_to(
        client,
        *TO_QUI.items(),
        ("qui", "victime"),
        ("personne", "femme"),
        ("violences", ["couple"]),
        ("besoins", ["abri", "parler"]),
        ("commune", "Angers"),
        ("conditions", []),
    )
    html = response.content.decode()
    assert "Les contacts pour vous" in html
    assert "Des contacts près de Angers" in html
    # Somewhere to sleep tonight comes first, then the line for women victims.
    assert numbers(response)[:2] == ["115", "3919"]
    found = services(response)
    assert len(found) == 3
    assert set(found[:2]) == {"Hébergement d'urgence 49", "Accueil de jour et écoute"}
    assert "Centre de prise en charge des auteurs" not in found
    # A public visitor never sees the professionals' line.
    assert "02 41 00 00 01" in html and "02 41 00 00 02" not in html


def test_filters_are_relaxed_in_order_when_nothing_matches(client, tree, local_services):
    response = walk_to(
        client,
        *TO_QUI.items(),
        ("qui", "victime"),
        ("personne", "femme"),
        ("violences", ["mariage-force"]),
        ("besoins", ["soins"]),
        ("commune", ""),
        ("conditions", ["anonyme"]),  # no service of the directory is anonymous
    )
    html = response.content.decode()
    assert "Aucun service ne correspond à toutes vos réponses" in html
    assert "sans vos conditions (ouvert maintenant, gratuit, anonyme)" in html
    assert "pour tous les publics" not in html  # the next relaxation was not needed
    assert services(response)  # something to call


def test_a_wrong_answer_is_announced_and_the_screen_stays(client, tree):
    response = post(client, {}, step="securite", values=[])
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Choisissez une réponse." in html
    assert 'aria-describedby="step-help step-error"' in html


def test_back_and_restart(client, tree):
    response = walk_to(client, ("securite", "oui"), ("danger", "non"))
    response = post(client, hidden_answers(response), action="back")
    html = response.content.decode()
    assert "Y a-t-il un danger immédiat ?" in html
    assert re.search(r'value="non" id="answer-\d+" checked', html)
    response = post(client, hidden_answers(response), action="restart")
    assert "Pouvez-vous répondre sans risque" in response.content.decode()
    assert hidden_answers(response) == {}


def test_the_script_receives_the_screen_alone(client, tree):
    response = post(client, {}, step="securite", values=["oui"], HTTP_X_ORIENTATION_STEP="1")
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert "Y a-t-il un danger immédiat ?" in html


def test_walking_the_guide_writes_nothing_when_counts_are_off(client, tree, local_services):
    before = row_counts()
    walk_to(
        client, *TO_QUI.items(), ("qui", "victime"), ("personne", "femme"),
        ("violences", ["couple"]),
        ("besoins", ["abri"]), ("commune", "Angers"), ("conditions", ["gratuit"]),
    )  # fmt: skip
    walk_to(client, ("securite", "oui"), ("danger", "oui"))
    assert row_counts() == before
    assert not OrientationSettings.objects.exists()


def test_counts_on_add_one_per_result_and_month_and_nothing_else(client, tree, territory):
    OrientationSettings.objects.create(territory=territory, counts_enabled=True)
    before = row_counts()
    walk_to(client, ("securite", "oui"), ("danger", "oui"))
    walk_to(client, ("securite", "oui"), ("danger", "oui"))
    walk_to(client, *TO_QUI.items(), ("qui", "auteur"))
    after = row_counts()
    changed = {label for label in after if after[label] != before[label]}
    assert changed == {"orientation.ResultCount"}
    month = date.today().replace(day=1)
    assert {(c.node.key, c.month, c.count) for c in ResultCount.objects.all()} == {
        ("danger-immediat", month, 2),
        ("auteur", month, 1),
    }
    # Another month, another counter; a question is never counted.
    node = tree.nodes.get(key="auteur")
    record_result_shown(node, territory=territory, on=date(2030, 1, 17))
    assert ResultCount.objects.get(node=node, month=date(2030, 1, 1)).count == 1
    assert not record_result_shown(tree.nodes.get(key="danger"), territory=territory)


def test_the_printable_summary_is_discreet(client, tree, local_services):
    response = walk_to(client, *TO_QUI.items(), ("qui", "auteur"))
    data = {f"a-{k}": v for k, v in hidden_answers(response).items()} | {"action": "pdf"}
    pdf = client.post(reverse("orientation:summary-pdf"), data)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert not pdf.cookies
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata.title == "Contacts utiles"
    assert "violence" not in reader.metadata.title.lower()
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "08 019 019 11" in text
    assert "Centre de prise en charge des auteurs" in text
    assert "Vous êtes" not in text  # no question, no answer


def test_the_summary_of_a_question_goes_back_to_the_guide(client, tree):
    response = client.post(reverse("orientation:summary-pdf"), {"a-securite": "oui"})
    assert response.status_code == 302
    assert response["Location"] == GUIDE


def test_no_published_tree_shows_the_national_numbers(client, territory):
    from .conftest import reference_data

    reference_data()
    response = client.get(GUIDE)
    assert response.status_code == 200
    assert numbers(response)[:3] == ["17", "112", "114"]


# -- professional mode -------------------------------------------------------------------------


def test_a_professional_sees_guidance_a_visitor_does_not(client, login, tree, professional):
    anonymous = walk_to(client, ("securite", "oui")).content.decode()
    assert "Repères pour les professionnels" not in anonymous
    assert "Signes de danger à prendre au sérieux" not in anonymous
    login(professional)
    html = walk_to(client, ("securite", "oui")).content.decode()
    assert "Repères pour les professionnels" in html
    assert "Ce que permet le secret professionnel" in html
    assert "Signes de danger à prendre au sérieux" in html  # the question's own note
    assert reverse("orientation:reflex-sheets") in html


def test_a_professional_sees_the_professional_lines(client, login, tree, professional,
                                                    local_services):  # fmt: skip
    login(professional)
    response = walk_to(
        client, *TO_QUI.items(), ("qui", "victime"), ("personne", "femme"),
        ("violences", ["couple"]),
        ("besoins", ["parler"]), ("commune", "Angers"), ("conditions", []),
    )  # fmt: skip
    assert "02 41 00 00 02" in response.content.decode()


def test_the_reflex_sheet_is_for_professionals_only(client, login, tree, angers):
    url = reverse("orientation:reflex-sheet", args=[angers.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    login(UserFactory(email="sans-role@example.org"))
    assert client.get(url).status_code == 403


def test_the_reflex_sheet_is_one_page_with_numbers_and_local_contacts(
    client, login, tree, professional, angers, local_services
):
    login(professional)
    response = client.get(reverse("orientation:reflex-sheet", args=[angers.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Fiche réflexe — Angers"
    text = " ".join(reader.pages[0].extract_text().split())
    expected = [
        *("17", "112", "114", "3919", "119", "08 019 019 11", "Repérer", "Passer le relais"),
        *("Accueil de jour et écoute", "02 41 00 00 02", "Hébergement d'urgence 49"),
        "Centre de prise en charge des auteurs",
    ]
    for part in expected:
        assert part in text, part


def test_the_reflex_sheet_of_a_commune_outside_the_territory_is_not_found(
    client, login, tree, professional
):
    login(professional)
    assert client.get(reverse("orientation:reflex-sheet", args=["75056"])).status_code == 404


def test_the_commune_chooser_leads_to_the_sheet(client, login, tree, professional, angers):
    login(professional)
    page = client.get(reverse("orientation:reflex-sheets"))
    assert page.status_code == 200
    assert "Angers" in page.content.decode()
    response = client.get(reverse("orientation:reflex-sheets"), {"commune": "49007"})
    assert response["Location"] == reverse("orientation:reflex-sheet", args=["49007"])


def test_no_template_of_the_guide_asks_for_a_csrf_token():
    from pathlib import Path

    import maillage.orientation

    folder = Path(maillage.orientation.__file__).parent / "templates" / "orientation"
    for name in ("guide.html", "_question.html", "_result.html", "_professional_guide.html"):
        assert "csrf_token" not in (folder / name).read_text(), name


def test_the_local_contacts_come_before_the_numbers_unless_urgent(client, tree, local_services):
    final = walk_to(client, *TO_QUI.items(), ("qui", "auteur")).content.decode()
    assert final.index('id="services-title"') < final.index('id="numbers-title"')
    urgent = walk_to(
        client, *TO_QUI.items(), ("qui", "victime"), ("personne", "femme"),
        ("violences", ["sexuelles"]),
        ("sexuelles-recentes", "oui"),
    ).content.decode()  # fmt: skip
    assert "Après une agression sexuelle récente" in urgent
    assert urgent.index('id="numbers-title"') < urgent.index('id="services-title"')


def test_the_guide_answers_in_english_too(client, tree):
    response = client.get("/en/orientation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/en/orientation/"' in html
    assert ">Continue</button>" in html and "Step 1" in html
    response = client.post("/en/orientation/", {"action": "next", "step": "securite"})
    assert response.status_code == 200
    assert not response.cookies


def test_a_result_screen_reads_a_bounded_number_of_rows(
    client, tree, local_services, django_assert_max_num_queries
):
    answers = {
        "a-securite": "oui", "a-danger": "non", "a-mineur": "non", "a-qui": "victime",
        "a-personne": "femme", "a-violences": "couple", "a-besoins": ["abri", "parler", "droits"],
        "a-commune": "Angers", "a-conditions": "",
    }  # fmt: skip
    client.post(GUIDE, answers)  # the search index is built once per process
    with django_assert_max_num_queries(20):
        response = client.post(GUIDE, answers)
    assert len(services(response)) == 3


# -- PDFs kept in the cache (the reflex sheet) or only counted (the summary): core.pdf_cache ----


@pytest.fixture
def cache_writes(monkeypatch) -> list:
    """Every value written to the default cache (a spy on its backend)."""
    backend = caches["default"]
    written: list = []
    for name in ("set", "add", "set_many", "get_or_set"):
        original = getattr(backend, name)

        def spy(*args, _original=original, **kwargs):
            written.append((args, kwargs))
            return _original(*args, **kwargs)

        monkeypatch.setattr(backend, name, spy)
    return written


def test_the_summary_pdf_is_never_kept_in_the_cache_nor_logged(
    client, tree, local_services, cache_writes, caplog
):
    response = walk_to(client, *TO_QUI.items(), ("qui", "auteur"))
    data = {f"a-{k}": v for k, v in hidden_answers(response).items()} | {"action": "pdf"}

    with caplog.at_level(logging.DEBUG):
        first = client.post(reverse("orientation:summary-pdf"), data)
        again = client.post(reverse("orientation:summary-pdf"), data)

    assert first.content.startswith(b"%PDF")
    assert again.content.startswith(b"%PDF")
    assert "%PDF" not in repr(cache_writes)
    assert "auteur" not in caplog.text
    # The spy does see a PDF that is kept: the public sheet of a service.
    client.get(reverse("directory:service-pdf", args=[local_services["listening"].pk]))
    assert "%PDF" in repr(cache_writes)


def test_the_summary_pdf_is_limited_per_client(client, tree, monkeypatch):
    monkeypatch.setattr(pdf_cache, "BUILDS_PER_WINDOW", 1)
    response = walk_to(client, *TO_QUI.items(), ("qui", "auteur"))
    data = {f"a-{k}": v for k, v in hidden_answers(response).items()} | {"action": "pdf"}

    assert client.post(reverse("orientation:summary-pdf"), data).status_code == 200
    refused = client.post(reverse("orientation:summary-pdf"), data)
    assert refused.status_code == 429
    assert "Trop de demandes" in refused.content.decode()
    other = client.post(reverse("orientation:summary-pdf"), data, REMOTE_ADDR="192.0.2.45")
    assert other.status_code == 200


def test_the_reflex_sheet_is_built_once_for_every_professional(
    client, login, tree, professional, coordinator, angers, local_services, monkeypatch
):
    built = []

    def render(commune, **kwargs):
        built.append(commune)
        return reflex.render_reflex_sheet(commune, **kwargs)

    monkeypatch.setattr(views, "render_reflex_sheet", render)
    url = reverse("orientation:reflex-sheet", args=[angers.pk])
    login(professional)
    first = client.get(url)
    login(coordinator)
    assert client.get(url).content == first.content
    assert len(built) == 1
