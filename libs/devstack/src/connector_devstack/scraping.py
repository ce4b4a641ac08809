"""Reading a service's Prometheus metrics from its /metrics page (tests and benchmarks)."""

import httpx


def metric_value(base_url: str, name: str, **labels: str) -> float:
    """Sum of a metric's samples matching the labels, read from `base_url`/metrics."""
    total = 0.0
    for line in httpx.get(f"{base_url}/metrics", timeout=30).text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total
