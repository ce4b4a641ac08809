"""Against the sandbox: bad tokens, invalid queries and over-cost queries fail with typed errors."""

from __future__ import annotations

import pytest
from shopify import ShopifyAuthError, ShopifyClient, ShopifyGraphQLError, ThrottleRegistry
from shopify_sandbox.testing import SandboxShop


async def test_wrong_token_is_rejected_with_auth_error(env: SandboxShop) -> None:
    async with ShopifyClient(
        env.shop, "shpat_wrong", config=env.config, throttle=ThrottleRegistry()
    ) as client:
        with pytest.raises(ShopifyAuthError, match="HTTP 401"):
            await client.execute("{ shop { name } }", operation="shop")


async def test_token_of_another_shop_is_rejected(env: SandboxShop) -> None:
    other = env.control.create_shop()["domain"]
    async with ShopifyClient(
        other, env.token, config=env.config, throttle=ThrottleRegistry()
    ) as client:
        with pytest.raises(ShopifyAuthError):
            await client.execute("{ shop { name } }", operation="shop")


async def test_invalid_query_surfaces_graphql_validation_errors(client: ShopifyClient) -> None:
    with pytest.raises(ShopifyGraphQLError, match="Cannot query field 'colour'"):
        await client.execute("{ shop { colour } }", operation="shop")


async def test_query_over_1000_points_is_max_cost_exceeded(client: ShopifyClient) -> None:
    query = "{ products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }"
    with pytest.raises(ShopifyGraphQLError) as raised:
        await client.execute(query, operation="tooBig")
    assert raised.value.codes == {"MAX_COST_EXCEEDED"}


async def test_shop_query_answers_with_the_domain(client: ShopifyClient, env: SandboxShop) -> None:
    data = await client.execute("{ shop { myshopifyDomain } }", operation="shop")
    assert data == {"shop": {"myshopifyDomain": env.shop}}
