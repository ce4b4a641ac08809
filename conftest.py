"""Shared pytest setup: the real-infrastructure fixtures live in connector_devstack."""

pytest_plugins = ["connector_devstack.pytest_plugin"]
