"""Publicity periods (公示), one component for every mode that publicizes a result: the
candidates of a tender (招标投标法实施条例 第54条), the provisional result of a PPP project with
its draft contract (财库〔2014〕215号). A period runs at least its parameter from the day it is
published; its end is the ``until`` given or, without one, 24:00 of its last day, and is noted
as a finding so the event states it and a replay recomputes it.
"""

from __future__ import annotations

from tenderflow.domain.components.common import (
    check_min_period,
    data_time,
    earliest_deadline,
    end_of_day,
)
from tenderflow.domain.rules import GuardContext, GuardSpec
from tenderflow.domain.timeutil import iso, local_date
from tenderflow.errors import Refusal


def check_publicity_period(ctx: GuardContext, spec: GuardSpec, param: str,
                           key: str) -> Refusal | None:
    """A publicity period of at least ``param`` from today; its end is noted as ``key``."""
    last = earliest_deadline(ctx, ctx.today, param)
    if "until" in ctx.data:
        until = data_time(ctx, "until")
        refusal = check_min_period(ctx, spec, param, ctx.today, local_date(until),
                                   "publicity ends", "published")
        if refusal:
            return refusal
        ctx.note(key, iso(until))
    else:
        ctx.note(key, end_of_day(last))
    return None
