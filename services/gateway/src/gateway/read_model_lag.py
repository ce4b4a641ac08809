"""What every read model reports when it applies a change: the outcome, and how far behind its
owner it is (`connector_read_model_lag_seconds`, alert `ConnectorReadModelLagging`)."""

from datetime import UTC, datetime

from gateway import metrics


def applied(read_model: str, occurred_at: datetime) -> None:
    """A change applied: count it and set the read model's lag (now minus `occurred_at`)."""
    metrics.READ_MODEL_CHANGES.labels(read_model, "applied").inc()
    lag = (datetime.now(UTC) - occurred_at).total_seconds()
    metrics.READ_MODEL_LAG.labels(read_model).set(max(lag, 0.0))


def stale(read_model: str) -> None:
    """An older or repeated state, kept out by the owner's sequence or revision."""
    metrics.READ_MODEL_CHANGES.labels(read_model, "stale").inc()
