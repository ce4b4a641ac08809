"""Prometheus metrics shared by every process, with one naming scheme (`connector_*`)."""

from prometheus_client import Counter, Gauge, Histogram

MESSAGES_CONSUMED = Counter(
    "connector_messages_consumed_total",
    "Messages handled successfully by a consumer, by topic.",
    ["service", "topic"],
)
MESSAGES_DEDUPLICATED = Counter(
    "connector_messages_deduplicated_total",
    "Redelivered messages skipped because their event id was already in the inbox.",
    ["service", "topic"],
)
MESSAGES_PRODUCED = Counter(
    "connector_messages_produced_total",
    "Messages published to Kafka by the outbox relay, by topic.",
    ["service", "topic"],
)
MESSAGES_FAILED = Counter(
    "connector_messages_failed_total",
    "Messages a consumer could not handle, by topic and reason (invalid, error, unavailable).",
    ["service", "topic", "reason"],
)
DEAD_LETTERED = Counter(
    "connector_dead_letter_messages_total",
    "Messages sent to a dead-letter topic, by source topic.",
    ["service", "topic"],
)
MESSAGES_PARKED = Counter(
    "connector_messages_parked_total",
    "Messages parked for a later retry: `outage` (a platform was away) or `behind` (an earlier"
    " message of the same key is parked).",
    ["service", "topic", "why"],
)
PARKED_REDELIVERED = Counter(
    "connector_parked_redeliveries_total",
    "Retries of parked messages, by outcome (applied, postponed, dead_lettered).",
    ["service", "topic", "outcome"],
)
PARKED = Gauge(
    "connector_parked_messages",
    "Messages parked for a later retry.",
    ["service"],
)
PARKED_OLDEST = Gauge(
    "connector_parked_oldest_seconds",
    "Age of the oldest parked message (0 when none).",
    ["service"],
)
HANDLER_SECONDS = Histogram(
    "connector_handler_duration_seconds",
    "Time to handle one message, including its database transaction.",
    ["service", "topic"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
BATCH_MESSAGES = Histogram(
    "connector_consumer_batch_messages",
    "Messages a batch consumer applied in one transaction (one poll of its topic).",
    ["service", "topic"],
    buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000),
)
OUTBOX_BACKLOG = Gauge(
    "connector_outbox_backlog_messages",
    "Outbox rows not yet published to Kafka.",
    ["service"],
)
OUTBOX_LAG = Gauge(
    "connector_outbox_lag_seconds",
    "Age of the oldest unpublished outbox row (0 when empty).",
    ["service"],
)
HTTP_REJECTED = Counter(
    "connector_http_requests_rejected_total",
    "Inbound HTTP requests rejected as bad input, by route and status.",
    ["service", "route", "status"],
)
EXTERNAL_CALLS = Counter(
    "connector_external_calls_total",
    "Calls to an external platform API, by platform, endpoint and outcome status.",
    ["platform", "endpoint", "status"],
)
EXTERNAL_CALL_SECONDS = Histogram(
    "connector_external_call_duration_seconds",
    "Latency of calls to an external platform API.",
    ["platform", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
THROTTLE_WAITS = Counter(
    "connector_throttle_waits_total",
    "Times a client waited for rate-limit budget before calling a platform.",
    ["platform", "endpoint"],
)
THROTTLE_WAIT_SECONDS = Counter(
    "connector_throttle_wait_seconds_total",
    "Total seconds spent waiting for rate-limit budget.",
    ["platform", "endpoint"],
)
THROTTLED_RESPONSES = Counter(
    "connector_throttled_responses_total",
    "Responses where the platform throttled us anyway (429 / THROTTLED).",
    ["platform", "endpoint"],
)
JOB_RUNS = Counter(
    "connector_job_runs_total",
    "Periodic job runs, by job and outcome (ok, error).",
    ["service", "job", "outcome"],
)
JOB_SECONDS = Histogram(
    "connector_job_duration_seconds",
    "Duration of one periodic job run.",
    ["service", "job"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300),
)
WORK_DUE = Gauge(
    "connector_work_due_items",
    "Durable work items due now and not yet done (including ones being run), by kind.",
    ["service", "kind"],
)
WORK_OLDEST_DUE = Gauge(
    "connector_work_oldest_due_seconds",
    "How long the longest-due work item of a kind has been due, running or not (0 when none).",
    ["service", "kind"],
)
WORK_CLAIMED = Counter(
    "connector_work_claimed_total",
    "Durable work items claimed by a worker, by kind.",
    ["service", "kind"],
)
WORK_LAG = Histogram(
    "connector_work_lag_seconds",
    "Time from a work item's due time to its claim.",
    ["service", "kind"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800),
)
WORK_FAILURES = Counter(
    "connector_work_failures_total",
    "Runs of a work item that failed (the item is retried after a backoff or given up).",
    ["service", "kind"],
)
WORK_POSTPONED = Counter(
    "connector_work_postponed_total",
    "Runs of a work item that postponed it without failing (e.g. a tenant's platform budget"
    " would have made it wait), by kind.",
    ["service", "kind"],
)
WORK_GIVEN_UP = Counter(
    "connector_work_given_up_total",
    "Work items given up after failing past their kind's maximum age.",
    ["service", "kind"],
)
DB_POOL_EXHAUSTED = Counter(
    "connector_db_pool_exhausted_total",
    "HTTP requests answered 503 because no database connection freed up in time.",
    ["service"],
)
DB_ROUND_TRIPS = Counter(
    "connector_db_round_trips_total",
    "Statements sent to PostgreSQL, each one round trip (transaction control and the pool's"
    " session reset on release included), by pool (main, control, side).",
    ["service", "pool"],
)
DB_UNAVAILABLE = Counter(
    "connector_db_unavailable_total",
    "HTTP requests answered 503 and background steps skipped because PostgreSQL was unreachable.",
    ["service", "where"],
)
CONSUMER_FAILURES = Counter(
    "connector_consumer_failures_total",
    "Messages whose handling, parking, dead-letter send or acknowledgement failed, by stage;"
    " each is nacked (redelivered), never committed past.",
    ["service", "topic", "stage"],
)
TOPICS_RECREATED = Counter(
    "connector_topics_recreated_total",
    "Declared topics a running service found missing (e.g. a broker restarted on lost storage)"
    " and created again.",
    ["service"],
)
TOPICS_MISSHAPEN = Gauge(
    "connector_topics_misshapen",
    "Declared topics whose partition count differs from KAFKA_TOPIC_PARTITIONS (auto-created by"
    " the broker before the service could create them; keys may land on other partitions).",
    ["service"],
)
CONSUMER_STALLED = Gauge(
    "connector_consumer_stalled",
    "1 while a consumer cannot commit its offsets (its last acknowledgement failed or timed out).",
    ["service", "topic"],
)
CONSUMER_LAG = Gauge(
    "connector_consumer_lag_messages",
    "Messages on a topic not yet committed by this replica's consumer: highwater minus committed"
    " offset, summed over its assigned partitions.",
    ["service", "topic"],
)
