"""The decision tree as data: validation naming the faulty node, versions, the walk."""

import pytest
from django.db import IntegrityError

from maillage.orientation.models import Choice, Node, TreeVersion
from maillage.orientation.services import (
    DraftExists,
    VersionLocked,
    build_nodes,
    check_version,
    copy_version,
    create_default_tree,
    ensure_editable,
    publish,
    published_version,
    start_draft,
)
from maillage.orientation.tree import (
    InvalidTree,
    advance,
    back,
    load_tree,
    validate,
    walk,
)

from .conftest import reference_data

pytestmark = pytest.mark.django_db


def draft_of(territory, nodes, start="q1") -> TreeVersion:
    reference_data()
    version = TreeVersion.objects.create(territory=territory, number=99)
    build_nodes(version, nodes, start=start)
    return version


def result(key, title="Résultat", **codes):
    return {"key": key, "kind": "result", "title": title, **codes}


def question(key, title, choices, kind="single", **extra):
    return {"key": key, "kind": kind, "title": title, "choices": choices, **extra}


def answer(key, next_key, **extra):
    return {"key": key, "label": key.capitalize(), "next": next_key, **extra}


VALID = [
    question("q1", "Première question", [answer("oui", "fin"), answer("non", "fin")]),
    result("fin", numbers=["3919"]),
]


def errors_of(version) -> list:
    return validate(load_tree(version))


def test_the_default_tree_validates_and_is_published(territory, tree):
    assert tree.status == TreeVersion.Status.PUBLISHED
    assert errors_of(tree) == []
    assert published_version(territory) == tree
    assert tree.start.key == "securite"


def test_a_small_valid_tree_has_no_error(territory):
    assert errors_of(draft_of(territory, VALID)) == []


def test_an_unreachable_node_is_refused_by_name(territory):
    version = draft_of(territory, [*VALID, result("oublie", "Résultat oublié", numbers=["17"])])
    errors = errors_of(version)
    assert [(e.code, e.node) for e in errors] == [("unreachable", "oublie")]
    assert "« Résultat oublié » (oublie)" in errors[0].message
    assert "ne peut pas être atteinte" in errors[0].message


def test_a_cycle_is_refused_by_name(territory):
    version = draft_of(
        territory,
        [
            question("q1", "Première question", [answer("oui", "q2"), answer("non", "fin")]),
            question("q2", "Question en boucle", [answer("encore", "q1")]),
            result("fin", numbers=["3919"]),
        ],
    )
    errors = errors_of(version)
    assert [(e.code, e.node) for e in errors] == [("cycle", "q1")]
    assert "« Première question » (q1)" in errors[0].message
    assert "q1 → q2 → q1" in errors[0].message


def test_a_path_ending_without_a_result_is_refused_by_name(territory):
    version = draft_of(
        territory,
        [
            question("q1", "Première question", [answer("oui", "fin"), answer("non", None)]),
            result("fin", numbers=["3919"]),
        ],
    )
    errors = errors_of(version)
    assert [(e.code, e.node) for e in errors] == [("dead_end", "q1")]
    assert "La réponse « Non » de la question « Première question » (q1)" in errors[0].message
    assert "sans résultat" in errors[0].message


def test_a_multiple_choice_question_without_a_next_step_is_a_dead_end(territory):
    version = draft_of(
        territory,
        [
            question("q1", "Plusieurs choix", [answer("a", None)], kind="multiple"),
            result("fin", numbers=["3919"]),
        ],
    )
    codes = {(e.code, e.node) for e in errors_of(version)}
    assert ("dead_end", "q1") in codes


def test_a_result_without_any_contact_is_refused_by_name(territory):
    version = draft_of(
        territory,
        [
            question("q1", "Première question", [answer("oui", "fin"), answer("non", "vide")]),
            result("fin", numbers=["3919"]),
            result("vide", "Résultat muet"),
        ],
    )
    errors = errors_of(version)
    assert [(e.code, e.node) for e in errors] == [("no_contact", "vide")]
    assert "Le résultat « Résultat muet » (vide) ne donne aucun contact" in errors[0].message


def test_a_directory_filter_is_a_contact_and_unknown_codes_are_named(territory):
    ok = draft_of(territory, [VALID[0], result("fin", help=["auteurs"])])
    assert errors_of(ok) == []
    ok.delete()
    wrong = draft_of(territory, [VALID[0], result("fin", numbers=["3919"], help=["inconnu"])])
    errors = errors_of(wrong)
    assert [(e.code, e.node) for e in errors] == [("unknown_code", "fin")]
    assert "« inconnu »" in errors[0].message


def test_publishing_an_invalid_draft_is_refused_with_the_node_named(territory, tree):
    draft = copy_version(tree)
    Choice.objects.filter(node__version=draft, node__key="danger", key="non").update(next=None)
    with pytest.raises(InvalidTree) as refused:
        publish(draft)
    assert "« Y a-t-il un danger immédiat ? » (danger)" in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == TreeVersion.Status.DRAFT
    assert published_version(territory) == tree


def test_copy_keeps_every_node_answer_and_link_in_a_new_draft(territory, tree):
    draft = copy_version(tree)
    assert draft.status == TreeVersion.Status.DRAFT
    assert draft.number == tree.number + 1
    assert draft.copied_from == tree

    def shape(version):
        nodes = {
            n.key: (n.kind, n.title, n.next.key if n.next else None, n.numbers, n.help)
            for n in version.nodes.select_related("next")
        }
        choices = {
            (c.node.key, c.key): (c.label, c.next.key if c.next else None, c.violence)
            for c in Choice.objects.filter(node__version=version).select_related("node", "next")
        }
        return nodes, choices, version.start.key

    assert shape(draft) == shape(tree)
    assert not Node.objects.filter(version=draft, pk__in=tree.nodes.values("pk")).exists()
    # Links stay inside the copy.
    assert (
        not Choice.objects.filter(node__version=draft)
        .exclude(next=None)
        .exclude(next__version=draft)
        .exists()
    )
    assert errors_of(draft) == []


def test_publish_archives_the_previous_version_and_locks_both(territory, tree):
    draft = start_draft(territory)
    Node.objects.filter(version=draft, key="contacts").update(title="Vos contacts, version 2")
    published = publish(draft)
    tree.refresh_from_db()
    assert published.status == TreeVersion.Status.PUBLISHED
    assert tree.status == TreeVersion.Status.ARCHIVED
    assert published_version(territory) == published
    assert published_version(territory).nodes.get(key="contacts").title.endswith("version 2")
    for locked in (tree, published):
        with pytest.raises(VersionLocked):
            ensure_editable(locked)
        with pytest.raises(VersionLocked):
            publish(locked)
        with pytest.raises(VersionLocked):
            build_nodes(locked, VALID, start="q1")


def test_one_draft_and_one_published_version_at_a_time(territory, tree):
    draft = start_draft(territory)
    assert start_draft(territory) == draft
    with pytest.raises(DraftExists):
        copy_version(tree)
    with pytest.raises(IntegrityError):
        TreeVersion.objects.create(
            territory=territory, number=50, status=TreeVersion.Status.PUBLISHED
        )


def test_the_default_tree_of_a_territory_with_a_tree_is_a_draft(territory, tree):
    again = create_default_tree(territory)
    assert again.status == TreeVersion.Status.DRAFT
    check_version(again)


# -- the walk ----------------------------------------------------------------------------------


def test_the_walk_follows_the_answers_to_the_first_unanswered_question(tree):
    loaded = load_tree(tree)
    walked = walk(loaded, {"securite": ["oui"], "danger": ["non"]})
    assert walked.current.key == "mineur"
    assert [s.node.key for s in walked.steps] == ["securite", "danger"]


def test_an_emergency_result_continues_and_its_numbers_come_along(tree):
    loaded = load_tree(tree)
    walked = walk(loaded, {"securite": ["oui"], "danger": ["oui"]})
    assert walked.current.key == "danger-immediat"
    assert walked.number_codes()[:3] == ["17", "112", "114"]
    assert not walked.is_final
    walked = advance(loaded, walked.answers, "danger-immediat", ["ok"])
    assert walked.current.key == "mineur"
    walked = advance(loaded, walked.answers, "mineur", ["oui"])
    assert walked.current.key == "enfant"
    assert walked.number_codes()[0] == "119"


def test_an_author_is_oriented_to_perpetrator_programmes_and_stops_there(tree):
    loaded = load_tree(tree)
    walked = walk(
        loaded, {"securite": ["oui"], "danger": ["non"], "mineur": ["non"], "qui": ["auteur"]}
    )
    assert walked.current.key == "auteur"
    assert walked.is_final
    assert walked.number_codes()[0] == "auteurs"
    assert walked.filters("help") == ["auteurs"]


def test_a_ticked_answer_that_leads_elsewhere_wins_in_a_multiple_choice(tree):
    loaded = load_tree(tree)
    base = {
        "securite": ["oui"],
        "danger": ["non"],
        "mineur": ["non"],
        "qui": ["victime"],
        "personne": ["femme"],
    }
    assert walk(loaded, {**base, "violences": ["couple"]}).current.key == "besoins"
    walked = walk(loaded, {**base, "violences": ["couple", "sexuelles"]})
    assert walked.current.key == "sexuelles-recentes"
    assert walk(loaded, {**base, "violences": [""]}).current.key == "besoins"


def test_a_missing_answer_is_an_error_and_nothing_moves(tree):
    loaded = load_tree(tree)
    walked = advance(loaded, {}, "securite", [])
    assert walked.current.key == "securite"
    assert walked.error == "Choisissez une réponse."
    walked = advance(loaded, {}, "securite", ["peut-etre"])
    assert walked.error == "Choisissez une réponse."


def test_back_returns_to_the_previous_question_with_its_answer(tree):
    loaded = load_tree(tree)
    walked = back(loaded, {"securite": ["oui"], "danger": ["non"]})
    assert walked.current.key == "danger"
    assert walked.prefill == ["non"]
    assert walked.answers == {"securite": ["oui"]}


def test_answers_off_the_path_are_dropped_and_a_stale_screen_shows_where_the_walk_is(tree):
    loaded = load_tree(tree)
    walked = walk(loaded, {"securite": ["oui"], "danger": ["non"], "auteur": ["ok"]})
    assert walked.answers == {"securite": ["oui"], "danger": ["non"]}
    walked = advance(loaded, {"securite": ["oui"]}, "securite", ["non"])
    assert walked.current.key == "danger"


def test_an_unknown_commune_is_an_error_and_an_empty_one_is_allowed(tree, angers):
    loaded = load_tree(tree)
    answers = {
        "securite": ["oui"], "danger": ["non"], "mineur": ["non"], "qui": ["victime"],
        "personne": ["femme"], "violences": [""], "besoins": [""],
    }  # fmt: skip
    walked = advance(loaded, answers, "commune", ["Atlantide"])
    assert walked.current.key == "commune"
    assert walked.error.startswith("Commune inconnue")
    assert advance(loaded, answers, "commune", [""]).current.key == "conditions"
    walked = advance(loaded, answers, "commune", ["49100"])
    assert walked.current.key == "conditions"
    assert walked.commune == angers
