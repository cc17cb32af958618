import pytest

from .factories import CampaignFactory, MaterialFactory


@pytest.fixture
def campaign(territory):
    return CampaignFactory(territory=territory, title="Agir contre les violences")


@pytest.fixture
def guide(campaign):
    return MaterialFactory(
        campaign=campaign, title="Agir contre les violences sexistes et sexuelles", stock=500
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
