"""One exception tree for tenderflow.

Every error derives from :class:`TenderflowError` and carries an ``exit_code`` that the CLI
uses (DESIGN §6): 1 a check did not hold, 2 bad input or usage, 3 a concurrent change won.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class TenderflowError(Exception):
    """Base of every error tenderflow raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context = context

    def to_dict(self) -> dict[str, Any]:
        return {"error": type(self).__name__, "message": self.message, **_jsonable(self.context)}


def _jsonable(context: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in context.items():
        if hasattr(value, "to_dict"):
            out[key] = value.to_dict()
        elif isinstance(value, (list, tuple)):
            out[key] = [v.to_dict() if hasattr(v, "to_dict") else v for v in value]
        else:
            out[key] = value
    return out


class InputError(TenderflowError):
    """Raised when a file or option given by the user is malformed; names file, location, field."""

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        location: str | None = None,
        field: str | None = None,
        expected: str | None = None,
    ) -> None:
        parts = [p for p in (file, location) if p]
        where = ":".join(str(p) for p in parts)
        text = message
        if field:
            text = f"field '{field}': {text}"
        if expected:
            text = f"{text} (expected {expected})"
        if where:
            text = f"{where}: {text}"
        super().__init__(text, file=file, location=location, field=field, expected=expected)


class DefinitionError(TenderflowError):
    """Raised when a workflow, parameter, ruleset or calendar file is inconsistent."""

    exit_code = 2


class EventSchemaError(DefinitionError):
    """Raised when the code writes an event the catalogue does not describe (an unknown type, a
    payload its type's schema refuses, an old version): a programming or definition error, not
    bad input; names the event type, the field path and what was expected. Nothing is written."""

    def __init__(self, message: str, *, event_type: str, field: str, expected: str) -> None:
        super().__init__(f"{message} (expected {expected})", event_type=event_type,
                         field=field, expected=expected)


class NotFound(TenderflowError):
    """Raised when a named procurement, project, supplier or mode does not exist."""

    exit_code = 2


class ProcurementNotFound(NotFound):
    """Raised when no procurement stream exists under the given id."""


@dataclass(frozen=True)
class Refusal:
    """Why a guard refused: the rule id, a readable reason, the numbers and the legal source."""

    rule: str
    reason: str
    source: str
    numbers: dict[str, Any] = field(default_factory=dict)
    opens_at: str | None = None  # when the rule will allow it (period guards), ISO date
    guard: str = ""  # the named guard that refused (workflow YAML refers to it)
    # the rule's status (P | secondary | unconfirmed: tenderflow.domain.rulebook), set when the
    # refusal is reported; a secondary or unconfirmed rule says so wherever it is shown
    status: str = ""

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "guard": self.guard,
            "rule": self.rule,
            "reason": self.reason,
            "source": self.source,
            "numbers": self.numbers,
        }
        if self.opens_at:
            d["opens_at"] = self.opens_at
        if self.status:
            d["status"] = self.status
        return d

    def __str__(self) -> str:
        text = f"[{self.rule}] {self.reason} ({self.source})"
        note = status_note(self.status, "en", self.source)
        if note:
            text += f" {note}"
        if self.opens_at:
            text += f"; allowed from {self.opens_at}"
        return text


#: What a refusal on a rule whose source is not the statutory text read says, by language.
STATUS_NOTES: dict[str, dict[str, str]] = {
    "secondary": {"zh": "（依据仅见于转引来源：secondary）", "en": "(secondary source)"},
    "unconfirmed": {"zh": "（依据未经核实：unconfirmed）", "en": "(source unconfirmed)"},
}


def status_note(status: str | None, lang: str = "zh", source: str | None = None) -> str:
    """The words a refusal on a rule of ``status`` adds: '' for P or unknown, and '' when the
    ``source`` shown already ends with the status (a parameter's citation,
    "财政部令第74号 第29条, secondary")."""
    notes = STATUS_NOTES.get(status or "")
    if not notes or (source and source.rstrip().endswith(f", {status}")):
        return ""
    return notes.get(lang, notes["en"])


class CheckFailed(TenderflowError):
    """Raised when a check does not hold: verification failed, an expectation failed."""

    exit_code = 1


class CalendarMissingYear(CheckFailed):
    """Raised when a working-day computation needs a year that no calendar data covers: a
    refusal (exit 1), not bad input — the decision cannot be taken until the year is added."""

    rule = "calendar.missing_year"

    def __init__(self, year: int) -> None:
        super().__init__(
            f"no official working-day calendar for {year}: add workflows/calendars/{year}.yaml "
            f"from the State Council's holiday notice for {year}",
            year=year, rule=self.rule,
        )
        self.year = year


class CalendarProvisional(CalendarMissingYear):
    """Raised when a decision would count on a day of a year that has only a provisional
    calendar (computed from the holiday principles, DESIGN §5): refused (exit 1, rule
    ``calendar.provisional``), naming the year and the import command. Planning views count on
    provisional days instead (``WorkingDayCalendar.planning()``)."""

    rule = "calendar.provisional"

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.message = (
            f"{year} has only a provisional calendar (no official working-day calendar for "
            f"{year}): import the State Council's notice for {year} (tenderflow calendar "
            f"import NOTICE.txt)"
        )
        self.args = (self.message,)
        self.context["rule"] = self.rule


class TriggerRefused(CheckFailed):
    """Raised when a guard refuses a trigger; carries every refusal with rule and source."""

    def __init__(self, procurement: str, trigger: str, state: str, refusals: list[Refusal]) -> None:
        lines = "; ".join(str(r) for r in refusals)
        super().__init__(
            f"{procurement}: '{trigger}' refused in state '{state}': {lines}",
            procurement=procurement,
            trigger=trigger,
            state=state,
            refusals=refusals,
        )
        self.refusals = refusals


class RulesetRefused(CheckFailed):
    """Raised when an eligibility ruleset to be pinned into a procurement fails the fairness
    lint (公平竞争审查); the message lists each finding with file, rule id, field and source."""

    def __init__(self, ruleset: str, findings: list[Any]) -> None:
        findings = list(findings)
        lines = "".join(f"\n  ✗ {f}" for f in findings)
        super().__init__(f"ruleset {ruleset} fails the fair-competition review "
                         f"(公平竞争审查), {len(findings)} finding(s):{lines}",
                         ruleset=ruleset, findings=findings)
        self.findings = findings


class InvalidTrigger(TenderflowError):
    """Raised when a trigger does not exist in the mode or is not possible from the state."""

    exit_code = 1


class RoleNotAllowed(TenderflowError):
    """Raised when the acting role may not fire the trigger."""

    exit_code = 1


class ConcurrencyConflict(TenderflowError):
    """Raised when another writer appended to the stream first (expected version mismatch)."""

    exit_code = 3


class BusinessTimeError(InputError):
    """Raised when a step's business time goes back before its stream's last event or lies
    ahead of the time of recording (DESIGN §4); nothing is written."""


class LateEntryRefused(InputError):
    """Raised when a step recorded long after it happened has no reason, or a deadline-bound
    submission recorded after its deadline has no receipt reference; nothing is written."""
