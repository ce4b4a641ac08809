"""No default secrets: services refuse to start without them; keys rotate without downtime."""

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Callable

import asyncpg
import pytest
from connector_connections.crypto import SecretBox
from connector_devstack.infra import Infra
from connector_devstack.polling import poll
from connector_devstack.sandboxes import SECRET_KEY, Merchant
from connector_devstack.services import SERVICES, ServiceProcess
from cryptography.fernet import Fernet

ROTATE = (sys.executable, "-m", "gateway", "rotate-keys")
SECRETS = (
    "CONNECTOR_SECRET_KEY",
    "CONNECTOR_IDENTITY_KEY",
    "SHOPIFY_CLIENT_SECRET",
    "TIKTOK_APP_SECRET",
)


def run_without(module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    return subprocess.run(
        [sys.executable, "-m", module],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("module", [s.module for s in SERVICES])
def test_a_service_without_its_secrets_refuses_to_start_naming_them(module: str) -> None:
    result = run_without(module)
    assert result.returncode != 0
    assert "missing required environment variable(s): " + ", ".join(SECRETS) in result.stderr
    assert "Traceback" not in result.stderr  # one line an operator reads, exit code 2
    assert result.returncode == 2


def test_a_malformed_secret_key_stops_the_start() -> None:
    result = run_without(
        "gateway",
        CONNECTOR_SECRET_KEY="not-a-key",
        CONNECTOR_IDENTITY_KEY="k" * 32,
        SHOPIFY_CLIENT_SECRET="s",
        TIKTOK_APP_SECRET="t",
    )
    assert result.returncode != 0
    assert "CONNECTOR_SECRET_KEY holds a value that is not a Fernet key" in result.stderr


def test_the_first_key_seals_and_every_key_opens() -> None:
    old, new = SecretBox.new_key(), SecretBox.new_key()
    sealed_old = SecretBox(old).seal("token")
    both = SecretBox(f"{new},{old}")
    assert both.open(sealed_old) == "token"
    assert SecretBox(new).open(both.seal("token")) == "token"
    assert SecretBox(new).open(both.reseal(sealed_old)) == "token"
    with pytest.raises(ValueError, match="not sealed with this CONNECTOR_SECRET_KEY"):
        SecretBox(new).open(sealed_old)


async def tokens(infra: Infra, schema: str, connection_id: str) -> list[str]:
    conn = await asyncpg.connect(infra.database_url)
    try:
        row = await conn.fetchrow(
            f"SELECT shopify_access_token, tiktok_access_token FROM {schema}.connections"
            " WHERE connection_id = $1",
            connection_id,
        )
        secrets = await conn.fetchrow(
            "SELECT shopify_refresh_token, tiktok_refresh_token FROM gateway.connection_secrets"
            " WHERE connection_id = $1",
            connection_id,
        )
        shops = await conn.fetch(
            "SELECT refresh_token FROM gateway.shop_secrets WHERE connection_id = $1",
            connection_id,
        )
        gateway = [*(secrets or {}).values(), *(s["refresh_token"] for s in shops)]
        values = [*(row or {}).values(), *(gateway if schema == "gateway" else [])]
        return [v for v in values if v]
    finally:
        await conn.close()


def opens_with(key: str) -> Callable[[list[str]], bool]:
    def check(sealed: list[str]) -> bool:
        try:
            return bool(sealed) and all(Fernet(key.encode()).decrypt(s.encode()) for s in sealed)
        except Exception:
            return False

    return check


@pytest.mark.e2e
def test_rotate_keys_reseals_every_stored_token_with_the_new_key(
    infra: Infra,
    start_service: Callable[..., ServiceProcess],
    connect_merchant: Callable[..., Merchant],
) -> None:
    gateway = start_service("gateway")  # tokens sealed with the devstack's key
    start_service("inventory-guard")
    merchant = connect_merchant(gateway)
    cid, new = merchant.connection_id, SecretBox.new_key()
    assert opens_with(SECRET_KEY)(asyncio.run(tokens(infra, "gateway", cid)))

    result = subprocess.run(
        [*ROTATE],
        env={**os.environ, **gateway.env, "CONNECTOR_SECRET_KEY": f"{new},{SECRET_KEY}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"re-sealed the tokens of [1-9]\d* connection", result.stdout)
    stored = asyncio.run(tokens(infra, "gateway", cid))
    assert len(stored) == 4  # both access tokens and both refresh tokens
    assert opens_with(new)(stored)
    replica = poll(lambda: asyncio.run(tokens(infra, "inventory_guard", cid)), opens_with(new))
    assert len(replica) == 2
    assert opens_with(new)(replica)

    # And back: the other services of this run share the database and know the old key only.
    env = {**os.environ, **gateway.env, "CONNECTOR_SECRET_KEY": f"{SECRET_KEY},{new}"}
    back = subprocess.run([*ROTATE], env=env, capture_output=True, text=True, timeout=120)
    assert back.returncode == 0, back.stderr
    assert opens_with(SECRET_KEY)(asyncio.run(tokens(infra, "gateway", cid)))


def test_a_short_identity_key_stops_the_start() -> None:
    result = run_without(
        "order_relay",
        CONNECTOR_SECRET_KEY=SECRET_KEY,
        CONNECTOR_IDENTITY_KEY="short",
        SHOPIFY_CLIENT_SECRET="s",
        TIKTOK_APP_SECRET="t",
    )
    assert result.returncode == 2
    assert "CONNECTOR_IDENTITY_KEY is shorter than 32 characters" in result.stderr


def test_the_single_account_development_mode_is_refused_outside_development() -> None:
    secrets = {
        "CONNECTOR_SECRET_KEY": SECRET_KEY,
        "CONNECTOR_IDENTITY_KEY": "k" * 32,
        "SHOPIFY_CLIENT_SECRET": "s",
        "TIKTOK_APP_SECRET": "t",
    }
    result = run_without("gateway", GATEWAY_REQUIRE_LOGIN="false", **secrets)
    assert result.returncode == 2
    assert "GATEWAY_REQUIRE_LOGIN=false (the single-account development mode) needs" in (
        result.stderr
    )
    assert "CONNECTOR_ENVIRONMENT=development" in result.stderr
