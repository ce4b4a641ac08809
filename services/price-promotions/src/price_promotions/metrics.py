"""price-promotions metrics (all `connector_price_*`): what an operator alerts on."""

from prometheus_client import Counter, Gauge, Histogram

SYNC_RESULTS = Counter(
    "connector_price_sync_results_total",
    "Product price syncs in a region by outcome (synced, skipped, failed).",
    ["outcome"],
)
ACTIVITY_STEPS = Counter(
    "connector_price_activity_steps_total",
    "Discount activity steps carried out on TikTok (create, renew, update, remove, expire).",
    ["step"],
)
RENEWAL_FAILURES = Counter(
    "connector_price_renewal_failures_total",
    "Activity renewals that failed (each retried until the activity ends).",
)
ACTIVITIES_ADOPTED = Counter(
    "connector_price_activities_adopted_total",
    "Activities found by title instead of created again (a crash after TikTok created one).",
)
EXPIRING_UNRENEWED = Gauge(
    "connector_price_activities_expiring_unrenewed",
    "Activities of a region, at its last sweep, whose renewal is over 30 minutes late "
    "(they end within a day and will not be renewed unless the failure is fixed).",
    ["tiktok_shop_id"],
)
SYNC_LAG = Histogram(
    "connector_price_sync_lag_seconds",
    "From a Shopify price change (webhook) to TikTok's price and activity being set.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
