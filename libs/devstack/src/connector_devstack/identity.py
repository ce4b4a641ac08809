"""Calling a service's API directly, as the gateway would: each request signed for an account
and its connections with the devstack's identity key (ADR 0820)."""

from collections.abc import Generator, Iterable
from datetime import UTC, datetime

import httpx
from connector_connections.caller import IDENTITY_HEADER, Caller, sign_caller

from connector_devstack.sandboxes import IDENTITY_KEY


class GatewayIdentity(httpx.Auth):
    """`httpx` auth signing every request for `connection_ids` of `account_id`."""

    def __init__(self, connection_ids: Iterable[str], account_id: str = "bootstrap") -> None:
        self.caller = Caller(
            account_id=account_id, role="owner", connection_ids=frozenset(connection_ids)
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign the request for its method and path, now."""
        request.headers[IDENTITY_HEADER] = sign_caller(
            self.caller, IDENTITY_KEY, request.method, request.url.path, datetime.now(UTC)
        )
        yield request
