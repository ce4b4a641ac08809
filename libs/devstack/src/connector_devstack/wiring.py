"""How the processes of one stack find each other: ports, URLs and the environment."""

from collections.abc import Callable

from connector_devstack.infra import Infra
from connector_devstack.ports import free_port
from connector_devstack.sandboxes import Sandboxes
from connector_devstack.services import SERVICES, ServiceDef

# The gateway's single-account development mode (ADR 0820): the suites and journeys call the
# API without logging in, and the gateway still signs an identity (the bootstrap account's) to
# the services. A test or `make demo` turns login on with `GATEWAY_REQUIRE_LOGIN=true`.
DEVELOPMENT_MODE = {"CONNECTOR_ENVIRONMENT": "development", "GATEWAY_REQUIRE_LOGIN": "false"}


def reserve_ports(choose: Callable[[ServiceDef], int] = lambda _: free_port()) -> dict[str, int]:
    """A port per service, chosen before any starts so each can be told the others' URLs."""
    return {definition.name: choose(definition) for definition in SERVICES}


def stack_env(infra: Infra, sandboxes: Sandboxes, ports: dict[str, int]) -> dict[str, str]:
    """Environment every service of the stack gets: infrastructure, platforms, peers."""
    urls = {
        f"{name.replace('-', '_').upper()}_URL": f"http://127.0.0.1:{port}"
        for name, port in ports.items()
    }
    return {
        **infra.service_env(),
        **sandboxes.platform_env(),
        **urls,
        "PUBLIC_URL": urls["GATEWAY_URL"],
        **DEVELOPMENT_MODE,
    }
