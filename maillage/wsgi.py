import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")
application = get_wsgi_application()

# Each server worker builds its search index as it starts, not at its first search.
if os.environ.get("MAILLAGE_WARM_UP", "1") == "1":
    from maillage.directory.index import warm_up

    threading.Thread(target=warm_up, name="search-index-warm-up", daemon=True).start()
