"""price-promotions metrics (all `connector_price_*`): what an operator alerts on."""

from prometheus_client import Counter, Histogram

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
    "Attempts at renewing a due activity that failed (TikTok refused, or a platform was away).",
)
ACTIVITIES_ADOPTED = Counter(
    "connector_price_activities_adopted_total",
    "Activities found by title instead of created again (a crash after TikTok created one).",
)
ORPHANS_ENDED = Counter(
    "connector_price_orphan_activities_ended_total",
    "Activities of ours that TikTok held but the connector never recorded (a run died after "
    "TikTok created them), ended by the product's next run that wants no activity.",
)
RENEWALS_OVERDUE = Counter(
    "connector_price_renewals_overdue_total",
    "Activities a region's sweep found with their renewal over 30 minutes late: they end "
    "within a day, unrenewed (counted at every sweep until fixed).",
)
SYNC_LAG = Histogram(
    "connector_price_sync_lag_seconds",
    "From a Shopify price change (webhook) to TikTok's price and activity being set.",
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
