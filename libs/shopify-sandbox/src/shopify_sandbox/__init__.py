"""Strict local simulator of the Shopify Admin GraphQL API with a control plane."""

from shopify_sandbox.app import create_app
from shopify_sandbox.settings import SandboxSettings

__all__ = ["SandboxSettings", "create_app"]
