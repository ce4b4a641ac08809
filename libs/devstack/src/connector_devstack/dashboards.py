"""Grafana dashboards, one per service, generated so every service gets the same operators' view.

Each has the same rows (rate, errors, duration, saturation, consumer lag, outbox, parked and due
work, platform calls and throttling) filtered to the service, then the panels of its own domain
metrics. `connector-dev schemas` writes them to deploy/grafana/ and CI fails when they are stale.
"""

import json
from dataclasses import dataclass

SERVICE_PANELS: dict[str, list[tuple[str, list[str]]]] = {
    "gateway": [
        (
            "Webhooks rejected / s by route and status",
            [
                'sum by (route, status) (rate(connector_http_requests_rejected_total{service="$s"}[5m]))'
            ],
        ),
        (
            "Token refresh runs / h by outcome",
            [
                'sum by (outcome) (increase(connector_job_runs_total{service="$s", job="token-refresh"}[1h]))'
            ],
        ),
        (
            "Read model lag (s) and changes applied / stale per 5m",
            [
                "max by (read_model) (connector_read_model_lag_seconds)",
                "sum by (read_model, outcome) (increase(connector_read_model_changes_total[5m]))",
            ],
        ),
    ],
    "catalog-sync": [
        (
            "Push results / s by reason",
            ["sum by (result, reason) (rate(connector_catalog_push_results_total[5m]))"],
        ),
        ("Products pulled / s", ["sum(rate(connector_catalog_products_pulled_total[5m]))"]),
        (
            "Bulk pulls by step and outcome (1h)",
            ["sum by (step, outcome) (increase(connector_catalog_bulk_pulls_total[1h]))"],
        ),
        (
            "TikTok audit results (1h)",
            ["sum by (result) (increase(connector_catalog_audit_results_total[1h]))"],
        ),
    ],
    "order-relay": [
        (
            "Orders relayed / s by outcome",
            ["sum by (outcome) (rate(connector_orders_relayed_total[5m]))"],
        ),
        (
            "Relay failures / s by code",
            ["sum by (code) (rate(connector_order_relay_failures_total[5m]))"],
        ),
        (
            "Paid TikTok order to Shopify p50 / p99 (s)",
            [
                "histogram_quantile(0.5, sum by (le) (rate(connector_order_relay_latency_seconds_bucket[5m])))",
                "histogram_quantile(0.99, sum by (le) (rate(connector_order_relay_latency_seconds_bucket[5m])))",
            ],
        ),
        (
            "Orders reconciled / h by source (sweep, missed-order sync)",
            ["sum by (source) (increase(connector_orders_reconciled_total[1h]))"],
        ),
        (
            "Sweep failures / h by error",
            ["sum by (error) (increase(connector_order_sweep_failures_total[1h]))"],
        ),
        (
            "Shipments, cancellations, oversold / h",
            [
                "sum(increase(connector_order_shipments_total[1h]))",
                "sum(increase(connector_order_cancellations_total[1h]))",
                "sum(increase(connector_order_oversold_total[1h]))",
            ],
        ),
    ],
    "inventory-guard": [],
    "price-promotions": [
        (
            "Price syncs / s by outcome",
            ["sum by (outcome) (rate(connector_price_sync_results_total[5m]))"],
        ),
        (
            "Shopify price change to TikTok p50 / p99 (s)",
            [
                "histogram_quantile(0.5, sum by (le) (rate(connector_price_sync_lag_seconds_bucket[5m])))",
                "histogram_quantile(0.99, sum by (le) (rate(connector_price_sync_lag_seconds_bucket[5m])))",
            ],
        ),
        (
            "Activity steps / h (create, renew, update, remove, expire)",
            ["sum by (step) (increase(connector_price_activity_steps_total[1h]))"],
        ),
        (
            "Renewal failures, overdue renewals, adopted and orphaned activities / h",
            [
                "sum(increase(connector_price_renewal_failures_total[1h]))",
                "sum(increase(connector_price_renewals_overdue_total[1h]))",
                "sum(increase(connector_price_activities_adopted_total[1h]))",
                "sum(increase(connector_price_orphan_activities_ended_total[1h]))",
            ],
        ),
    ],
}

COMMON_PANELS: list[tuple[str, list[str]]] = [
    (
        "Messages consumed / s by topic",
        ['sum by (topic) (rate(connector_messages_consumed_total{service="$s"}[5m]))'],
    ),
    (
        "Failures / s by reason",
        ['sum by (reason) (rate(connector_messages_failed_total{service="$s"}[5m]))'],
    ),
    (
        "Dead-lettered (1h) by topic",
        ['sum by (topic) (increase(connector_dead_letter_messages_total{service="$s"}[1h]))'],
    ),
    (
        "Handler p50 / p99 (s) by topic",
        [
            'histogram_quantile(0.5, sum by (le, topic) (rate(connector_handler_duration_seconds_bucket{service="$s"}[5m])))',
            'histogram_quantile(0.99, sum by (le, topic) (rate(connector_handler_duration_seconds_bucket{service="$s"}[5m])))',
        ],
    ),
    (
        "Saturation: CPU cores used, resident memory (GiB)",
        [
            'sum(rate(process_cpu_seconds_total{app="$s"}[5m]))',
            'sum(process_resident_memory_bytes{app="$s"}) / 2^30',
        ],
    ),
    (
        "Consumer lag (messages) by topic",
        ['sum by (topic) (connector_consumer_lag_messages{service="$s"})'],
    ),
    (
        "Outbox backlog and lag (s)",
        [
            'max(connector_outbox_backlog_messages{service="$s"})',
            'max(connector_outbox_lag_seconds{service="$s"})',
        ],
    ),
    (
        "Parked messages and oldest (s)",
        [
            'sum(connector_parked_messages{service="$s"})',
            'max(connector_parked_oldest_seconds{service="$s"})',
        ],
    ),
    (
        "Due work by kind, and oldest due (s)",
        [
            'sum by (kind) (connector_work_due_items{service="$s"})',
            'max by (kind) (connector_work_oldest_due_seconds{service="$s"})',
        ],
    ),
    (
        "Work claimed / failed / postponed (a tenant's platform budget) / s by kind",
        [
            'sum by (kind) (rate(connector_work_claimed_total{service="$s"}[5m]))',
            'sum by (kind) (rate(connector_work_failures_total{service="$s"}[5m]))',
            'sum by (kind) (rate(connector_work_postponed_total{service="$s"}[5m]))',
        ],
    ),
    (
        "Topics recreated after a broker lost them (per 5m), topics with another partition count",
        [
            'sum(increase(connector_topics_recreated_total{service="$s"}[5m]))',
            'max(connector_topics_misshapen{service="$s"})',
        ],
    ),
    (
        "Platform calls / s by endpoint and status",
        [
            'sum by (platform, endpoint, status) (rate(connector_external_calls_total{app="$s"}[5m]))'
        ],
    ),
    (
        "Throttle waits and throttled responses / s",
        [
            'sum by (platform) (rate(connector_throttle_waits_total{app="$s"}[5m]))',
            'sum by (platform) (rate(connector_throttled_responses_total{app="$s"}[5m]))',
        ],
    ),
]


@dataclass(frozen=True)
class Panel:
    """One time series panel."""

    title: str
    exprs: list[str]

    def to_grafana(self, panel_id: int) -> dict[str, object]:
        """Grafana's JSON for this panel at position `panel_id` (two per row)."""
        return {
            "id": panel_id,
            "type": "timeseries",
            "title": self.title,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {
                "h": 8,
                "w": 12,
                "x": 12 * ((panel_id - 1) % 2),
                "y": 8 * ((panel_id - 1) // 2),
            },
            "targets": [
                {"refId": chr(ord("A") + i), "expr": expr} for i, expr in enumerate(self.exprs)
            ],
        }


def panels(service: str) -> list[Panel]:
    """The service's panels: the common rows, then its own."""
    specs = COMMON_PANELS + SERVICE_PANELS.get(service, [])
    return [Panel(title, [e.replace("$s", service) for e in exprs]) for title, exprs in specs]


def dashboard(service: str) -> dict[str, object]:
    """A whole dashboard for one service."""
    return {
        "title": f"Connector: {service}",
        "uid": f"connector-{service}",
        "schemaVersion": 39,
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [{"name": "datasource", "type": "datasource", "query": "prometheus"}]
        },
        "panels": [p.to_grafana(i + 1) for i, p in enumerate(panels(service))],
    }


def service_dashboards(services: list[str]) -> dict[str, str]:
    """Every service's dashboard as JSON text, by file name."""
    return {
        f"connector-{name}.json": json.dumps(dashboard(name), indent=2, sort_keys=True) + "\n"
        for name in services
    }
