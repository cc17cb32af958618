"""`maillage serve`: gunicorn + WhiteNoise as in production, with the tasks worker beside it."""

import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand

# No query string (%(U)s is the path alone) and no client address: public searches and
# visitors leave no trace in the logs.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


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
            "--forwarded-allow-ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
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
