"""Deactivating the TikTok listings of products deleted in Shopify: batches of at most 20."""

from typing import cast

import httpx
from catalog_sync.core.global_products import RegionPublication, regional_products
from catalog_sync.core.reasons import deleted_global_reason
from catalog_sync.deleting import deactivate
from tiktok_shop import TikTokShopClient
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


def tiktok_with(products: FakeProducts) -> TikTokShopClient:
    return cast(TikTokShopClient, type("TikTok", (), {"products": products})())


async def test_deactivation_goes_in_batches_of_twenty_with_per_id_outcomes() -> None:
    products = FakeProducts()
    ids = [f"p{i}" for i in range(44)] + ["pending"]
    outcome = await deactivate(tiktok_with(products), ids)
    assert [len(c) for c in products.calls] == [20, 20, 5]
    assert outcome["pending"] == "not available"
    assert all(outcome[f"p{i}"] is None for i in range(44))


async def test_a_failed_batch_reports_every_id_of_it() -> None:
    products = FakeProducts()
    ids = [f"p{i}" for i in range(20)] + ["broken", "q"]
    outcome = await deactivate(tiktok_with(products), ids)
    assert outcome["p0"] is None
    assert outcome["broken"] == outcome["q"]
    assert "ConnectError" in str(outcome["q"])


def test_a_global_product_is_deactivated_where_it_was_published_and_where_tiktok_says() -> None:
    published = {
        "FR": RegionPublication(status="published", product_id="fr-1"),
        "IT": RegionPublication(status="failed", reason="inactive region"),
    }
    markets = regional_products(published, [("es", "es-1"), ("FR", "fr-1")])
    assert markets == {"FR": "fr-1", "ES": "es-1"}


def test_the_deletion_reason_of_a_global_product_names_each_market() -> None:
    assert deleted_global_reason({}).message.endswith("never published to a TikTok Shop market.")
    assert deleted_global_reason({"IT": None, "FR": None}).message == (
        "Deleted in Shopify; deactivated on TikTok Shop in FR, IT."
    )
    partly = deleted_global_reason({"FR": None, "IT": "under review"}).message
    assert "deactivated on TikTok Shop in FR, but not in IT: under review;" in partly
    assert "Seller Center" in partly
