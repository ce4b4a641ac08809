"""Which service owns which merchant API resource (`/api/v1/<resource>/...`).

The gateway is the one public entry point; a resource's owner serves it from its own tables.
"""

RESOURCE_OWNERS: dict[str, str] = {
    # resource (first path segment after /api/v1/) -> owning service
    "orders": "order-relay",
    "order-settings": "order-relay",
    "order-syncs": "order-relay",
    "order-alerts": "order-relay",
    "order-privacy": "order-relay",
    "order-invoices": "order-relay",
    "catalog": "catalog-sync",
    "pricing": "price-promotions",
    "inventory": "inventory-guard",
}
