"""A printed guide that has no file yet, in a real browser: the visitor is told it is being
prepared (a page of the site: quick exit, emergency numbers, WCAG 2.1 AA, no script needed),
its build goes to the worker once, and the page's link gives the guide once it is built."""

import pytest
from django.tasks.signals import task_enqueued

from maillage.orientation.printed_tasks import build_guide_task

from ..factories import CommuneFactory, TerritoryFactory
from .test_accessibility import AXE, assert_accessible

GUIDE = "/guide/angers-loire-metropole/49007.pdf"


@pytest.fixture
def guide_territory(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    territory = TerritoryFactory(name="Angers Loire Métropole", slug="angers-loire-metropole")
    territory.communes.add(CommuneFactory(insee_code="49007", name="Angers"))
    return territory


@pytest.fixture
def queued(settings) -> list:
    """The tasks handed to the worker, which does not run them (a backend that only keeps
    them); the live server's thread sends the signal too."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    results: list = []

    def keep(sender, task_result, **kwargs):
        results.append(task_result)

    task_enqueued.connect(keep, weak=False)
    yield results
    task_enqueued.disconnect(keep)


def test_a_guide_being_prepared_says_so_without_javascript_then_is_served(
    new_context, url, guide_territory, queued
):
    with_script = new_context().new_page()
    first = with_script.goto(url(GUIDE))
    assert first.status == 503
    assert_accessible(with_script, AXE.read_text(encoding="utf-8"))

    page = new_context(java_script_enabled=False).new_page()
    answer = page.goto(url(GUIDE))

    assert answer.status == 503
    assert answer.headers["retry-after"] == "30"
    assert page.get_by_role("heading", name="Le guide est en préparation").is_visible()
    assert page.locator("a[data-quick-exit]").count() == 1
    assert page.locator("aside.emergency a[href='tel:3919']").count() == 1
    assert page.context.cookies() == []
    retry = page.get_by_role("link", name="Réessayer d'ouvrir le guide")
    assert retry.get_attribute("href") == GUIDE
    assert [result.task.name for result in queued] == ["build_guide_task"]  # two visits, one build

    build_guide_task.call(**queued[0].kwargs)  # the worker's turn

    guide = page.context.request.get(url(retry.get_attribute("href")))
    assert guide.status == 200
    assert guide.headers["content-type"] == "application/pdf"
    assert guide.body().startswith(b"%PDF")
