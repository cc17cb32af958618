"""The tests' clock: one place that says what day the tests think it is.

- The Angers demo tells the story of the contract as it stood on `DEMO_TODAY` (the Mois pour
  agir of November 2026 held, the next COPIL on 10 December 2026, training sessions a few weeks
  ahead). It is loaded once per test session with the clock on that day, and every test that
  reads it (the `demo` fixture) runs with the clock on that day too: its figures never depend on
  the day the suite runs.
- Every other test runs on the real clock, moved by `MAILLAGE_CLOCK_SHIFT_DAYS` days when that
  variable is set (CI runs the date-sensitive tests again 400 days ahead and 200 days back): a
  test that only passes today fails there. Such tests build their dates from `timezone.now()`
  or `timezone.localdate()`, or travel themselves with `time_machine`.

The clock is moved with time-machine, in this process only (the live server's threads share it;
a subprocess such as `maillage serve` keeps the real clock).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

PARIS = ZoneInfo("Europe/Paris")

# The day of the demo's story (a Sunday: the Mois pour agir's last event, on Monday 30 November,
# is still ahead; the COPIL of 10 December is planned).
DEMO_TODAY = date(2026, 11, 29)
DEMO_NOW = datetime.combine(DEMO_TODAY, time(10, 0), tzinfo=PARIS)

SHIFT_VARIABLE = "MAILLAGE_CLOCK_SHIFT_DAYS"


def session_shift() -> timedelta:
    """How far the whole session's clock is moved (MAILLAGE_CLOCK_SHIFT_DAYS, e.g. 400 or -200)."""
    value = os.environ.get(SHIFT_VARIABLE, "").strip()
    if not value:
        return timedelta(0)
    try:
        return timedelta(days=int(value))
    except ValueError:
        raise SystemExit(
            f"{SHIFT_VARIABLE} must be a whole number of days, not {value!r}"
        ) from None


def start_session_clock() -> time_machine.travel | None:
    """Move this process's clock by the session shift, if any (the clock keeps ticking)."""
    shift = session_shift()
    if not shift:
        return None
    traveller = time_machine.travel(datetime.now(tz=PARIS) + shift, tick=True)
    traveller.start()
    return traveller


@contextmanager
def demo_clock() -> Iterator[None]:
    """The clock on the demo's day, ticking from 10:00 (Paris)."""
    with time_machine.travel(DEMO_NOW, tick=True):
        yield


def real_now() -> datetime:
    """The machine's own time, whatever the tests' clock says (for a subprocess that keeps the
    real clock, e.g. a TOTP code typed into `maillage serve`). The escape hatch answers only
    while travelling; otherwise this process's clock is the real one."""
    if not time_machine.escape_hatch.is_travelling():
        return datetime.now(tz=PARIS)
    return datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=PARIS)
