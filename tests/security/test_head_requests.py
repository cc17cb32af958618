"""HEAD answers like GET, without a body, on every page (RFC 9110 §9.3.2): link checkers,
monitoring and some proxies ask HEAD first, and a 405 there reads as a broken page.

Walks every GET rule of the access matrix (every pattern of the URLconf) as the anonymous
visitor, in French and in English: HEAD must answer what GET answers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.urls import reverse
from django.utils import translation

from .access_matrix import RULES
from .test_access_matrix import LANGUAGES, QuickPDF, answer


def fetch(client, url: str, method: str):
    cache.clear()
    with transaction.atomic():
        response = client.head(url) if method == "HEAD" else client.get(url)
        transaction.set_rollback(True)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


@pytest.mark.ignore_template_errors
def test_every_page_answers_head_like_get(world, client, monkeypatch):
    monkeypatch.setattr("maillage.directory.pdf.HTML", QuickPDF)
    failures = []
    checked = 0
    for rule in RULES:
        if rule.method != "GET":
            continue
        kwargs = rule.kwargs(world[rule.scope] if rule.scope else None, world)
        for language in LANGUAGES:
            with translation.override(language):
                url = reverse(rule.name, kwargs=kwargs) + rule.query
            head = fetch(client, url, "HEAD")
            got = answer(head)
            expected = rule.expected["anonymous"]
            checked += 1
            if got == "405" or got != expected:
                failures.append(f"HEAD {url}: {got}, GET answers {expected}")
            elif not head.streaming and head.content:
                failures.append(f"HEAD {url}: a body of {len(head.content)} bytes")
    assert checked > 200
    assert failures == [], "\n".join(failures)
