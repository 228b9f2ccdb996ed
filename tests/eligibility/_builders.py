"""Builders for supplier profiles and procurements used by the eligibility tests."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from tenderflow.domain.uscc import uscc_check_character

ROOT = Path(__file__).resolve().parents[2]
RENOVATION = ROOT / "workflows" / "eligibility" / "renovation.yaml"
DATA = Path(__file__).resolve().parent / "data"
AT = date(2025, 6, 1)


def uscc(n: int) -> str:
    """A valid unified social credit code numbered n (a Chengdu enterprise)."""
    first17 = f"9151010{n:010d}"
    return first17 + uscc_check_character(first17)


def supplier(sid: str, n: int, **overrides: Any) -> dict[str, Any]:
    """A supplier that meets every rule of the renovation ruleset on AT for a 40m project."""
    profile: dict[str, Any] = {
        "id": sid,
        "name": f"{sid}建设有限公司",
        "uscc": uscc(n),
        "legal_representative": f"代表人{n}",
        "controlled_by": [],
        "independent_civil_liability": True,
        "good_commercial_reputation": True,
        "accounts_sound": True,
        "has_equipment_and_technical_capacity": True,
        "tax_social_security_ok": True,
        "net_assets": "12000000.00",
        "records": [],
        "qualifications": [{"type": "建筑工程施工总承包", "grade": "二级",
                            "valid_until": "2027-12-31"}],
    }
    profile.update(copy.deepcopy(overrides))
    return profile


def consortium(cid: str, members: list[str], *, agreement: bool = True) -> dict[str, Any]:
    return {"id": cid, "name": f"{cid}联合体",
            "consortium": {"members": members, "lead": members[0], "agreement": agreement}}


def procurement(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "P-2025-001", "at": AT, "investment": "40000000.00",
                            "notice_date": "2025-05-10", "bid_deadline": "2025-06-05"}
    data.update(overrides)
    return data
