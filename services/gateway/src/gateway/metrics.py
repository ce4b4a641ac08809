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

MAILS = Counter(
    "connector_mails_total",
    "Mail send attempts by kind (`invitation`, `password_reset`) and outcome: `sent` or"
    " `failed` (tried again after a backoff; the queued mail keeps the last error).",
    ["kind", "outcome"],
)

PASSWORD_LINKS = Counter(
    "connector_password_links_total",
    "Invitation and password-reset links by purpose and outcome: `followed` (a password set),"
    " `refused` (unknown, used or expired), `mailed` or `unknown_email` (a reset request).",
    ["purpose", "outcome"],
)

HOME_UPDATES = Counter(
    "connector_home_updates_total",
    "Order outcome events applied to the Home dashboard: `moved` (its figures changed),"
    " `unchanged` (a repeat, or nothing new) or `unplaced` (no region yet: counted once one says).",
    ["event", "outcome"],
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
