"""Strict local simulator of the TikTok Shop Open API, with an unsigned control plane."""

from tiktok_shop_sandbox.app import create_app
from tiktok_shop_sandbox.settings import SandboxSettings

__all__ = ["SandboxSettings", "create_app"]
