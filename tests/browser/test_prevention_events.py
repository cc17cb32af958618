"""The awareness event path in a real browser: a referent creates their organisation's event
and submits it; it stays off the public agenda until a coordinator of the territory accepts it;
then an anonymous visitor finds it on the agenda, without cookie, and the agenda links its iCal
feed."""

from datetime import timedelta

from django.utils import timezone

from maillage.prevention.models import AwarenessEvent

from .test_accessibility import assert_accessible, axe_source  # noqa: F401  (fixture)


def test_a_referent_publishes_an_event_then_the_public_sees_it_on_the_agenda(
    page,
    url,
    log_in,
    new_context,
    referent,
    coordinator,
    organisation,
    other_organisation,
    outside_requests,
    axe_source,  # noqa: F811
):
    starts_at = timezone.localtime() + timedelta(days=3)
    starts_at = starts_at.replace(hour=18, minute=0, second=0, microsecond=0)
    # The live server's first request (cold imports) can pass the 10 s default on a busy
    # machine: more time for this page only.
    page.set_default_timeout(60_000)
    log_in(page, referent)
    page.goto(url("/espace/prevention/actions/"))
    with page.expect_navigation():
        page.get_by_role("link", name="Nouvelle action").click()
    assert_accessible(page, axe_source)
    page.get_by_label("Structure organisatrice").select_option(label=organisation.name)
    page.get_by_label("Titre").fill("Théâtre-forum « Et si c'était toi ? »")
    page.get_by_label("Type d'action").select_option(label="Théâtre-forum ou spectacle")
    page.get_by_label("Public").select_option(label="Grand public")
    page.get_by_label("Début").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Fin").fill((starts_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Lieu").fill("Théâtre Chanzy")
    page.get_by_label("Adresse").fill("30 avenue de Chanzy")
    page.get_by_role("group", name="Structures partenaires").get_by_label(
        other_organisation.name
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer et soumettre à la coordination").click()
    assert page.get_by_text("L'action est transmise à la coordination du territoire").is_visible()
    event = AwarenessEvent.objects.get()
    assert event.status == AwarenessEvent.Status.SUBMITTED
    assert list(event.partners.all()) == [other_organisation]

    visitor_context = new_context()
    visitor = visitor_context.new_page()
    visitor.goto(url(f"/agenda/?mois={starts_at:%Y-%m}"))
    item = visitor.locator("[data-event]", has_text="Théâtre-forum « Et si c'était toi ? »")
    assert item.count() == 0  # not on the agenda before the coordination accepts it

    reviewer = new_context().new_page()
    reviewer.set_default_timeout(60_000)
    log_in(reviewer, coordinator)
    reviewer.goto(url("/espace/prevention/actions/"))
    with reviewer.expect_navigation():
        reviewer.get_by_role("link", name="1 action de partenaire à valider").click()
    with reviewer.expect_navigation():
        reviewer.get_by_role("link", name="Théâtre-forum « Et si c'était toi ? »").click()
    assert reviewer.get_by_text("Théâtre Chanzy").is_visible()
    assert_accessible(reviewer, axe_source)
    with reviewer.expect_navigation():
        reviewer.get_by_role("button", name="Accepter et publier").click()
    assert reviewer.get_by_text("L'action est acceptée").is_visible()
    event.refresh_from_db()
    assert event.status == AwarenessEvent.Status.PUBLISHED

    visitor.goto(url(f"/agenda/?mois={starts_at:%Y-%m}"))
    assert item.is_visible()
    assert_accessible(visitor, axe_source)
    assert "18h00" in item.inner_text()
    assert organisation.name in item.inner_text()
    with visitor.expect_navigation():
        item.get_by_role("link", name="Théâtre-forum « Et si c'était toi ? »").click()
    assert visitor.get_by_role("heading", level=1).inner_text().startswith("Théâtre-forum")
    assert visitor.get_by_text(other_organisation.name).is_visible()
    assert_accessible(visitor, axe_source)
    assert visitor_context.cookies() == []
    ical = visitor.request.get(url("/agenda.ics"))
    assert ical.ok and "Théâtre-forum" in ical.text()
    assert outside_requests == []
