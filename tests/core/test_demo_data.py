import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from maillage.core.models import Commune, Contract, Organisation, Role, Signature, Territory, User

from ..clock import DEMO_TODAY, demo_clock


@pytest.mark.django_db
def test_demo_data_builds_the_angers_contract(client, demo):
    territory = Territory.objects.get(slug="angers-loire-metropole")
    assert territory.communes.count() == 29
    assert Commune.objects.get(pk="49007").name == "Angers"
    assert Contract.objects.filter(territory=territory).count() == 2
    contract = territory.current_contract()
    assert contract.period == "2024-2026"
    assert contract.signatures.count() == 25
    new = set(contract.signatures.filter(is_new=True).values_list("organisation__name", flat=True))
    assert len(new) == 6
    assert "Université d'Angers" in new
    assert "Clinique de l'Anjou" in new
    assert [p.code for p in contract.priorities.all()] == ["FORMER", "PRÉVENIR", "FÉDÉRER"]
    assert Organisation.objects.filter(signatures__contract=contract).count() == 25
    assert Signature.objects.count() == 25 + 19
    assert set(Role.objects.values_list("kind", flat=True)) == set(Role.Kind.values)
    assert User.objects.filter(is_superuser=True).count() == 1
    assert "coordination@demo.maillage.fr" in demo.output
    assert "clé TOTP MAILLAGEDEMOANGERSCONTRATLOCALAA" in demo.output

    html = client.get(contract.get_absolute_url()).content.decode()
    assert html.count("data-signature") == 25
    assert html.count("badge--new") == 6


@pytest.mark.django_db
def test_loading_the_demo_again_changes_no_table(demo):
    """Every module's loader is idempotent: run over the loaded demo, no table gains or loses a
    row (but the history tables: each update_or_create writes a history row)."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label != "django_tasks_db"
        and not model.__name__.startswith("Historical")
    ]
    before = {model._meta.label: model._base_manager.count() for model in models}
    call_command("demo-data", force=True, stdout=io.StringIO())
    after = {model._meta.label: model._base_manager.count() for model in models}
    changed = {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }
    assert not changed
    assert before["core.Territory"] == 1 and before["directory.Service"] > 20


@pytest.mark.django_db
def test_the_printed_demo_key_gives_codes_the_coordinator_can_log_in_with(demo):
    import pyotp
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from maillage.core.demo import DEMO_TOTP_SECRET

    authenticator = Authenticator.objects.get(
        user__email="coordination@demo.maillage.fr", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(pyotp.TOTP(DEMO_TOTP_SECRET).now())


@pytest.mark.django_db
def test_the_demo_refuses_a_database_that_may_be_a_real_instance(settings):
    settings.DEBUG = False
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="ni DEBUG ni DEMO_MODE"):
        call_command("demo-data", stdout=io.StringIO())
    assert not User.objects.exists()
    assert not Territory.objects.exists()


@pytest.mark.django_db
def test_a_demo_instance_loads_the_demo_without_the_flag(settings):
    """On today's clock, as `scripts/demo.sh` does (with CI's clock moved ahead, on a day after
    the story's: the demo loads whatever day it is loaded). Before the demo's day its story
    holds declarations dated in the future, which the services refuse: the clock is then put on
    the demo's day."""
    settings.DEBUG = False
    settings.DEMO_MODE = True
    if timezone.localdate() < DEMO_TODAY:
        with demo_clock():
            call_command("demo-data", stdout=io.StringIO())
    else:
        call_command("demo-data", stdout=io.StringIO())
    assert Territory.objects.filter(slug="angers-loire-metropole").exists()
