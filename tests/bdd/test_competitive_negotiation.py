"""Runs the competitive negotiation policy features (features/competitive_negotiation/)."""

from pytest_bdd import scenarios

scenarios("competitive_negotiation")
