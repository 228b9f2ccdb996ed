"""The store suite runs every test once per backend: SQLite and a real PostgreSQL server.

``db_url`` is overridden here with the backend-parametrized ``backend_url`` (tests/pg.py), so
the shared ``store``, ``services``, ``registered`` and ``invoke`` fixtures of tests/conftest.py
are parametrized too: one suite, written once, for every event store.
"""

from __future__ import annotations

import pytest


@pytest.fixture
def db_url(backend_url: str) -> str:
    return backend_url
