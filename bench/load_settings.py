"""Settings of the load benchmark (bench/load.py): the production settings, plus one trivial
view as the reference and no API rate limit (one client address sends every request)."""

from maillage.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
API_RATE_LIMIT = 10**9
