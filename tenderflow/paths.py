"""Where the policy data lives: workflows/ and contracts/ at the project root.

``TENDERFLOW_HOME`` points elsewhere (a procurement centre's own copy of the definitions).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def project_root() -> Path:
    env = os.environ.get("TENDERFLOW_HOME")
    return Path(env) if env else PACKAGE_DIR.parent


def workflows_dir() -> Path:
    return project_root() / "workflows"


def contracts_dir() -> Path:
    return project_root() / "contracts"


def examples_dir() -> Path:
    return project_root() / "examples"
