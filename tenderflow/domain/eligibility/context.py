"""The inputs of one evaluation, normalised: each candidate with its consortium members,
the relations between the candidates on a lot, the check date, the investment and the credit
entries; what the built-in checks read."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tenderflow.domain.credit import CreditEntry
from tenderflow.domain.eligibility.model import FieldSpec, Parameter
from tenderflow.errors import DefinitionError


def norm_name(text: str) -> str:
    return re.sub(r"\s+", "", text)


def names_of(supplier: Mapping[str, Any]) -> set[str]:
    return {str(supplier[k]) for k in ("id", "uscc", "name") if supplier.get(k)}


@dataclass(frozen=True)
class Candidate:
    id: str
    profile: Mapping[str, Any]
    members: tuple[Mapping[str, Any], ...]

    @property
    def participants(self) -> tuple[Mapping[str, Any], ...]:
        return self.members or (self.profile,)


class Relations:
    """Where each supplier, name, legal representative and controller occurs among the
    candidates: (candidate index, participant index) pairs, in candidate order."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        Index = dict[str, list[tuple[int, int]]]
        self.by_supplier: dict[str, list[int]] = {}
        self.by_name: Index = {}          # id, USCC or name of a participant
        self.by_controller: Index = {}    # an entry of a participant's controlled_by
        self.by_rep_name: Index = {}      # legal representative's name, spaces removed
        self.by_rep_id: Index = {}        # legal representative's identity number
        for ci, cand in enumerate(candidates):
            for ti, sup in enumerate(cand.participants):
                self.by_supplier.setdefault(sup["id"], []).append(ci)
                for key in names_of(sup):
                    self.by_name.setdefault(key, []).append((ci, ti))
                for key in set(sup.get("controlled_by", ())):
                    self.by_controller.setdefault(key, []).append((ci, ti))
                if sup.get("legal_representative"):
                    self.by_rep_name.setdefault(norm_name(sup["legal_representative"]),
                                                []).append((ci, ti))
                if sup.get("legal_representative_id"):
                    self.by_rep_id.setdefault(sup["legal_representative_id"], []).append((ci, ti))


class Evaluation:
    """The inputs of one evaluation, normalised."""

    def __init__(self, ruleset_id: str, parameters: Mapping[str, Parameter],
                 fields: Mapping[str, FieldSpec], procurement: Mapping[str, Any],
                 candidates: list[Candidate], credit_entries: Sequence[CreditEntry],
                 credit_imports: Mapping[str, Mapping[str, Any]] | None = None,
                 credit_max_age_days: int | None = None) -> None:
        self.ruleset_id = ruleset_id
        self.parameters = parameters
        self.fields = fields
        self.procurement = procurement
        self.procurement_id: str = procurement["id"]
        self.at: date = procurement["at"]
        self.investment: Decimal | None = procurement.get("investment")
        self.candidates = candidates
        self.credit_entries = credit_entries
        # Each credit list as last imported before the check ({list: {as_of, imported_at,
        # file}}); None for a check recorded before imports were recorded (replay only).
        self.credit_imports = credit_imports
        self.credit_max_age_days = credit_max_age_days
        self.credit_by_uscc: dict[str, list[CreditEntry]] = {}
        for entry in credit_entries:
            self.credit_by_uscc.setdefault(entry.uscc, []).append(entry)
        self._relations: Relations | None = None

    def relations(self) -> Relations:
        """Indexes of the candidates' participants, built once for the relation checks."""
        if self._relations is None:
            self._relations = Relations(self.candidates)
        return self._relations

    def parameter(self, name: str, *, required: bool = True) -> Any:
        param = self.parameters.get(name)
        if param is None:
            if required:
                raise DefinitionError(f"ruleset {self.ruleset_id} has no parameter {name}",
                                      ruleset=self.ruleset_id, parameter=name)
            return None
        return param.value
