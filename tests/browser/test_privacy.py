"""Public pages are safe to visit (DESIGN.md §3): no third-party request, no cookie, nothing
kept in the browser's storage, no referrer sent to other sites."""

import pytest

PUBLIC_PAGES = {
    "home": lambda data: "/",
    "contract": lambda data: data["contract"].get_absolute_url(),
    "organisation": lambda data: data["organisation"].get_absolute_url(),
    "safety": lambda data: "/securite/",
    "accessibility": lambda data: "/accessibilite/",
    "legal": lambda data: "/mentions-legales/",
    "privacy": lambda data: "/donnees-personnelles/",
    "english home": lambda data: "/en/",
}


@pytest.fixture
def public_data(contract, organisation, signatures):
    return {"contract": contract, "organisation": organisation}


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_leaves_no_trace_and_calls_no_one(
    name, page, context, url, public_data, outside_requests
):
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))

    response = page.goto(url(PUBLIC_PAGES[name](public_data)))
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    assert response.headers["referrer-policy"] == "same-origin"
    assert outside_requests == []
    assert failed == []
    assert context.cookies() == []
    assert page.evaluate("localStorage.length") == 0
    assert page.evaluate("sessionStorage.length") == 0
    # No script error and no resource refused by the Content-Security-Policy.
    assert problems == []
    # The banner's emergency numbers and the quick exit are there.
    assert page.locator("aside.emergency a[href='tel:3919']").count() == 1
    assert page.locator("a[data-quick-exit]").count() == 1
