"""Gateway and order-relay as processes wired to each other and to the sandboxes."""

from dataclasses import dataclass
from pathlib import Path

from connector_devstack.infra import Infra
from connector_devstack.sandboxes import Sandboxes
from connector_devstack.services import SERVICES, ServiceProcess
from connector_devstack.wiring import reserve_ports, stack_env


@dataclass
class RelayStack:
    """The two processes an order travels through, on one infrastructure and sandbox pair."""

    infra: Infra
    sandboxes: Sandboxes
    gateway: ServiceProcess
    relay: ServiceProcess

    def stop(self) -> None:
        """Stop order-relay, then the gateway."""
        self.relay.stop()
        self.gateway.stop()


def start_relay_stack(
    infra: Infra,
    sandboxes: Sandboxes,
    logs: Path,
    relay_env: dict[str, str] | None = None,
    common_env: dict[str, str] | None = None,
) -> RelayStack:
    """Start gateway and order-relay with each other's URLs; TikTok webhooks to the gateway."""
    ports = reserve_ports()
    env = {**stack_env(infra, sandboxes, ports), **(common_env or {})}
    by_name = {s.name: s for s in SERVICES}
    gateway = ServiceProcess(
        by_name["gateway"], env, ports["gateway"], log_file=logs / "gateway.log"
    )
    gateway.start(timeout=120)
    sandboxes.point_tiktok_webhooks_at(f"{gateway.url}/webhooks/tiktok")
    relay = ServiceProcess(
        by_name["order-relay"],
        {**env, **(relay_env or {})},
        ports["order-relay"],
        log_file=logs / "order-relay.log",
    )
    try:
        relay.start(timeout=120)
    except BaseException:
        gateway.stop()
        raise
    return RelayStack(infra, sandboxes, gateway, relay)


def start_relay_replica(stack: RelayStack, port: int, logs: Path) -> ServiceProcess:
    """Another order-relay process of the stack (same settings, same consumer groups)."""
    replica = ServiceProcess(
        stack.relay.definition, stack.relay.env, port, log_file=logs / f"order-relay-{port}.log"
    )
    replica.start(timeout=120)
    return replica
