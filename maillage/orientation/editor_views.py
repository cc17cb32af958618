"""The coordinator's editor of a draft: the draft's page (its nodes, its problems, its first
question), a question with its answers, a result, deleting a node.

Thin views over editor.py. A version or a node of another territory answers 404, a published
or archived one 403 (rules: orientation.manage_tree, orientation.edit_tree). After each save the
draft's page lists what still prevents publishing, each problem linked to its node.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.views.workspace import get_for_user

from .editor import (
    EditRefused,
    NodeInUse,
    delete_node,
    problems,
    referrers,
    save_question,
    save_result,
    set_start,
)
from .editor_forms import AnswerFormSet, CodeChoices, QuestionForm, ResultForm, StartForm
from .models import Node, TreeVersion
from .services import VersionLocked
from .tree import Tree, load_tree, name


def version_for(request: HttpRequest, pk: int, *, edit: bool = False) -> TreeVersion:
    return get_for_user(
        request,
        TreeVersion.objects.select_related("territory"),
        view="orientation.manage_tree",
        change="orientation.edit_tree" if edit else "",
        pk=pk,
    )


def node_for(request: HttpRequest, pk: int) -> Node:
    return get_for_user(
        request,
        Node.objects.select_related("version__territory"),
        view="orientation.manage_tree",
        change="orientation.edit_tree",
        pk=pk,
    )


def version_url(version: TreeVersion, node: Node | None = None) -> str:
    url = reverse("orientation:version", args=[version.pk])
    return f"{url}#node-{node.pk}" if node is not None else url


def questions_of(tree: Tree, *, but: Node | None = None) -> list[Node]:
    return [n for n in tree.nodes.values() if n.is_question and n != but]


@login_required
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A version's nodes; for a draft, its problems and the links to edit it."""
    version = version_for(request, pk)
    tree = load_tree(version)
    questions = [
        {
            "node": node,
            "next": tree.target(node.next_id),
            "answers": [(c, tree.target(c.next_id)) for c in tree.choices_of(node)],
        }
        for node in questions_of(tree)
    ]
    results = [
        {"node": node, "next": tree.target(node.next_id)}
        for node in tree.nodes.values()
        if not node.is_question
    ]
    editable = version.is_editable
    start_form = StartForm(initial={"start": version.start_id}, questions=questions_of(tree))
    return render(
        request,
        "orientation/editor/version.html",
        {
            "version": version,
            "start": tree.start,
            "questions": questions,
            "results": results,
            "editable": editable,
            "problems": problems(tree) if editable else [],
            "start_form": start_form if editable else None,
        },
    )


@login_required
@require_POST
def version_start(request: HttpRequest, pk: int) -> HttpResponse:
    version = version_for(request, pk, edit=True)
    form = StartForm(request.POST, questions=questions_of(load_tree(version)))
    if not form.is_valid():
        messages.error(request, _("Choisissez la première question parmi celles du brouillon."))
        return redirect(version_url(version))
    try:
        version = set_start(version, form.cleaned_data["start"])
    except (EditRefused, VersionLocked) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("La première question est %(node)s.") % {"node": name(version.start)}
        )
    return redirect(version_url(version))


@login_required
@require_http_methods(["GET", "POST"])
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_question(request, version_for(request, pk, edit=True))


@login_required
@require_http_methods(["GET", "POST"])
def result_add(request: HttpRequest, pk: int) -> HttpResponse:
    return edit_result(request, version_for(request, pk, edit=True))


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = node_for(request, pk)
    if node.is_question:
        return edit_question(request, node.version, node)
    return edit_result(request, node.version, node)


def edit_question(request: HttpRequest, version: TreeVersion, node: Node | None = None):
    tree = load_tree(version)
    targets = [n for n in tree.nodes.values() if n != node]
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, initial=QuestionForm.initial_from(node), targets=targets)
    answers = AnswerFormSet(
        data,
        initial=AnswerFormSet.initial_from(tree.choices_of(node)) if node else [],
        form_kwargs={"codes": CodeChoices.load(), "targets": targets},
        prefix="answers",
    )
    if data is not None and all([form.is_valid(), answers.is_valid()]):
        try:
            saved = save_question(
                version,
                form.question_data(),
                answers=answers.answers(),
                deleted=answers.deleted_ids(),
                node=node,
            )
        except (EditRefused, VersionLocked) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("La question %(node)s est enregistrée.") % {"node": name(saved)}
            )
            return after_save(request, version, saved)
    return render(
        request,
        "orientation/editor/question.html",
        {**node_context(tree, version, node), "form": form, "answers": answers},
    )


def edit_result(request: HttpRequest, version: TreeVersion, node: Node | None = None):
    tree = load_tree(version)
    data = request.POST if request.method == "POST" else None
    form = ResultForm(
        data,
        initial=ResultForm.initial_from(node),
        codes=CodeChoices.load(),
        questions=questions_of(tree),
    )
    if data is not None and form.is_valid():
        try:
            saved = save_result(version, form.result_data(), node=node)
        except (EditRefused, VersionLocked) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Le résultat %(node)s est enregistré.") % {"node": name(saved)}
            )
            return after_save(request, version, saved)
    return render(
        request,
        "orientation/editor/result.html",
        {**node_context(tree, version, node), "form": form},
    )


def node_context(tree: Tree, version: TreeVersion, node: Node | None) -> dict:
    """The node's own problems and what leads to it, shown above its form."""
    own = [p for p in problems(tree) if node is not None and p.node == node]
    return {
        "version": version,
        "node": node,
        "problems": own,
        "referrers": referrers(tree, node) if node is not None else [],
    }


def after_save(request: HttpRequest, version: TreeVersion, node: Node) -> HttpResponse:
    """Back to the draft's page and its problems, or stay on the node ("Enregistrer et
    continuer")."""
    if "stay" in request.POST:
        return redirect("orientation:node-edit", pk=node.pk)
    return redirect(version_url(version, node))


@login_required
@require_http_methods(["GET", "POST"])
def node_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask before deleting; refuse, naming them, while other nodes lead here, unless the
    coordinator chose to unlink them."""
    node = node_for(request, pk)
    version = node.version
    if request.method == "POST":
        try:
            unlinked = delete_node(node, unlink=request.POST.get("unlink") == "1")
        except NodeInUse:
            pass  # the page says what still leads here
        except (EditRefused, VersionLocked) as error:
            messages.error(request, str(error))
            return redirect(version_url(version))
        else:
            message = _("L'étape %(node)s est supprimée.") % {"node": name(node)}
            if unlinked:
                message += " " + _("Ne mènent plus nulle part : %(referrers)s.") % {
                    "referrers": " ; ".join(r.text for r in unlinked)
                }
            messages.success(request, message)
            return redirect(version_url(version))
    found = referrers(load_tree(version), node)
    return render(
        request,
        "orientation/editor/delete.html",
        {
            "version": version,
            "node": node,
            "referrers": found,
            "refusal": str(NodeInUse(node, found)) if found else "",
        },
    )
