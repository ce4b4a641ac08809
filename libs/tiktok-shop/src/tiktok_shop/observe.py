"""What the client reports about its calls, through one observer the process installs.

The client depends on no metrics code of ours: the service runtime installs an observer that
feeds Prometheus; until one is installed the reports go nowhere. Observers must not raise or block.
"""

from typing import Protocol


class CallObserver(Protocol):
    """Receives the facts about platform calls that operators watch."""

    def external_call(self, platform: str, endpoint: str, status: str, seconds: float) -> None:
        """One HTTP exchange ended with `status` (ok, throttled, server_error, timeout, ...)."""

    def throttle_wait(self, platform: str, endpoint: str, seconds: float) -> None:
        """The client waited `seconds` for rate-limit budget before calling."""

    def throttled_response(self, platform: str, endpoint: str) -> None:
        """The platform throttled a call anyway (HTTP 429 or a THROTTLED error)."""


class _Unobserved:
    def external_call(self, platform: str, endpoint: str, status: str, seconds: float) -> None:
        return None

    def throttle_wait(self, platform: str, endpoint: str, seconds: float) -> None:
        return None

    def throttled_response(self, platform: str, endpoint: str) -> None:
        return None


_observer: CallObserver = _Unobserved()


def install_call_observer(observer: CallObserver) -> None:
    """Send this process's call reports to `observer` (replacing the one installed before)."""
    global _observer
    _observer = observer


def call_observer() -> CallObserver:
    """The observer call reports go to."""
    return _observer
