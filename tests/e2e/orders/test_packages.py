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


NFE = b'<?xml version="1.0"?><nfeProc xmlns="http://www.portalfiscal.inf.br/nfe" versao="4.00"/>'
NOT_NFE = b"<?xml version='1.0'?><receipt><total>10.00</total></receipt>"


def invoices(shop, **params: Any) -> Json:  # type: ignore[no-untyped-def]
    """The connection's invoice rows and counts (through the gateway)."""
    response = shop.http.get(
        f"{shop.api}/order-invoices",
        params={"connection_id": shop.merchant.connection_id, **params},
    )
    result: Json = response.raise_for_status().json()
    return result


def invoice_status(shop, order_id: str, package_id: str) -> str:  # type: ignore[no-untyped-def]
    rows = invoices(shop)["invoices"]
    [row] = [r for r in rows if (r["tiktok_order_id"], r["package_id"]) == (order_id, package_id)]
    return str(row["status"])


def upload(shop, order_id: str, package_id: str, content: bytes, name: str = "nfe.xml"):  # type: ignore[no-untyped-def]
    return shop.http.post(
        f"{shop.api}/order-invoices/{order_id}/{package_id}",
        files={"file": (name, content, "application/xml")},
    )


def test_brazil_split_packages_each_need_an_invoice_before_the_fulfilment_ships(
    brazil_shop,
) -> None:  # type: ignore[no-untyped-def]
    """Guide: "Upload Invoice (Only for Brazil Market)": Invoice Status, Show Pending Invoice,
    single and bulk upload, split shipment (one invoice per package); fulfilment waits."""
    shop = brazil_shop
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    order_id = shop.place(
        {"variant": 0, "quantity": 1}, {"variant": 1, "quantity": 1}, packages=[[0], [1]]
    )
    shop.wait_order(order_id, relayed)
    first, second = (p["id"] for p in shop.tiktok_order(order_id)["packages"])
    listed = invoices(shop)
    assert {(r["package_id"], r["status"]) for r in listed["invoices"]} == {
        (first, "NEED_INVOICE"),
        (second, "NEED_INVOICE"),
    }
    assert (listed["counts"]["need_invoice"], listed["counts"]["pending"]) == (2, 2)
    page = shop.orders(state="pending_invoice")
    assert [o["tiktok_order_id"] for o in page["orders"]] == [order_id]
    assert page["counts"]["pending_invoice"] == 1

    # The merchant fulfils in Shopify: TikTok would refuse the packages, so the shipment waits.
    created = shop.shopify_order(order_id)
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1ZBR0001")
    held = shop.wait_order(order_id, lambda o: bool(o["fulfillment_error"]))
    assert "Waiting for the invoice" in held["fulfillment_error"], held
    assert first in held["fulfillment_error"]
    assert second in held["fulfillment_error"]
    assert shop.tiktok_order(order_id)["status"] == "AWAITING_SHIPMENT"

    # Bad files are a clear 4xx and change nothing.
    too_big = b"<a>" + b" " * (1024 * 1024) + b"</a>"
    assert upload(shop, order_id, first, too_big).status_code == 422
    assert upload(shop, order_id, first, b"not xml").status_code == 422
    assert upload(shop, order_id, "42", NFE).status_code == 404

    # An invoice TikTok cannot validate fails with a reason and is pending again.
    accepted = upload(shop, order_id, first, NOT_NFE)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "PROCESSING"
    shop.poll(lambda: invoice_status(shop, order_id, first), lambda s: s == "FAILED")
    pending = invoices(shop, pending=True)
    assert {r["package_id"] for r in pending["invoices"]} == {first, second}
    [failed] = [r for r in pending["invoices"] if r["package_id"] == first]
    assert "could not validate" in failed["reason"]
    assert upload(shop, order_id, first, NFE).status_code == 200
    shop.poll(lambda: invoice_status(shop, order_id, first), lambda s: s == "SUCCESS")
    assert shop.tiktok_order(order_id)["status"] == "AWAITING_SHIPMENT"  # the second waits

    # Bulk upload: files are matched to packages by name; one that matches none is refused.
    bulk = shop.http.post(
        f"{shop.api}/order-invoices/bulk",
        params={"connection_id": shop.merchant.connection_id},
        files=[
            ("files", (f"NFe-{second}.xml", NFE, "application/xml")),
            ("files", ("unnamed.xml", NFE, "application/xml")),
        ],
    )
    assert bulk.status_code == 200, bulk.text
    result = bulk.json()
    assert [r["package_id"] for r in result["uploaded"]] == [second]
    assert [r["file_name"] for r in result["refused"]] == ["unnamed.xml"]
    task = shop.poll(
        lambda: shop.http.get(f"{shop.api}/tasks/{result['task_id']}"),
        lambda r: r.status_code == 200 and r.json()["status"] == "completed",
    ).json()
    assert (task["type"], task["done"], task["failed"]) == ("invoice_upload", 1, 1)

    # Both verified: the held fulfilment ships on TikTok.
    shipped = shop.wait_order(order_id, lambda o: o["fulfillment_status"] == "fulfilled")
    assert shipped["fulfillment_error"] is None
    tiktok = shop.tiktok_order(order_id)
    assert tiktok["status"] == "IN_TRANSIT"
    assert {line["tracking_number"] for line in tiktok["line_items"]} == {"1ZBR0001"}
    assert shop.orders(state="pending_invoice")["counts"]["pending_invoice"] == 0
    assert invoices(shop, pending=True)["counts"] == {
        "need_invoice": 0,
        "processing": 0,
        "success": 2,
        "failed": 0,
        "pending": 0,
    }


def test_brazil_combined_package_needs_one_invoice_per_order(brazil_shop) -> None:  # type: ignore[no-untyped-def]
    """Guide: "Upload Invoice (Only for Brazil Market)", Handling Special Cases: combined
    shipment, an invoice for each order."""
    shop = brazil_shop
    shop.put_settings(shipping_provider_map={"UPS": UPS}).raise_for_status()
    orders = [shop.place({"variant": v, "quantity": 1}) for v in (0, 1)]
    for order_id in orders:
        shop.wait_order(order_id, relayed)
    combined = shop.http.post(f"{shop.tiktok}/packages/combine", json={"order_ids": orders})
    package = combined.raise_for_status().json()["package_id"]
    rows = shop.poll(
        lambda: invoices(shop)["invoices"],
        lambda rs: (
            {(r["tiktok_order_id"], r["package_id"]) for r in rs} == {(o, package) for o in orders}
        ),
    )
    assert {r["status"] for r in rows} == {"NEED_INVOICE"}
    first, second = orders
    bulk = shop.http.post(
        f"{shop.api}/order-invoices/bulk",
        params={"connection_id": shop.merchant.connection_id},
        files=[
            ("files", (f"{package}.xml", NFE, "application/xml")),
            ("files", (f"{package}-{first}.xml", NFE, "application/xml")),
        ],
    ).json()
    assert "name the order id" in bulk["refused"][0]["reason"]
    assert [r["tiktok_order_id"] for r in bulk["uploaded"]] == [first]
    shop.poll(lambda: invoice_status(shop, first, package), lambda s: s == "SUCCESS")

    # Fulfilling the first order ships the package of both: it waits for the second invoice.
    created = shop.shopify_order(first)
    shop.fulfil(created["admin_graphql_api_id"], "UPS", "1ZBR0002")
    held = shop.wait_order(first, lambda o: bool(o["fulfillment_error"]))
    assert f"{package} (NEED_INVOICE)" in held["fulfillment_error"]
    assert upload(shop, second, package, NFE).status_code == 200
    shop.wait_order(first, lambda o: o["fulfillment_status"] == "fulfilled")
    assert {shop.tiktok_order(o)["status"] for o in orders} == {"IN_TRANSIT"}
