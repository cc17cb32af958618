"""Readiness of a server worker: what it must hold before it answers at full speed.

`/healthz` answers as soon as the worker and the database do (liveness); `/healthz?ready`
answers 200 only when every check registered here passes, 503 before (a load balancer sends no
visitor to the worker yet, a benchmark waits for it). Apps register their checks when Django
starts (`AppConfig.ready`): the directory's search index, which each worker builds as it starts
(seconds at national scale).
"""

from collections.abc import Callable

_checks: dict[str, Callable[[], bool]] = {}


def register(name: str, check: Callable[[], bool]) -> None:
    """`check()` answers True once the worker is ready for what `name` says; it must be cheap."""
    _checks[name] = check


def waiting_for() -> list[str]:
    """The names of the checks that do not pass yet."""
    return [name for name, check in _checks.items() if not check()]
