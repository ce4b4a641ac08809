"""The whole simulator's state: shops, apps, tokens, faults and webhook deliveries."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from shopify_sandbox.faults import FaultBook
from shopify_sandbox.plans import PLANS
from shopify_sandbox.records import AccessToken, App, now
from shopify_sandbox.settings import SandboxSettings
from shopify_sandbox.shop import Shop
from shopify_sandbox.webhook_delivery import WebhookDispatcher


class Sandbox:
    """Everything the process simulates; lives as long as the process."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.shops: dict[str, Shop] = {}
        self.apps: dict[str, App] = {}
        self.tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, AccessToken] = {}
        self.previous_refresh: dict[str, str] = {}
        self.oauth_codes: dict[str, tuple[str, str]] = {}
        self.faults = FaultBook(seed=settings.fault_seed)
        self.webhooks = WebhookDispatcher(settings, self.faults, self.secret_for)
        self.request_log: list[dict[str, Any]] = []
        self.cdn: dict[str, tuple[bytes, str]] = {}  # hosted files: path -> (bytes, type)
        self.cdn_fetches: dict[str, int] = {}

    def reset(self) -> None:
        """Forget every shop, app, token, fault and delivery."""
        self.shops.clear()
        self.apps.clear()
        self.tokens.clear()
        self.refresh_tokens.clear()
        self.previous_refresh.clear()
        self.oauth_codes.clear()
        self.cdn.clear()
        self.cdn_fetches.clear()
        self.faults.rules.clear()
        self.faults.webhook.clear()
        self.faults.rng.seed(self.settings.fault_seed)
        self.webhooks.deliveries.clear()
        self.request_log.clear()

    def secret_for(self, client_id: str) -> str:
        """The client secret webhooks of this app are signed with."""
        return self.apps[client_id].client_secret

    def create_shop(self, domain: str, plan: str, currency: str, locations: list[str]) -> Shop:
        """A new shop with its locations."""
        shop = Shop(domain=domain, plan=PLANS[plan], currency=currency, name=domain.split(".")[0])
        for name in locations:
            shop.add_location(name)
        self.shops[domain] = shop
        return shop

    def create_app(
        self,
        scopes: list[str],
        client_id: str | None,
        secret: str | None,
        redirect_urls: list[str] | None = None,
    ) -> App:
        """A new app with credentials and its allowed OAuth redirection URLs."""
        app = App(
            client_id=client_id or secrets.token_hex(16),
            client_secret=secret or secrets.token_hex(32),
            scopes=scopes,
            redirect_urls=redirect_urls or [],
        )
        self.apps[app.client_id] = app
        return app

    def issue_token(self, shop: Shop, client_id: str, *, expiring: bool) -> AccessToken:
        """Install the app on the shop and hand out a token (expiring ones can be refreshed)."""
        app = self.apps[client_id]
        shop.installed_apps.add(client_id)
        token = AccessToken(
            token=f"shpat_{secrets.token_hex(16)}",
            client_id=client_id,
            shop=shop.domain,
            scope=",".join(app.scopes),
            expires_at=now() + timedelta(seconds=self.settings.token_ttl_seconds)
            if expiring
            else None,
            refresh_token=f"shprt_{secrets.token_hex(16)}" if expiring else None,
        )
        self.tokens[token.token] = token
        if token.refresh_token:
            self.refresh_tokens[token.refresh_token] = token
        return token

    def authenticate(self, shop: Shop, token: str | None) -> AccessToken | None:
        """The token record when `token` is valid for `shop` right now."""
        record = self.tokens.get(token or "")
        if record is None or record.shop != shop.domain:
            return None
        if record.client_id not in shop.installed_apps:
            return None
        if record.expires_at is not None and record.expires_at <= now():
            return None
        return record

    def emit(self, shop: Shop, topic: str, payload: dict[str, Any]) -> None:
        """Send a webhook to every subscription of an installed app."""
        subs = [s for s in shop.subscriptions.values() if s.client_id in shop.installed_apps]
        self.webhooks.emit(shop.domain, topic, payload, subs)


@dataclass
class Context:
    """What resolvers of one request see."""

    sandbox: Sandbox
    shop: Shop
    app: App
    version: str
    base_url: str
    bulk: bool = False

    @property
    def settings(self) -> SandboxSettings:
        """The sandbox settings."""
        return self.sandbox.settings

    def emit(self, topic: str, payload: dict[str, Any]) -> None:
        """Send a webhook of this shop."""
        self.sandbox.emit(self.shop, topic, payload)
