"""Bad input gets a clear French error and nothing is half written (DESIGN.md §3)."""

from maillage.core.models import Organisation


def test_referent_sees_french_errors_and_nothing_is_saved(
    page, url, log_in, referent, organisation
):
    Organisation.objects.filter(pk=organisation.pk).update(
        public_email="contact@sf49.example.org", public_phone="02 41 05 40 00"
    )
    edit_url = url(f"/espace/structures/{organisation.pk}/modifier/")
    log_in(page, referent)
    page.goto(edit_url)
    assert page.url == edit_url

    page.get_by_label("Courriel public").fill("pas-une-adresse")
    page.get_by_label("Téléphone public").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()

    assert page.url == edit_url
    summary = page.get_by_role("alert")
    assert "Le formulaire contient des erreurs" in summary.inner_text()
    assert summary.get_by_role("link", name="Courriel public").count() == 1
    assert summary.get_by_role("link", name="Téléphone public").count() == 1
    errors = page.locator(".field__error").all_inner_texts()
    assert "Saisissez une adresse de courriel valide." in errors
    assert any(error.startswith("Saisissez un numéro français") for error in errors)
    # What the referent typed is still there to correct.
    assert page.get_by_label("Courriel public").input_value() == "pas-une-adresse"
    assert page.get_by_label("Téléphone public").input_value() == "12"

    organisation.refresh_from_db()
    assert organisation.public_email == "contact@sf49.example.org"
    assert organisation.public_phone == "02 41 05 40 00"
    assert organisation.history.count() == 1  # only its creation
