"""The one place tenderflow reads the wall clock.

Decisions never read it: every service decides at the business time its caller gives (a
command's ``--at``, a scenario step's ``at`` or the scenario's own clock). The CLI uses
:func:`now` for the default of ``--at`` and the store for ``recorded_at``; a test checks that
no other module under ``tenderflow/`` calls ``datetime.now``, ``date.today`` or ``time.time``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tenderflow.domain.timeutil import SHANGHAI


def now() -> datetime:
    """The wall-clock time in Asia/Shanghai (for CLI defaults and ``recorded_at`` only)."""
    return datetime.now(timezone.utc).astimezone(SHANGHAI)


# How far a step's business time may lie ahead of the time it is recorded (clocks of the
# officer's machine and the database server drift): DESIGN §4 "never later than recorded_at".
CLOCK_SKEW = timedelta(minutes=5)
