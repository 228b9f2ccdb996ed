"""Named guards: the legal rules that decide whether a trigger may fire, and how they are run.

A guard is a pure function ``(ctx: GuardContext, spec: GuardSpec) -> Refusal | None`` marked
with :func:`guard` under a name that workflow YAML refers to; the table of guards is built
from an explicit list of modules (:data:`tenderflow.domain.state.GUARDS`), never by the side
effects of imports. Each names the rule id it enforces (a key of
``workflows/parameters.yaml`` where the rule has a number) and its legal source; a refusal
carries the numbers seen and required. Guards read only the recorded state, the trigger's
data, the facts recorded with it, the business time and the pinned parameters and calendar,
so the auditor's replay reaches the same decision.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import ModuleType
from typing import Any

from tenderflow.domain.parameters import Parameters
from tenderflow.domain.timeutil import local_date
from tenderflow.errors import Refusal


@dataclass
class GuardContext:
    """Everything a guard may look at."""

    procurement: str
    state: dict[str, Any]
    data: dict[str, Any]
    facts: dict[str, Any]
    at: datetime
    actor: str
    params: Parameters
    calendar: Any  # WorkingDayCalendar; typed loosely to keep this module import-light
    trigger: str = ""
    findings: dict[str, Any] = field(default_factory=dict)
    ruleset: Any = None  # the pinned eligibility ruleset (domain.eligibility.Ruleset)

    @property
    def today(self) -> date:
        return local_date(self.at)

    def p(self, key: str) -> Any:
        """The parameter in force on the business date."""
        return self.params.value(key, self.today)

    def note(self, key: str, value: Any) -> None:
        """Record what a guard computed (an opening's verdicts, a ranking, recusals): the
        engine puts it in the accepted event's ``findings``, so the log states the result
        and a replay that re-decides recomputes it. JSON values only (money as strings)."""
        self.findings[key] = value


@dataclass(frozen=True)
class GuardSpec:
    name: str
    rule: str
    source: str
    fn: Callable[[GuardContext, GuardSpec], Refusal | None]
    needs: tuple[str, ...] = ()
    doc: str = ""
    selects: bool = False
    # A calculator: besides passing or refusing, it computes findings (deadlines, rankings,
    # verdicts) that the accepted event records. Probes (``status``, ``next``) do not run it
    # before the data it needs is given, and discard what it computes.
    computes: bool = False

    def source_for(self, params: Parameters) -> str:
        if self.rule in params:
            return params.get(self.rule).citation()
        return self.source

    def refuse(self, ctx: GuardContext, reason: str, opens_at: str | None = None,
               **numbers: Any) -> Refusal:
        return Refusal(rule=self.rule, reason=reason, source=self.source_for(ctx.params),
                       numbers={k: _plain(v) for k, v in numbers.items()}, opens_at=opens_at,
                       guard=self.name)


def _plain(value: Any) -> Any:
    if isinstance(value, (int, str, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return str(value)


_SPEC = "__guard__"


def guard(name: str, *, rule: str | None = None, source: str = "",
          needs: tuple[str, ...] = (), selects: bool = False, computes: bool | None = None
          ) -> Callable[[Callable[..., Refusal | None]], Callable[..., Refusal | None]]:
    """Mark a function as the guard ``name`` (it registers nothing: a guard takes part when
    its module is listed in :data:`tenderflow.domain.state.MODULES`). ``rule`` defaults to the
    name; ``source`` is used when the rule has no parameter (the parameter's own source wins
    otherwise); ``needs`` lists the data fields without which the guard cannot be judged
    (``next`` reports them). A ``selects`` guard only chooses between transitions sharing a
    trigger (e.g. an objection upheld or dismissed): when it refuses, its transition does not
    apply, and a refused trigger reports the refusals of the transitions that did apply.
    ``computes`` marks a calculator (a guard that records findings with ``ctx.note``); by
    default it is read off the function."""

    def mark(fn: Callable[..., Refusal | None]) -> Callable[..., Refusal | None]:
        calc = "note" in fn.__code__.co_names if computes is None else computes
        setattr(fn, _SPEC, GuardSpec(name=name, rule=rule or name, source=source, fn=fn,
                                     needs=needs, doc=(fn.__doc__ or "").strip(),
                                     selects=selects, computes=calc))
        return fn

    return mark


def spec_of(fn: Any) -> GuardSpec | None:
    """The guard ``fn`` is marked as (None for anything else)."""
    spec = getattr(fn, _SPEC, None)
    return spec if isinstance(spec, GuardSpec) else None


def guards_of(modules: Iterable[ModuleType]) -> dict[str, GuardSpec]:
    """Guard name -> its spec, for the guards the modules define; a name marked twice is an
    error."""
    table: dict[str, GuardSpec] = {}
    for module in modules:
        for fn in vars(module).values():
            spec = spec_of(fn) if getattr(fn, "__module__", None) == module.__name__ else None
            if spec is None:
                continue
            if spec.name in table:
                other = table[spec.name].fn
                raise ValueError(f"guard {spec.name} defined twice ({other.__module__}."
                                 f"{other.__name__} and {module.__name__}.{fn.__name__})")
            table[spec.name] = spec
    return table


@dataclass
class GuardResult:
    guard: str
    rule: str
    source: str
    passed: bool
    refusal: Refusal | None = None
    needs: list[str] = field(default_factory=list)
    cannot_judge: str | None = None  # probes only: why the guard could not be judged
    computes: bool = False

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"guard": self.guard, "rule": self.rule, "source": self.source,
                             "result": "pass" if self.passed else
                             ("cannot judge" if self.cannot_judge else
                              "needs data" if self.needs else "refused")}
        if self.cannot_judge:
            d["reason"] = self.cannot_judge
        if self.computes:
            d["computes"] = True
        if self.refusal:
            d["reason"] = self.refusal.reason
            d["numbers"] = self.refusal.numbers
            if self.refusal.opens_at:
                d["opens_at"] = self.refusal.opens_at
        if self.needs:
            d["needs"] = self.needs
        return d


def evaluate(guards: Mapping[str, GuardSpec], names: list[str], ctx: GuardContext, *,
             probe: bool = False) -> list[GuardResult]:
    """Run the named guards of the table ``guards``. With ``probe`` (for ``status`` and
    ``next``), a guard whose data is missing is reported as needing data instead of being run;
    a guard that cannot judge (a calendar year missing or provisional, unreadable recorded
    data) is reported as such instead of failing the probe; what calculators compute is
    discarded."""
    from tenderflow.errors import TenderflowError

    results = []
    for name in names:
        spec = guards[name]
        source = spec.source_for(ctx.params)
        missing = [n for n in spec.needs if n not in ctx.data]
        if probe and missing:
            results.append(GuardResult(name, spec.rule, source, False, needs=missing,
                                       computes=spec.computes))
            continue
        if not probe:
            refusal = spec.fn(ctx, spec)
            results.append(GuardResult(name, spec.rule, source, refusal is None, refusal))
            continue
        kept = ctx.findings
        ctx.findings = {}
        try:
            refusal = spec.fn(ctx, spec)
        except TenderflowError as exc:
            results.append(GuardResult(name, spec.rule, source, False,
                                       cannot_judge=exc.message, computes=spec.computes))
            continue
        except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
            results.append(GuardResult(name, spec.rule, source, False,
                                       cannot_judge=f"the recorded data cannot be read "
                                                    f"({type(exc).__name__}: {exc})",
                                       computes=spec.computes))
            continue
        finally:
            ctx.findings = kept
        results.append(GuardResult(name, spec.rule, source, refusal is None, refusal,
                                   computes=spec.computes))
    return results
