"""inventory-guard's Prometheus metrics (`connector_inventory_*`), for stock freshness alerts."""

from prometheus_client import Counter, Histogram

UPDATE_LAG = Histogram(
    "connector_inventory_update_lag_seconds",
    "From Shopify's updated_at of the oldest change a push carries to TikTok accepting it.",
    buckets=(0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)
PUSHES = Counter(
    "connector_inventory_pushes_total",
    "Products whose stock was sent to TikTok (one Update Inventory call each), by outcome.",
    ["outcome"],
)
COALESCED = Counter(
    "connector_inventory_changes_coalesced_total",
    "Stock changes that joined a push already queued for their product (no call of their own).",
)
STALE = Counter(
    "connector_inventory_changes_stale_total",
    "Shopify stock figures ignored because a newer one was already stored (reordered webhooks).",
)
POLICY = Counter(
    "connector_inventory_policy_actions_total",
    "Low-inventory policy status changes on TikTok, by action (deactivate, activate).",
    ["action"],
)
DRIFT_REPAIRED = Counter(
    "connector_inventory_drift_repaired_total",
    "SKUs whose TikTok stock the reconciliation sweep found different and repaired.",
)
FAILURES = Counter(
    "connector_inventory_push_failures_total",
    "Stock pushes that failed and will be retried, by TikTok code (or error type).",
    ["code"],
)
