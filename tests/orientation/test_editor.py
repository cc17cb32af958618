"""The coordinator's editor of a draft: questions and their answers, results, the first
question, deleting a node; the problems listed after each save; who may edit what."""

import pytest
from django.urls import reverse

from maillage.orientation.editor import (
    AnswerData,
    Codes,
    EditRefused,
    NodeInUse,
    QuestionData,
    ResultData,
    delete_node,
    new_key,
    save_question,
    save_result,
    set_start,
)
from maillage.orientation.models import Choice, Node, TreeVersion
from maillage.orientation.services import VersionLocked, start_draft
from maillage.orientation.tree import load_tree, validate

pytestmark = pytest.mark.django_db

WORKSPACE = reverse("orientation:workspace")


@pytest.fixture
def draft(tree, territory):
    """A copy of the published default tree, being prepared."""
    return start_draft(territory)


def node(version, key) -> Node:
    return Node.objects.get(version=version, key=key)


def answer_fields(index, *, label="", target=None, pk=None, order=None, delete=False,
                  numbers=(), violence=(), help=(), public=(), flags=()) -> dict:  # fmt: skip
    prefix = f"answers-{index}-"
    data = {
        f"{prefix}label": label,
        f"{prefix}help_text": "",
        f"{prefix}next": target.pk if target else "",
        # As on the page: an existing answer shows its order, a blank row none.
        f"{prefix}ORDER": (index + 1 if pk else "") if order is None else order,
        f"{prefix}violence": list(violence),
        f"{prefix}help": list(help),
        f"{prefix}public": list(public),
        f"{prefix}flags": list(flags),
    }
    if pk:
        data[f"{prefix}id"] = pk
    if delete:
        data[f"{prefix}DELETE"] = "on"
    for position, code in enumerate(numbers, start=1):
        data[f"{prefix}number_{position}"] = code
    return data


def question_data(title, *answers: dict, kind="single", target=None, initial=0) -> dict:
    data = {
        "title": title,
        "kind": kind,
        "help_text": "",
        "professional_notes": "",
        "next": target.pk if target else "",
        "answers-TOTAL_FORMS": len(answers),
        "answers-INITIAL_FORMS": initial,
        "answers-MIN_NUM_FORMS": 0,
        "answers-MAX_NUM_FORMS": 1000,
    }
    for fields in answers:
        data |= fields
    return data


def existing_answers(question: Node) -> list[dict]:
    """The answers of a question as its edit page posts them back, unchanged."""
    return [
        answer_fields(index, label=c.label, target=c.next, pk=c.pk, numbers=c.numbers,
                      violence=c.violence, help=c.help, public=c.public, flags=c.flags)
        for index, c in enumerate(question.choices.order_by("position", "pk"))
    ]  # fmt: skip


def result_data(title, *, numbers=(), help=(), violence=(), public=(), flags=(), target=None,
                advice="", next_steps="") -> dict:  # fmt: skip
    data = {
        "title": title,
        "advice": advice,
        "next_steps": next_steps,
        "professional_notes": "",
        "next": target.pk if target else "",
        "help": list(help),
        "violence": list(violence),
        "public": list(public),
        "flags": list(flags),
    }
    for position, code in enumerate(numbers, start=1):
        data[f"number_{position}"] = code
    return data


def page(client, version) -> str:
    return client.get(reverse("orientation:version", args=[version.pk])).content.decode()


# -- adding and editing ------------------------------------------------------------------------


def test_preparing_a_draft_opens_its_page(client, login, coordinator, territory, tree):
    login(coordinator)
    response = client.post(reverse("orientation:draft-start", args=[territory.slug]))
    draft = TreeVersion.objects.get(territory=territory, status=TreeVersion.Status.DRAFT)
    assert response.url == reverse("orientation:version", args=[draft.pk])
    html = page(client, draft)
    assert "Le brouillon 2 est valide : il peut être publié." in html
    assert "Ajouter une question" in html
    assert reverse("orientation:node-edit", args=[node(draft, "danger").pk]) in html


def test_the_coordinator_adds_a_question_whose_answers_lead_to_a_result(
    client, login, coordinator, draft
):
    login(coordinator)
    contacts = node(draft, "contacts")
    url = reverse("orientation:question-add", args=[draft.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        question_data(
            "Avez-vous un endroit sûr où dormir ?",
            answer_fields(0, label="Oui", target=contacts),
            answer_fields(1, label="Non", target=contacts, numbers=["115"],
                          help=["hebergement-urgence"]),
            answer_fields(2),  # a blank extra row is left out
        ),
    )  # fmt: skip

    question = Node.objects.get(version=draft, title="Avez-vous un endroit sûr où dormir ?")
    assert response.status_code == 302
    assert response.url == reverse("orientation:version", args=[draft.pk]) + f"#node-{question.pk}"
    assert question.kind == Node.Kind.SINGLE
    assert question.key == "avez-vous-un-endroit-sur-ou-dormir"
    choices = list(question.choices.order_by("position"))
    assert [(c.key, c.label, c.next, c.position) for c in choices] == [
        ("oui", "Oui", contacts, 0),
        ("non", "Non", contacts, 1),
    ]
    assert choices[1].numbers == ["115"]
    assert choices[1].help == ["hebergement-urgence"]

    # Saved, the tree is checked again: nothing leads to the new question yet.
    html = client.get(response.url).content.decode()
    assert "Le brouillon 2 ne peut pas être publié" in html
    assert "L&#x27;étape « Avez-vous un endroit sûr où dormir ? » " in html
    assert reverse("orientation:node-edit", args=[question.pk]) in html


def test_the_coordinator_edits_reorders_and_deletes_answers(client, login, coordinator, draft):
    login(coordinator)
    question = node(draft, "mineur")
    kept, removed, _last = question.choices.order_by("position")
    fields = existing_answers(question)
    fields[0] |= answer_fields(0, label="Oui, en danger immédiat", target=kept.next, pk=kept.pk,
                               order=3, numbers=["17", "119"])  # fmt: skip
    fields[1]["answers-1-DELETE"] = "on"
    fields[2]["answers-2-ORDER"] = 1
    new = answer_fields(3, label="Je ne sais pas", target=node(draft, "qui"), order=2)

    response = client.post(
        reverse("orientation:node-edit", args=[question.pk]),
        question_data("Un enfant est-il concerné ?", *fields, new, initial=3),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.title == "Un enfant est-il concerné ?"
    assert not Choice.objects.filter(pk=removed.pk).exists()
    choices = list(question.choices.order_by("position"))
    assert [(c.key, c.label) for c in choices] == [
        ("non", "Non"),
        ("je-ne-sais-pas", "Je ne sais pas"),
        ("danger", "Oui, en danger immédiat"),  # its key is kept: answers travel by key
    ]
    assert choices[2].numbers == ["17", "119"]


def test_a_new_answer_gets_a_key_of_its_own(draft):
    question = node(draft, "danger")
    answers = [AnswerData(label="Oui", pk=c.pk, next_id=c.next_id) for c in question.choices.all()]
    save_question(
        draft,
        QuestionData(title=question.title, kind="single"),
        answers=[*answers, AnswerData(label="Oui", next_id=question.choices.first().next_id)],
        node=question,
    )
    assert sorted(question.choices.values_list("key", flat=True)) == ["non", "oui", "oui-2"]
    assert new_key("", {"etape"}) == "etape-2"


def test_the_coordinator_turns_a_question_into_a_multiple_choice_with_a_default_next_step(
    client, login, coordinator, draft
):
    login(coordinator)
    question = node(draft, "danger")
    target = node(draft, "mineur")
    response = client.post(
        reverse("orientation:node-edit", args=[question.pk]),
        question_data(question.title, *existing_answers(question), kind="multiple",
                      target=target, initial=2),
    )  # fmt: skip
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.kind, question.next) == (Node.Kind.MULTIPLE, target)


def test_a_commune_question_has_no_answers(client, login, coordinator, draft):
    login(coordinator)
    question = node(draft, "danger")
    response = client.post(
        reverse("orientation:node-edit", args=[question.pk]),
        question_data(question.title, *existing_answers(question), kind="commune", initial=2),
    )
    assert response.status_code == 200
    assert "Une question sur la commune n&#x27;a pas de réponses à choisir" in (
        response.content.decode()
    )
    question.refresh_from_db()
    assert question.kind == Node.Kind.SINGLE
    assert question.choices.count() == 2


def test_a_question_becomes_a_commune_question_once_its_answers_are_deleted(draft):
    question = node(draft, "danger")
    data = QuestionData(title=question.title, kind="commune", next_id=node(draft, "mineur").pk)
    with pytest.raises(EditRefused, match="supprimez-les"):
        save_question(draft, data, answers=[], node=question)
    save_question(draft, data, answers=[], deleted=[c.pk for c in question.choices.all()],
                  node=question)  # fmt: skip
    question.refresh_from_db()
    assert question.kind == Node.Kind.COMMUNE
    assert not question.choices.exists()


def test_save_and_continue_stays_on_the_question(client, login, coordinator, draft):
    login(coordinator)
    response = client.post(
        reverse("orientation:question-add", args=[draft.pk]),
        {**question_data("Encore une question"), "stay": "1"},
    )
    question = Node.objects.get(version=draft, title="Encore une question")
    assert response.url == reverse("orientation:node-edit", args=[question.pk])
    html = client.get(response.url).content.decode()
    assert "La question « Encore une question » (encore-une-question) est enregistrée." in html
    assert "La question « Encore une question » (encore-une-question) n&#x27;a aucune réponse" in (
        html
    )


def test_an_answer_needs_a_label_and_a_target_of_the_draft(client, login, coordinator, draft, tree):
    login(coordinator)
    published_result = Node.objects.get(version=tree, key="contacts")
    response = client.post(
        reverse("orientation:question-add", args=[draft.pk]),
        question_data(
            "Une question",
            answer_fields(0, label="", target=node(draft, "contacts")),
            answer_fields(1, label="Ailleurs", target=published_result),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs ; rien n'a été enregistré." in html
    assert "Réponse 1, Libellé de la réponse : Ce champ est obligatoire." in html
    assert "Réponse 2, Étape suivante : Sélectionnez un choix valide." in html
    assert not Node.objects.filter(title="Une question").exists()


def test_the_coordinator_adds_and_edits_a_result(client, login, coordinator, draft):
    login(coordinator)
    response = client.post(
        reverse("orientation:result-add", args=[draft.pk]),
        result_data(
            "Un hébergement ce soir",
            numbers=["115", "3919"],
            help=["hebergement-urgence"],
            violence=["conjugales"],
            public=["femmes"],
            flags=["urgent", "open_now"],
            advice="Préparez vos papiers.\nEmmenez vos enfants.",
            next_steps="Le 115 vous rappelle.",
        ),
    )
    assert response.status_code == 302
    result = Node.objects.get(version=draft, title="Un hébergement ce soir")
    assert result.kind == Node.Kind.RESULT
    assert (result.numbers, result.help, result.violence, result.public, result.flags) == (
        ["115", "3919"], ["hebergement-urgence"], ["conjugales"], ["femmes"], ["urgent", "open_now"]
    )  # fmt: skip
    assert result.advice_lines == ["Préparez vos papiers.", "Emmenez vos enfants."]

    # The order of the numbers is the order of the slots; it continues to a question.
    edit = reverse("orientation:node-edit", args=[result.pk])
    assert 'value="115" selected' in client.get(edit).content.decode()
    client.post(edit, result_data("Un hébergement ce soir", numbers=["3919", "115"],
                                  target=node(draft, "besoins")))  # fmt: skip
    result.refresh_from_db()
    assert result.numbers == ["3919", "115"]
    assert result.help == [] and result.flags == []
    assert result.next == node(draft, "besoins")


def test_a_result_refuses_a_number_twice_and_unknown_codes(client, login, coordinator, draft):
    login(coordinator)
    response = client.post(
        reverse("orientation:result-add", args=[draft.pk]),
        result_data("Doublon", numbers=["115", "115"], help=["inconnu"], flags=["vip"]),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Numéro 2 : Ce numéro est déjà choisi plus haut." in html
    assert "Sélectionnez un choix valide. inconnu n" in html
    assert "Sélectionnez un choix valide. vip n" in html
    assert not Node.objects.filter(title="Doublon").exists()


def test_a_result_continues_to_a_question_only(client, login, coordinator, draft):
    login(coordinator)
    response = client.post(
        reverse("orientation:result-add", args=[draft.pk]),
        result_data("Vers un résultat", numbers=["3919"], target=node(draft, "contacts")),
    )
    assert "Continuer ensuite vers : Sélectionnez un choix valide." in response.content.decode()


def test_the_coordinator_chooses_the_first_question(client, login, coordinator, draft):
    login(coordinator)
    url = reverse("orientation:version-start", args=[draft.pk])
    client.post(url, {"start": node(draft, "danger").pk})
    draft.refresh_from_db()
    assert draft.start == node(draft, "danger")
    html = page(client, draft)
    # The old first question is now out of the way: the problems say so.
    assert (
        "L&#x27;étape « Pouvez-vous répondre sans risque en ce moment ? » (securite) ne peut"
        in (html)
    )
    # A result cannot come first.
    response = client.post(url, {"start": node(draft, "contacts").pk}, follow=True)
    assert "Choisissez la première question parmi celles du brouillon." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.start == node(draft, "danger")
    with pytest.raises(EditRefused):
        set_start(draft, node(draft, "contacts").pk)


# -- deleting ----------------------------------------------------------------------------------


def test_deleting_a_node_others_lead_to_is_refused_naming_them(client, login, coordinator, draft):
    login(coordinator)
    target = node(draft, "auteur")
    url = reverse("orientation:node-delete", args=[target.pk])
    assert "la réponse « Une personne qui a été violente" in client.get(url).content.decode()

    response = client.post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ne peut pas être supprimée : la réponse « Une personne qui a été violente ou qui a" in (
        html
    )
    assert "de la question « Vous êtes : » (qui) y mène encore" in html
    assert Node.objects.filter(pk=target.pk).exists()
    with pytest.raises(NodeInUse) as refused:
        delete_node(target)
    assert [r.node.key for r in refused.value.referrers] == ["qui"]


def test_deleting_the_first_question_is_refused_too(draft):
    with pytest.raises(NodeInUse, match="la première question du questionnaire"):
        delete_node(node(draft, "securite"))


def test_unlinking_then_deleting_leaves_no_dangling_reference(client, login, coordinator, draft):
    login(coordinator)
    target = node(draft, "mineur")  # the next step of a result and answers lead here
    response = client.post(
        reverse("orientation:node-delete", args=[target.pk]), {"unlink": "1"}, follow=True
    )
    html = response.content.decode()
    assert (
        "L&#x27;étape « Un enfant ou un adolescent est-il concerné ? » (mineur) est supprimée."
        in (html)
    )
    assert not Node.objects.filter(pk=target.pk).exists()
    assert not Choice.objects.filter(node_id=target.pk).exists()
    assert node(draft, "danger-immediat").next is None
    assert node(draft, "danger").choices.get(key="non").next is None
    # What was unlinked is listed as a problem, with a link to correct it.
    assert "La réponse « Non » de la question « Y a-t-il un danger immédiat ? »" in html
    assert reverse("orientation:node-edit", args=[node(draft, "danger").pk]) in html


def test_deleting_a_node_nothing_leads_to(client, login, coordinator, draft):
    login(coordinator)
    question = save_question(
        draft,
        QuestionData(title="À part", kind="single"),
        answers=[AnswerData(label="Oui", next_id=node(draft, "contacts").pk)],
    )
    client.post(reverse("orientation:node-delete", args=[question.pk]))
    assert not Node.objects.filter(pk=question.pk).exists()
    assert not Choice.objects.filter(node_id=question.pk).exists()
    assert validate(load_tree(draft)) == []


# -- validation, preview, publication ----------------------------------------------------------


def test_the_preview_walks_the_draft_as_edited(client, login, coordinator, draft):
    login(coordinator)
    question = node(draft, "danger")
    client.post(
        reverse("orientation:node-edit", args=[question.pk]),
        question_data("Êtes-vous en danger là, tout de suite ?", *existing_answers(question),
                      initial=2),
    )  # fmt: skip
    preview = client.post(
        reverse("orientation:preview", args=[draft.pk]), {"a-securite": "oui", "action": ""}
    )
    assert "Êtes-vous en danger là, tout de suite ?" in preview.content.decode()


def test_publishing_is_refused_while_the_tree_is_invalid(client, login, coordinator, draft):
    login(coordinator)
    client.post(
        reverse("orientation:question-add", args=[draft.pk]),
        question_data("Question orpheline",
                      answer_fields(0, label="Oui", target=node(draft, "contacts"))),
    )  # fmt: skip
    response = client.post(reverse("orientation:publish", args=[draft.pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("orientation:version", args=[draft.pk])
    assert "Publication refusée" in html
    assert "« Question orpheline » (question-orpheline) ne peut pas être atteinte" in html
    draft.refresh_from_db()
    assert draft.status == TreeVersion.Status.DRAFT

    client.post(reverse("orientation:node-delete", args=[node(draft, "question-orpheline").pk]))
    client.post(reverse("orientation:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == TreeVersion.Status.PUBLISHED


def test_the_workspace_links_each_problem_to_its_node(client, login, coordinator, draft):
    login(coordinator)
    Choice.objects.filter(node__version=draft, node__key="qui", key="auteur").update(next=None)
    html = client.get(WORKSPACE).content.decode()
    assert "La réponse « Une personne qui a été violente" in html
    assert reverse("orientation:node-edit", args=[node(draft, "qui").pk]) in html


def test_the_draft_page_reads_the_tree_in_a_few_queries(
    client, login, coordinator, draft, django_assert_max_num_queries
):
    login(coordinator)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("orientation:version", args=[draft.pk]))
    assert response.status_code == 200
    question = node(draft, "besoins")
    with django_assert_max_num_queries(16):
        response = client.get(reverse("orientation:node-edit", args=[question.pk]))
    assert response.status_code == 200


# -- who may edit what -------------------------------------------------------------------------


def editor_urls(version, some_node) -> list[tuple[str, str]]:
    return [
        ("get", reverse("orientation:question-add", args=[version.pk])),
        ("post", reverse("orientation:question-add", args=[version.pk])),
        ("get", reverse("orientation:result-add", args=[version.pk])),
        ("post", reverse("orientation:result-add", args=[version.pk])),
        ("post", reverse("orientation:version-start", args=[version.pk])),
        ("get", reverse("orientation:node-edit", args=[some_node.pk])),
        ("post", reverse("orientation:node-edit", args=[some_node.pk])),
        ("get", reverse("orientation:node-delete", args=[some_node.pk])),
        ("post", reverse("orientation:node-delete", args=[some_node.pk])),
    ]


def test_a_published_version_is_read_only(client, login, coordinator, tree):
    login(coordinator)
    html = page(client, tree)
    assert "Cette version n'est pas un brouillon : elle ne change plus." in html
    assert reverse("orientation:node-edit", args=[node(tree, "danger").pk]) not in html
    for method, url in editor_urls(tree, node(tree, "pas-en-securite")):
        assert getattr(client, method)(url).status_code == 403, url
    assert Node.objects.filter(version=tree, key="pas-en-securite").exists()
    # And the functions themselves refuse, whoever calls them.
    with pytest.raises(VersionLocked):
        save_result(tree, ResultData(title="Non", codes=Codes(numbers=["17"])))
    with pytest.raises(VersionLocked):
        delete_node(node(tree, "pas-en-securite"))


def test_another_territorys_coordinator_and_a_referent_get_404(
    client, login, other_coordinator, referent, draft
):
    some_node = node(draft, "contacts")
    for user in (other_coordinator, referent):
        login(user)
        assert client.get(reverse("orientation:version", args=[draft.pk])).status_code == 404
        for method, url in editor_urls(draft, some_node):
            assert getattr(client, method)(url).status_code == 404, url
    assert Node.objects.filter(pk=some_node.pk).exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, draft):
    for method, url in editor_urls(draft, node(draft, "contacts")):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/compte/login/" in response.url, url


def test_an_administrator_may_edit_any_draft(client, login, administrator, draft):
    login(administrator)
    assert client.get(reverse("orientation:version", args=[draft.pk])).status_code == 200
    response = client.get(reverse("orientation:node-edit", args=[node(draft, "danger").pk]))
    assert response.status_code == 200


def test_the_editor_functions_keep_to_their_draft(draft, tree):
    foreign = node(tree, "contacts")
    with pytest.raises(EditRefused):
        save_question(draft, QuestionData(title="Q", kind="single"),
                      answers=[AnswerData(label="Oui", next_id=foreign.pk)])  # fmt: skip
    with pytest.raises(EditRefused):
        save_result(draft, ResultData(title="R"), node=foreign)
    question = node(draft, "danger")
    other_answer = node(draft, "mineur").choices.first()
    with pytest.raises(EditRefused):
        save_question(
            draft,
            QuestionData(title="Q", kind="single"),
            answers=[AnswerData(label="Volée", pk=other_answer.pk)],
            node=question,
        )
    with pytest.raises(EditRefused):
        save_result(draft, ResultData(title="R"), node=question)
    other_answer.refresh_from_db()
    assert other_answer.node_id != question.pk


def test_the_editor_speaks_english_too(client, login, coordinator, draft):
    login(coordinator)
    version_page = reverse("orientation:version", args=[draft.pk])
    question_page = reverse("orientation:node-edit", args=[node(draft, "danger").pk])
    html = client.get(f"/en{version_page}").content.decode()
    assert "Add a question" in html and "Version 2 (Draft)" in html
    html = client.get(f"/en{question_page}").content.decode()
    assert "Edit the question" in html and "Answer 1" in html and "Default next step" in html
