"""Shopify webhooks (reference B8) as the gateway sees them after HMAC verification."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class ShopifyWebhook(BaseModel):
    """One verified delivery: the headers that matter and the REST-shaped JSON body."""

    model_config = ConfigDict(frozen=True)

    topic: str  # e.g. `orders/cancelled`
    shop_domain: str
    webhook_id: str  # stable across Shopify's retries: the dedupe key
    api_version: str | None = None
    triggered_at: datetime | None = None
    body: dict[str, Any]
