"""The platform clients stand alone (ADR 0010); the runtime's observer feeds Prometheus."""

import subprocess
import sys

from connector_runtime.metrics import EXTERNAL_CALLS, THROTTLE_WAIT_SECONDS, THROTTLED_RESPONSES
from connector_runtime.platform_metrics import install_platform_metrics

STAND_ALONE = """
import sys
import shopify, shopify_sandbox, tiktok_shop, tiktok_shop_sandbox
ours = ("connector_", "faststream", "aiokafka", "asyncpg", "prometheus_client")
print(sorted({m.split(".")[0] for m in sys.modules if m.startswith(ours)}))
"""


def test_clients_and_sandboxes_import_no_runtime_broker_or_database_driver() -> None:
    imported = subprocess.run(
        [sys.executable, "-c", STAND_ALONE], check=True, capture_output=True, text=True
    ).stdout
    assert imported.strip() == "[]"


def test_installed_observer_feeds_the_shared_counters() -> None:
    import shopify.observe
    import tiktok_shop.observe

    install_platform_metrics()
    calls = EXTERNAL_CALLS.labels(platform="shopify", endpoint="unit-op", status="ok")
    throttled = THROTTLED_RESPONSES.labels(platform="tiktok", endpoint="unit-op")
    waited = THROTTLE_WAIT_SECONDS.labels(platform="tiktok", endpoint="unit-op")
    before = (calls._value.get(), throttled._value.get(), waited._value.get())
    shopify.observe.call_observer().external_call("shopify", "unit-op", "ok", 0.01)
    tiktok_shop.observe.call_observer().throttled_response("tiktok", "unit-op")
    tiktok_shop.observe.call_observer().throttle_wait("tiktok", "unit-op", 0.5)
    after = (calls._value.get(), throttled._value.get(), waited._value.get())
    assert after == (before[0] + 1, before[1] + 1, before[2] + 0.5)
