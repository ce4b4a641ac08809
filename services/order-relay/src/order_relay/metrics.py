"""order-relay's own Prometheus metrics (`connector_order_*`), for alerting on relay health."""

from prometheus_client import Counter, Gauge, Histogram

RELAYED = Counter(
    "connector_orders_relayed_total",
    "Paid TikTok orders now in Shopify, by outcome (created, deduplicated: found from an"
    " earlier attempt).",
    ["outcome"],
)
RELAY_FAILED = Counter(
    "connector_order_relay_failures_total",
    "Relays that failed with a merchant-readable reason, by code.",
    ["code"],
)
RELAY_RETRIES = Counter(
    "connector_order_relay_retries_total", "Relay attempts started by a retry timer."
)
RECONCILED = Counter(
    "connector_orders_reconciled_total",
    "Order status changes emitted by a sweep or a missed-order sync, by source.",
    ["source"],
)
ORDERS_STUCK = Gauge(
    "connector_orders_stuck",
    "Paid orders not in Shopify, by reason (retrying, failed, not_relayed or waiting for a"
    " platform past the stuck threshold) and region (TikTok market: a closed set of"
    " countries, unlike shop ids, which grow with merchants); GET /api/v1/orders/stuck lists"
    " them.",
    ["reason", "region"],
)
SWEEP_HELD_BACK = Counter(
    "connector_order_sweep_held_back_total",
    "Sweep emissions held back: a sweep emitted the same order status less than the stuck"
    " threshold ago and it is not consumed yet (e.g. the broker is away).",
)
SWEEP_FAILURES = Counter(
    "connector_order_sweep_failures_total",
    "Reconciliation sweeps of a connection that failed, by error type (e.g. CredentialError).",
    ["error"],
)
SHIPMENTS = Counter(
    "connector_order_shipments_total",
    "Shopify fulfilments handled for TikTok, by outcome (shipped, failed, ignored, tracking_updated,"
    " held_for_invoice).",
    ["outcome"],
)
CANCELLATIONS = Counter(
    "connector_order_cancellations_total",
    "Cancellations applied across platforms, by direction (to_shopify, to_tiktok).",
    ["direction"],
)
OVERSOLD = Counter("connector_order_oversold_total", "Orders TikTok cancelled for lack of stock.")
ADDRESS_CHANGES = Counter(
    "connector_order_address_changes_total",
    "Buyer address changes from TikTok (webhook 3), by outcome (updated, updated_partly_shipped,"
    " after_fulfilment, not_relayed, refused).",
    ["outcome"],
)
INVOICES = Counter(
    "connector_order_invoices_total",
    "Brazil invoices, by outcome (uploaded, upload_refused, and TikTok's verdicts success,"
    " failed, processing).",
    ["outcome"],
)
LOOP_REFUNDS = Counter(
    "connector_order_loop_refunds_total",
    "Loop returns refunded in Shopify sent to TikTok (Create Return), by outcome (created,"
    " refused: e.g. a seller TikTok did not approve, skipped: no TikTok line).",
    ["outcome"],
)
RELAY_LATENCY = Histogram(
    "connector_order_relay_latency_seconds",
    "Time from TikTok's paid status to the order existing in Shopify.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
