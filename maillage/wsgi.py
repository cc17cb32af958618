import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
application = get_wsgi_application()

# Each server worker builds its search index as it starts, not at its first search.
if os.environ.get("MAILLAGE_WARM_UP", "1") == "1":
    from maillage.directory.index import start_warm_up

    start_warm_up()
