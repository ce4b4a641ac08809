"""Packages end to end: partial Shopify fulfilments, TikTok combined packages, tracking edits."""

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

UPS = "6617675021119438850"  # the TikTok sandbox's UPS shipping provider id

Json = dict[str, Any]


def relayed(order: Json) -> bool:
    return order.get("relay_state") == "relayed"


def shopify_line(shop, created: Json, variant: int) -> str:  # type: ignore[no-untyped-def]
    """The GID of the Shopify order line of a variant."""
    wanted = shop.variants[variant].variant_id
    [line] = [
        li["admin_graphql_api_id"]
        for li in created["line_items"]
        if f"gid://shopify/ProductVariant/{li['variant_id']}" == wanted
    ]
    return str(line)


def fulfil_lines(shop, created: Json, number: str, **quantities: int) -> None:  # type: ignore[no-untyped-def]
    """Fulfil some quantities (keyword `v0=1` = one unit of variant 0) with UPS tracking."""
    shop.http.post(
        f"{shop.shopify}/orders/fulfil",
        json={
            "order_id": created["admin_graphql_api_id"],
            "tracking_company": "UPS",
            "tracking_number": number,
            "line_items": [
                {"line_item_id": shopify_line(shop, created, int(v[1:])), "quantity": q}
                for v, q in quantities.items()
            ],
        },
    ).raise_for_status()


def lines_of(tiktok: Json, variant_sku: str) -> list[Json]:
    return [line for line in tiktok["line_items"] if line["seller_sku"] == variant_sku]


def history(shop, order_id: str, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [h["message"] for h in shop.order(order_id).get("history", []) if h["kind"] == kind]


def test_partial_shopify_fulfilments_ship_only_the_matching_tiktok_packages_and_lines(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    order_id = shop.place(
        {"variant": 0, "quantity": 1}, {"variant": 1, "quantity": 2}, packages=[[0], [1]]
    )
    shop.wait_order(order_id, relayed)
    created = shop.shopify_order(order_id)
    sku0, sku1 = shop.variants[0].sku, shop.variants[1].sku
    before = shop.tiktok_order(order_id)
    [package0] = {line["package_id"] for line in lines_of(before, sku0)}
    [package1] = {line["package_id"] for line in lines_of(before, sku1)}

    # Variant 0 only: its whole package ships, variant 1's package stays unshipped.
    fulfil_lines(shop, created, "1ZPART0001", v0=1)
    partial = shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "partial")
    assert partial["fulfillment_error"] is None
    tiktok = shop.tiktok_order(order_id)
    assert tiktok["status"] == "PARTIALLY_SHIPPING"
    [line0] = lines_of(tiktok, sku0)
    assert (line0["package_id"], line0["tracking_number"]) == (package0, "1ZPART0001")
    assert line0["package_status"] != "PROCESSING"
    assert {(li["package_id"], li["package_status"]) for li in lines_of(tiktok, sku1)} == {
        (package1, "PROCESSING")
    }

    # One of variant 1's two units: that line is split off and marked shipped, alone.
    fulfil_lines(shop, created, "1ZPART0002", v1=1)
    tiktok = shop.poll(
        lambda: shop.tiktok_order(order_id),
        lambda o: any(li["tracking_number"] == "1ZPART0002" for li in o["line_items"]),
    )
    shipped = [li for li in lines_of(tiktok, sku1) if li["tracking_number"] == "1ZPART0002"]
    waiting = [li for li in lines_of(tiktok, sku1) if li["tracking_number"] == ""]
    assert len(shipped) == 1, lines_of(tiktok, sku1)
    assert len(waiting) == 1, lines_of(tiktok, sku1)
    assert shipped[0]["package_id"] not in {package0, waiting[0]["package_id"]}
    assert waiting[0]["package_status"] == "PROCESSING"
    assert tiktok["status"] == "PARTIALLY_SHIPPING"
    assert shop.order(order_id)["fulfillment_status"] == "partial"

    # The rest (a plain "fulfil everything open"): the order is complete on both sides.
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1ZPART0003")
    done = shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    assert done["fulfillment_error"] is None
    tiktok = shop.tiktok_order(order_id)
    assert tiktok["status"] == "IN_TRANSIT"
    assert sorted(li["tracking_number"] for li in tiktok["line_items"]) == [
        "1ZPART0001",
        "1ZPART0002",
        "1ZPART0003",
    ]
    assert len(history(shop, order_id, "shipped")) == 3


def test_a_combined_package_is_shipped_once_when_the_merchant_fulfils_both_orders(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    first = shop.place({"variant": 0, "quantity": 1})
    second = shop.place({"variant": 1, "quantity": 1})
    shop.wait_order(first, relayed)
    shop.wait_order(second, relayed)
    combined = (
        shop.http.post(f"{shop.tiktok}/packages/combine", json={"order_ids": [first, second]})
        .raise_for_status()
        .json()
    )
    package = combined["package_id"]
    for order_id in (first, second):
        assert {li["package_id"] for li in shop.tiktok_order(order_id)["line_items"]} == {package}
        noted = shop.poll(lambda o=order_id: history(shop, o, "packages"), lambda h: len(h) > 0)
        assert any("combine" in m.lower() and package in m for m in noted), noted

    shop.fulfil(shop.shopify_order(first)["admin_graphql_api_id"], "UPS", "1ZCOMB0001")
    shop.wait_order(first, lambda o: o["fulfillment_status"] == "fulfilled")
    assert [m for m in history(shop, first, "shipped") if package in m], history(
        shop, first, "shipped"
    )
    for order_id in (first, second):  # one parcel: both orders are on their way
        tiktok = shop.tiktok_order(order_id)
        assert tiktok["status"] == "IN_TRANSIT"
        assert {li["tracking_number"] for li in tiktok["line_items"]} == {"1ZCOMB0001"}

    shop.fulfil(shop.shopify_order(second)["admin_graphql_api_id"], "UPS", "1ZCOMB0002")
    done = shop.wait_order(second, lambda o: o["fulfillment_status"] == "fulfilled")
    assert done["fulfillment_error"] is None
    # Nothing was shipped again: no package in the second shipment, tracking unchanged.
    assert [m for m in history(shop, second, "shipped") if "package(s) -" in m], history(
        shop, second, "shipped"
    )
    assert {li["tracking_number"] for li in shop.tiktok_order(second)["line_items"]} == {
        "1ZCOMB0001"
    }


def test_tracking_edited_after_shipping_updates_the_tiktok_package(shop) -> None:  # type: ignore[no-untyped-def]
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    order_id = shop.place(
        {"variant": 0, "quantity": 1}, {"variant": 1, "quantity": 1}, packages=[[0], [1]]
    )
    shop.wait_order(order_id, relayed)
    created = shop.shopify_order(order_id)
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1ZOLD00001")
    shipped = shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    assert shipped["fulfillment_status"] == "fulfilled", shipped
    packages = {li["package_id"] for li in shop.tiktok_order(order_id)["line_items"]}
    assert len(packages) == 2
    [fulfillment] = shop.shopify_order(order_id)["fulfillments"]

    shop.http.post(
        f"{shop.shopify}/fulfillments/tracking",
        json={
            "fulfillment_id": fulfillment["admin_graphql_api_id"],
            "company": "UPS",
            "number": "1ZNEW00002",
        },
    ).raise_for_status()
    tiktok = shop.poll(
        lambda: shop.tiktok_order(order_id),
        lambda o: {li["tracking_number"] for li in o["line_items"]} == {"1ZNEW00002"},
    )
    assert {li["tracking_number"] for li in tiktok["line_items"]} == {"1ZNEW00002"}
    assert {li["package_id"] for li in tiktok["line_items"]} == packages  # same packages
    assert {li["shipping_provider_id"] for li in tiktok["line_items"]} == {UPS}
    updated = shop.poll(lambda: history(shop, order_id, "tracking_updated"), lambda h: len(h) == 1)
    assert len(updated) == 1, updated
    assert "1ZNEW00002" in updated[0], updated
    assert shop.order(order_id)["fulfillment_error"] is None
