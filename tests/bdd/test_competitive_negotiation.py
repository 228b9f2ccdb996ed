"""Runs the competitive negotiation policy features (features/competitive_negotiation/)."""

from __future__ import annotations

from pytest_bdd import given, scenarios

from tenderflow import yamlio
from tenderflow.app.common import parse_time
from tests.bdd.conftest import World
from tests.conftest import REGISTERED_AT

scenarios("competitive_negotiation")


@given("已登记项目：")
def _project(world: World, docstring: str) -> None:
    from tenderflow.app.registration import validate_projects

    record = yamlio.safe_load(docstring)
    world.services.register("projects", validate_projects([("feature", record)], "feature"),
                            "staff:test", parse_time(REGISTERED_AT))
