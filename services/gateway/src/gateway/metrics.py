"""The gateway's own metrics (the runtime's are in connector_runtime.metrics)."""

from prometheus_client import Counter, Gauge

TOKEN_REFRESH_FAILURES = Counter(
    "connector_token_refresh_failures_total",
    "Platform token refreshes that failed: `refused` (the platform no longer accepts the refresh"
    " token: the merchant must authorize again) or `unavailable` (tried again next run).",
    ["platform", "reason"],
)

LOGINS = Counter(
    "connector_logins_total",
    "Login attempts by outcome: `succeeded`, `refused` (unknown email, wrong password or a"
    " disabled user, told apart only here and in the audit log) or `locked` (rate limit, 429).",
    ["outcome"],
)

AUTH_REFUSED = Counter(
    "connector_auth_refused_total",
    "Requests refused for their credentials: `missing`, `token` (unknown, expired or revoked),"
    " `session` (ended or unknown) or `csrf` (a cookie request without its CSRF header).",
    ["reason"],
)

READ_MODEL_LAG = Gauge(
    "connector_read_model_lag_seconds",
    "How long the newest change a read model applied took from its owner to the read model"
    " (now minus the event's occurred_at when applied).",
    ["read_model"],
)

READ_MODEL_CHANGES = Counter(
    "connector_read_model_changes_total",
    "Changes a read model received: `applied`, or `stale` (an older or repeated state, kept out"
    " by the owner's sequence).",
    ["read_model", "outcome"],
)
