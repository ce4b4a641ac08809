"""Shopify webhooks (reference B8) as the gateway sees them after HMAC verification."""

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

# Header values longer than any Shopify sends are malformed (and would not fit an index row).
Header = Annotated[str, Field(max_length=255)]


class ShopifyWebhook(BaseModel):
    """One verified delivery: the headers that matter and the REST-shaped JSON body."""

    model_config = ConfigDict(frozen=True)

    topic: Header  # e.g. `orders/cancelled`
    shop_domain: Header
    webhook_id: Header  # stable across Shopify's retries: the dedupe key
    api_version: Header | None = None
    triggered_at: datetime | None = None
    body: dict[str, Any]
