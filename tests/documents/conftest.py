"""Shared fixtures for the documents tests: sample data, a rendered and a signed agreement."""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from tenderflow.domain.timeutil import SHANGHAI

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
AGREEMENT = CONTRACTS / "agreement.yaml"
COVER = CONTRACTS / "financing_cover.yaml"
RECORD_DIGEST = "3f6c2a9e0b5d4c1a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"
SIGNING_ORDER = ["implementing_agency", "social_capital", "residents_committee",
                 "subdistrict_office"]
# Business times of the sample agreement (contracts/sample-data.yaml: awarded 2025-06-10,
# dated 2025-06-30): the demo keys are made for the award, the parties sign on the date.
KEYS_FROM = datetime(2025, 6, 10, 9, 0, tzinfo=SHANGHAI)
SIGNED_AT = datetime(2025, 6, 30, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="session")
def _sample_data() -> dict:
    return yaml.safe_load((CONTRACTS / "sample-data.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def sample_data(_sample_data: dict) -> dict:
    """A fresh copy of contracts/sample-data.yaml, free to modify."""
    return copy.deepcopy(_sample_data)


@pytest.fixture(scope="session")
def registered_parties(_sample_data: dict) -> dict[str, dict[str, str]]:
    """Each party's registered identity, as the store would hold it."""
    return {role: {"name": p["name"], "uscc": p["uscc"]}
            for role, p in _sample_data["parties"].items()}


@pytest.fixture(scope="session")
def demo_keys(tmp_path_factory: pytest.TempPathFactory, registered_parties: dict):
    from tenderflow.documents.keys import make_demo_keys

    return make_demo_keys(tmp_path_factory.mktemp("demo-keys"), registered_parties,
                          valid_from=KEYS_FROM)


@pytest.fixture(scope="session")
def agreement_pdf(_sample_data: dict) -> bytes:
    from tenderflow.documents.pdf import render_agreement

    return render_agreement(AGREEMENT, _sample_data, RECORD_DIGEST)


@pytest.fixture(scope="session")
def signed_agreement(agreement_pdf: bytes, demo_keys, registered_parties: dict) -> bytes:
    """The agreement signed by the four parties in turn."""
    from tenderflow.documents.signing import sign_pdf

    pdf = agreement_pdf
    for role in SIGNING_ORDER:
        pdf = sign_pdf(pdf, demo_keys.party_keys[role], demo_keys.passphrase, role,
                       registered_parties[role], signing_time=SIGNED_AT)
    return pdf


@pytest.fixture(scope="session")
def record_digest() -> str:
    return RECORD_DIGEST


@pytest.fixture(scope="session")
def contracts() -> Path:
    return CONTRACTS


@pytest.fixture(scope="session")
def signing_order() -> list[str]:
    return list(SIGNING_ORDER)
