"""`maillage serve`: gunicorn + WhiteNoise as in production, with the tasks worker beside it."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand

# No query string (%(U)s is the path alone) and no client address: public searches and
# visitors leave no trace in the logs. The logger class cuts the secrets out of the paths
# (personal links' tokens, password-reset keys...) and blanks the query string and the address
# even if this format is changed.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
ACCESS_LOGGER = "maillage.core.access_log.AccessLogger"


class Command(BaseCommand):
    help = "Sert Maillage avec gunicorn et lance le travailleur des tâches de fond."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2))
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Ne pas lancer db_worker (quand il tourne ailleurs).",
        )

    def handle(self, *args, bind: str, workers: int, no_worker: bool, **options) -> None:
        worker = None
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "maillage", "db_worker"])
        gunicorn = [
            sys.executable, "-m", "gunicorn", "maillage.wsgi:application",
            "--bind", bind, "--workers", str(workers),
            "--access-logfile", "-", "--access-logformat", ACCESS_LOG_FORMAT,
            "--logger-class", ACCESS_LOGGER,
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            # No control socket: gunicorn's default one is $XDG_RUNTIME_DIR/gunicorn.ctl or
            # ~/.gunicorn/gunicorn.ctl, one path for every gunicorn of the user, so a second
            # instance on the machine took it over and stopping either removed it (gunicornc
            # would have resized or shut down the wrong site). This command already drives
            # gunicorn by signals (TERM to stop; HUP, TTIN, TTOU work as ever), and a socket
            # is one more way to stop the site: none rather than one per instance.
            "--no-control-socket",
        ]  # fmt: skip
        self.stdout.write(f"Maillage sur http://{bind}/ (Ctrl+C pour arrêter)")
        server = subprocess.Popen(gunicorn)  # noqa: S603
        children = [p for p in (server, worker) if p is not None]

        def stop(signum, frame) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        server.wait()
        stop(signal.SIGTERM, None)
        for child in children:
            child.wait(timeout=30)
