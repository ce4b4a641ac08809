"""Connection events: a merchant linked one Shopify store to one TikTok shop."""

from typing import ClassVar

from pydantic import Field

from connector_contracts.envelope import Event


class ConnectionCreated(Event):
    """A merchant connection was created; every service keeps its own copy."""

    TYPE: ClassVar[str] = "connection.created"

    connection_id: str = Field(description="Connection id (also in the envelope).")
    name: str = Field(description="Display name chosen by the merchant.")
    shopify_shop_domain: str = Field(description="`<shop>.myshopify.com`.")
    tiktok_shop_id: str = Field(description="TikTok shop id as sent in webhooks (a string).")
    tiktok_region: str = Field(description="TikTok market, e.g. `US`, `GB`, `DE`.")

    def key(self) -> str:
        return self.connection_id
