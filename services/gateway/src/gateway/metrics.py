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
    "Mail send attempts by kind (`invitation`, `password_reset`, or a notification's kind) and"
    " outcome: `sent` or"
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
HOME_TOP_READS = Counter(
    "connector_home_top_reads_total",
    "Home top-10 lists read, by how (ADR 0930): `index` (the period is one block), `cover`"
    " (ranked off the block covering it), `summed` (its blocks summed), `unsettled` (the cover"
    " did not settle within its budget, then summed).",
    ["path"],
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

NOTIFICATIONS = Counter(
    "connector_notifications_total",
    "Email notifications by kind (`order_failed`, `order_oversold`, `authorization_revoked`,"
    " `authorization_expiring`, `push_failures`) and outcome: `queued` (mail queued to every"
    " address; sending counts in connector_mails_total under the same kind), `duplicate` (a"
    " redelivered or repeated event: mailed already), `off` (the account turned them off) or"
    " `no_recipients`.",
    ["kind", "outcome"],
)

CONNECTIONS_REMOVED = Counter(
    "connector_connections_removed_total",
    "Connections removed: `deleted` by their owner, or `expired` while pending (ADR 0820).",
    ["reason"],
)

TASK_STREAMS = Gauge(
    "connector_task_streams",
    "Task-list streams (server-sent events) open on this gateway process (ADR 1020).",
)
