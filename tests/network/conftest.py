import pytest

from ..factories import PriorityFactory


@pytest.fixture
def priorities(contract):
    """The three priorities of the contract, in order: FORMER, PRÉVENIR, FÉDÉRER."""
    return [
        PriorityFactory(contract=contract, code=code, title=title, position=position)
        for position, (code, title) in enumerate(
            [
                ("FORMER", "Former l'ensemble des acteurs"),
                ("PRÉVENIR", "Prévenir les violences"),
                ("FÉDÉRER", "Fédérer les partenaires"),
            ]
        )
    ]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block leaves for after the commit (emails to the worker, run at once)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
