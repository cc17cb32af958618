import pytest
from django.core.management import call_command

from maillage.core.models import Commune, Contract, Organisation, Role, Signature, Territory, User


@pytest.mark.django_db
def test_demo_data_builds_the_angers_contract_and_is_idempotent(client, capsys):
    call_command("demo-data")
    call_command("demo-data")
    output = capsys.readouterr().out

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
    assert "coordination@demo.maillage.fr" in output
    assert "clé TOTP MAILLAGEDEMOANGERSCONTRATLOCALAA" in output

    html = client.get(contract.get_absolute_url()).content.decode()
    assert html.count("data-signature") == 25
    assert html.count("badge--new") == 6


@pytest.mark.django_db
def test_the_printed_demo_key_gives_codes_the_coordinator_can_log_in_with():
    import pyotp
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from maillage.core.demo import DEMO_TOTP_SECRET

    call_command("demo-data")
    authenticator = Authenticator.objects.get(
        user__email="coordination@demo.maillage.fr", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(pyotp.TOTP(DEMO_TOTP_SECRET).now())
