"""Credit lists kept current for tests that check eligibility on the way to something else.

A check reads each credit list's latest import and, failing closed, leaves a list never
imported (or older than ``credit.list_max_age_days``) not checked - the candidate is then not
eligible (财库〔2016〕125号; features/eligibility/信用名单时效.feature shows both sides). A
procurement office imports the exports on the day it checks; :func:`import_current` does the
same with the example export, as of the day of the check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tenderflow.domain.credit import CREDIT_LISTS
from tenderflow.domain.timeutil import local_date
from tenderflow.paths import examples_dir

CREDIT_FILE = "credit_lists.csv"


def import_current(services: Any, at: datetime, actor: str = "staff:test") -> None:
    """Import the example credit export as of the day of ``at`` (idempotent for a day)."""
    from tenderflow.app.eligibility import import_credit_lists

    import_credit_lists(services, examples_dir() / "data" / CREDIT_FILE, actor, at,
                        local_date(at), list(CREDIT_LISTS))
