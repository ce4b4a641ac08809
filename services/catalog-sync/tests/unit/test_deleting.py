"""Deactivating the TikTok listings of products deleted in Shopify: batches of at most 20."""

from typing import Any, cast

import httpx
from catalog_sync.deleting import deactivate
from connector_connections import PlatformClients
from tiktok_shop.models.common import ErrorsResult, ItemError


class FakeProducts:
    """Records each Deactivate Products call; refuses one id, fails one batch in transport."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    async def deactivate(self, ids: list[str]) -> ErrorsResult:
        self.calls.append(ids)
        if "broken" in ids:
            raise httpx.ConnectError("connection refused")
        errors = [
            ItemError(code=12052901, message="not available", detail={"product_id": i})
            for i in ids
            if i == "pending"
        ]
        return ErrorsResult(errors=errors)


def clients_with(products: FakeProducts) -> PlatformClients:
    tiktok: Any = type("TikTok", (), {"products": products})()
    return cast(PlatformClients, type("Clients", (), {"tiktok": tiktok})())


async def test_deactivation_goes_in_batches_of_twenty_with_per_id_outcomes() -> None:
    products = FakeProducts()
    ids = [f"p{i}" for i in range(44)] + ["pending"]
    outcome = await deactivate(clients_with(products), ids)
    assert [len(c) for c in products.calls] == [20, 20, 5]
    assert outcome["pending"] == "not available"
    assert all(outcome[f"p{i}"] is None for i in range(44))


async def test_a_failed_batch_reports_every_id_of_it() -> None:
    products = FakeProducts()
    ids = [f"p{i}" for i in range(20)] + ["broken", "q"]
    outcome = await deactivate(clients_with(products), ids)
    assert outcome["p0"] is None
    assert outcome["broken"] == outcome["q"]
    assert "ConnectError" in str(outcome["q"])
