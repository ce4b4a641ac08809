"""Orders, packages, cancellations, returns and external references behave like the platform."""

import asyncio
import base64
import json
from decimal import Decimal

import httpx
import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.errors import ApiError
from tiktok_shop.models.fulfillment import Invoice, MarkShipped, SelfShipment, ShipPackage
from tiktok_shop.models.orders import ExternalLineItem, ExternalOrder, ExternalOrderLink
from tiktok_shop.models.returns import SellerReturn
from tiktok_shop.signing import verify_webhook
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import SandboxServer, WebhookReceiver, client_for
from tiktok_shop_sandbox.samples import sample_png, sample_product
from tiktok_shop_sandbox.settings import SandboxSettings

USPS = "6617675021119438849"
LINE = {"sku_id": "1729592969712207012", "price": "10.00", "seller_sku": "RED-M"}


def order_statuses(hooks: WebhookReceiver, order_id: str) -> list[str]:
    return [
        b["data"]["order_status"]
        for b in hooks.bodies()
        if b["type"] == 1 and b["data"]["order_id"] == order_id
    ]


async def test_placed_order_reads_back_with_money_and_one_line_per_unit(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(
        shop.shop_id,
        lines=[LINE | {"quantity": 2, "seller_discount": "1.50", "platform_discount": "0.50"}],
        shipping_fee="4.99",
        tax="1.20",
    )
    [order] = await client.orders.get([placed["id"]])
    assert order.status == "AWAITING_SHIPMENT"
    assert [line.sale_price for line in order.line_items] == [Decimal("8.00")] * 2
    assert order.payment is not None
    assert order.payment.sub_total == Decimal("16.00")
    assert order.payment.total_amount == Decimal("16.00") + Decimal("4.99") + Decimal("1.20")
    assert order.buyer_email.endswith("@scs.tiktokw.us")
    assert int(order.id) > 2**53


async def test_new_order_webhook_is_signed_with_the_app_secret(
    control: SandboxControl, shop: ShopHandle, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, _ = receiver
    placed = await control.place_order(shop.shop_id, status="UNPAID", lines=[LINE])
    [hook] = await hooks.wait_for(lambda got: len(got) == 1)
    assert verify_webhook(shop.app_key, shop.app_secret, hook.body, hook.authorization)
    assert not verify_webhook(shop.app_key, "wrong", hook.body, hook.authorization)
    assert order_statuses(hooks, placed["id"]) == ["UNPAID"]


async def test_cancelled_order_webhook_says_cancel(
    control: SandboxControl, shop: ShopHandle, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, _ = receiver
    placed = await control.place_order(shop.shop_id, status="ON_HOLD", lines=[LINE])
    await control.set_order_status(placed["id"], "CANCELLED")
    await hooks.wait_for(lambda got: len(got) == 2)
    assert order_statuses(hooks, placed["id"]) == ["ON_HOLD", "CANCEL"]


async def test_search_pages_through_every_order_newest_first(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    ids = [
        (await control.place_order(shop.shop_id, lines=[LINE], create_time=1_700_000_000 + i))["id"]
        for i in range(5)
    ]
    first = await client.orders.search(page_size=2)
    seen = [o.id async for o in client.orders.iter_search(page_size=2)]
    assert first.total_count == 5
    assert first.next_page_token
    assert seen == list(reversed(ids))


async def test_shipping_a_seller_package_needs_tracking_then_moves_order_in_transit(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    package_id = placed["packages"][0]["id"]
    with pytest.raises(BusinessError) as missing:
        await client.fulfillment.ship_package(package_id, ShipPackage(handover_method="DROP_OFF"))
    tracking = SelfShipment(tracking_number="9400100000000000000000", shipping_provider_id=USPS)
    await client.fulfillment.ship_package(package_id, ShipPackage(self_shipment=tracking))
    with pytest.raises(BusinessError) as again:
        await client.fulfillment.ship_package(package_id, ShipPackage(self_shipment=tracking))
    [order] = await client.orders.get([placed["id"]])
    package = await client.fulfillment.get_package(package_id)
    assert missing.value.code == 11001002
    assert again.value.code == 11006021
    assert order.status == "IN_TRANSIT"
    assert (package.tracking_number, package.shipping_provider_id) == (
        tracking.tracking_number,
        USPS,
    )


async def test_marking_some_lines_shipped_splits_the_package(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE | {"quantity": 2}])
    first_line = placed["line_items"][0]["id"]
    result = await client.fulfillment.mark_shipped(
        placed["id"],
        MarkShipped(
            tracking_number="1Z999", shipping_provider_id=USPS, order_line_item_ids=[first_line]
        ),
    )
    [order] = await client.orders.get([placed["id"]])
    assert len(order.packages) == 2
    assert result.package_id in {p.id for p in order.packages}
    assert order.status == "PARTIALLY_SHIPPING"


async def test_tracking_of_an_unshipped_package_cannot_be_updated(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    with pytest.raises(BusinessError) as error:
        await client.fulfillment.update_package_shipping_info(
            placed["packages"][0]["id"],
            SelfShipment(tracking_number="X1", shipping_provider_id=USPS),
        )
    assert error.value.code == 21011043


async def test_fbt_orders_cannot_be_shipped_by_the_seller(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, fbt=True, lines=[LINE])
    tracking = SelfShipment(tracking_number="X1", shipping_provider_id=USPS)
    with pytest.raises(BusinessError):
        await client.fulfillment.ship_package(
            placed["packages"][0]["id"], ShipPackage(self_shipment=tracking)
        )
    assert placed["fulfillment_type"] == "FULFILLMENT_BY_TIKTOK"


async def test_combined_package_holds_both_orders_and_ships_them_together(
    control: SandboxControl,
    shop: ShopHandle,
    client: TikTokShopClient,
    receiver: tuple[WebhookReceiver, str],
) -> None:
    hooks, _ = receiver
    first = await control.place_order(shop.shop_id, lines=[LINE])
    second = await control.place_order(shop.shop_id, lines=[LINE | {"quantity": 2}])
    combined = await control.combine_packages(first["id"], second["id"])
    package_id = combined["package_id"]
    orders = await client.orders.get([first["id"], second["id"]])
    assert {line.package_id for o in orders for line in o.line_items} == {package_id}
    assert sum(len(o.line_items) for o in orders) == 3
    got = await hooks.wait_for(lambda got: any(json.loads(h.body)["type"] == 4 for h in got))
    [combine] = [json.loads(h.body)["data"] for h in got if json.loads(h.body)["type"] == 4]
    assert combine["sc_type"] == "COMBINE"
    assert combine["package_list"] == [
        {"package_id": package_id, "order_id_list": [first["id"], second["id"]]}
    ]
    tracking = SelfShipment(tracking_number="9400100000000000000001", shipping_provider_id=USPS)
    await client.fulfillment.ship_package(package_id, ShipPackage(self_shipment=tracking))
    orders = await client.orders.get([first["id"], second["id"]])
    assert {o.id: o.status for o in orders} == {
        first["id"]: "IN_TRANSIT",
        second["id"]: "IN_TRANSIT",
    }


async def test_explicit_split_packages_are_kept(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    other = LINE | {"sku_id": "1729592969712207099", "seller_sku": "BLUE-M"}
    placed = await control.place_order(shop.shop_id, lines=[LINE, other], packages=[[0], [1]])
    [order] = await client.orders.get([placed["id"]])
    assert len(order.packages) == 2
    assert len({line.package_id for line in order.line_items}) == 2


async def test_buyer_cancellation_approved_cancels_the_order_with_webhooks(
    control: SandboxControl,
    shop: ShopHandle,
    client: TikTokShopClient,
    receiver: tuple[WebhookReceiver, str],
) -> None:
    hooks, _ = receiver
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    request = await control.request_cancellation(placed["id"])
    page = await client.returns.search_cancellations({"order_ids": [placed["id"]]})
    await client.returns.approve_cancellation(request["cancel_id"])
    [order] = await client.orders.get([placed["id"]])
    await hooks.wait_for(lambda got: len(got) >= 4)
    cancel_statuses = [b["data"]["cancel_status"] for b in hooks.bodies() if b["type"] == 11]
    assert [c.cancel_status for c in page.items] == ["CANCELLATION_REQUEST_PENDING"]
    assert order.status == "CANCELLED"
    assert cancel_statuses == ["CANCELLATION_REQUEST_PENDING", "CANCELLATION_REQUEST_SUCCESS"]
    assert order_statuses(hooks, placed["id"]) == ["AWAITING_SHIPMENT", "CANCEL"]


async def test_rejected_cancellation_is_spelled_cancelled_in_the_webhook(
    control: SandboxControl,
    shop: ShopHandle,
    client: TikTokShopClient,
    receiver: tuple[WebhookReceiver, str],
) -> None:
    hooks, _ = receiver
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    request = await control.request_cancellation(placed["id"])
    await client.returns.reject_cancellation(
        request["cancel_id"], "seller_reject_apply_product_has_been_packed"
    )
    await hooks.wait_for(lambda got: sum(json.loads(h.body)["type"] == 11 for h in got) == 2)
    [order] = await client.orders.get([placed["id"]])
    assert order.status == "AWAITING_SHIPMENT"
    assert hooks.bodies()[-1]["data"]["cancel_status"] == "CANCELLATION_REQUEST_CANCELLED"


async def test_seller_cannot_cancel_a_shipped_order(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    await control.set_order_status(placed["id"], "IN_TRANSIT")
    with pytest.raises(BusinessError) as error:
        await client.returns.cancel_order(placed["id"], "seller_cancel_reason_out_of_stock")
    assert error.value.code == 25001045


async def test_seller_cancel_cancels_at_once(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    result = await client.returns.cancel_order(placed["id"], "seller_cancel_reason_out_of_stock")
    [order] = await client.orders.get([placed["id"]])
    assert result.cancel_status == "CANCELLATION_REQUEST_SUCCESS"
    assert (order.status, order.cancellation_initiator) == ("CANCELLED", "SELLER")


async def test_return_and_refund_goes_through_buyer_shipping(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    await control.set_order_status(placed["id"], "DELIVERED")
    request = await control.request_return(placed["id"], return_type="RETURN_AND_REFUND")
    with pytest.raises(BusinessError) as wrong:
        await client.returns.approve_return(request["return_id"], "APPROVE_RECEIVED_PACKAGE")
    await client.returns.approve_return(request["return_id"], "APPROVE_RETURN")
    await control.set_return_status(request["return_id"], "BUYER_SHIPPED_ITEM")
    await client.returns.approve_return(request["return_id"], "APPROVE_RECEIVED_PACKAGE")
    page = await client.returns.search_returns({"order_ids": [placed["id"]]})
    assert wrong.value.code == 25020003
    assert [r.return_status for r in page.items] == ["RETURN_OR_REFUND_REQUEST_SUCCESS"]


async def test_external_order_references_round_trip(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    line_id = placed["line_items"][0]["id"]
    external = ExternalOrder(
        id="5550001",
        platform="SHOPIFY",
        line_items=[ExternalLineItem(id=line_id, origin_id="9901")],
    )
    result = await client.orders.add_external_references(
        [
            ExternalOrderLink(id=placed["id"], external_order=external),
            ExternalOrderLink(id="1", external_order=external),
        ]
    )
    refs = await client.orders.external_references(placed["id"])
    assert [e.code for e in result.errors] == [36020001]
    assert [(r.id, r.line_items[0].origin_id) for r in refs] == [("5550001", "9901")]


async def test_on_hold_orders_are_released_to_awaiting_shipment(
    receiver: tuple[WebhookReceiver, str],
) -> None:
    hooks, url = receiver
    settings = SandboxSettings(on_hold_release_seconds=0.2)
    with SandboxServer(settings) as base_url:
        async with SandboxControl(base_url) as control:
            shop = await control.new_shop(url)
            placed = await control.place_order(shop.shop_id, status="ON_HOLD", lines=[LINE])
            await hooks.wait_for(lambda got: len(got) == 2)
    assert order_statuses(hooks, placed["id"]) == ["ON_HOLD", "AWAITING_SHIPMENT"]


NFE = base64.b64encode(b'<nfeProc xmlns="http://www.portalfiscal.inf.br/nfe"/>').decode()
NOT_NFE = base64.b64encode(b"<receipt/>").decode()


async def test_invoices_are_for_brazil_shops_only(
    control: SandboxControl, client: TikTokShopClient, sandbox_url: str
) -> None:
    invoice = Invoice(package_id="1", order_ids=["2"], file=NFE)
    with pytest.raises(BusinessError):
        await client.fulfillment.upload_invoices([invoice])
    brazil = await control.new_shop(region="BR")
    async with client_for(sandbox_url, brazil) as br:
        result = await br.fulfillment.upload_invoices([invoice])
    assert [e.code for e in result.errors] == [10007001]  # not an order of this shop


async def test_a_brazil_package_ships_only_once_its_invoice_is_verified(
    control: SandboxControl, sandbox_url: str, receiver: tuple[WebhookReceiver, str]
) -> None:
    hooks, url = receiver
    brazil = await control.new_shop(url, region="BR")
    placed = await control.place_order(brazil.shop_id, lines=[LINE])
    order_id, package_id = placed["id"], placed["packages"][0]["id"]
    tracking = SelfShipment(tracking_number="BR0001", shipping_provider_id=USPS)
    async with client_for(sandbox_url, brazil) as br:
        [before] = await br.orders.get([order_id])
        with pytest.raises(BusinessError) as held:
            await br.fulfillment.ship_package(package_id, ShipPackage(self_shipment=tracking))
        too_big = base64.b64encode(b"<a>" + b" " * (1024 * 1024) + b"</a>").decode()
        bad = await br.fulfillment.upload_invoices(
            [
                Invoice(package_id=package_id, order_ids=[order_id], file=too_big),
                Invoice(package_id=package_id, order_ids=[order_id], file="bm90IHhtbA=="),
                Invoice(package_id="999", order_ids=[order_id], file=NFE),
            ]
        )
        first = Invoice(package_id=package_id, order_ids=[order_id], file=NOT_NFE)
        assert (await br.fulfillment.upload_invoices([first])).errors == []
        await hooks.wait_for(lambda got: any(json.loads(h.body)["type"] == 36 for h in got))
        fixed = Invoice(package_id=package_id, order_ids=[order_id], file=NFE)
        assert (await br.fulfillment.upload_invoices([fixed])).errors == []
        again = await br.fulfillment.upload_invoices([fixed])
        await hooks.wait_for(lambda got: sum(json.loads(h.body)["type"] == 36 for h in got) == 2)
        await br.fulfillment.ship_package(package_id, ShipPackage(self_shipment=tracking))
        [after] = await br.orders.get([order_id])
    statuses = [
        (b["data"]["invoice_status"], b["data"].get("invalid_reason"))
        for b in hooks.bodies()
        if b["type"] == 36
    ]
    assert before.need_upload_invoice == "NEED_INVOICE"
    assert held.value.code == 21011060
    assert [e.message for e in bad.errors] == [
        "The invoice file exceeds 1MB.",
        "The invoice file is not valid XML.",
        f"Package 999 is not a package of order {order_id}.",
    ]
    assert [e.code for e in again.errors] == [10007014]
    assert statuses == [("FAILED", "FAILED"), ("SUCCESS", None)]
    assert (after.need_upload_invoice, after.status) == ("INVOICE_UPLOADED", "IN_TRANSIT")
    inspected = await control.order(order_id)  # what tests see of TikTok's side
    assert inspected["invoices"] == [{"package_id": package_id, "status": "SUCCESS"}]


async def test_external_order_references_take_at_most_100_orders(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE])
    external = ExternalOrder(id="5550002", platform="SHOPIFY", line_items=[])
    links = [ExternalOrderLink(id=placed["id"], external_order=external)] * 101
    with pytest.raises(ApiError) as refused:
        await client.orders.add_external_references(links)
    assert refused.value.code == 36009004


async def test_concurrent_links_and_details_share_calls(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient
) -> None:
    placed = [await control.place_order(shop.shop_id, lines=[LINE]) for _ in range(3)]
    ids = [p["id"] for p in placed]
    details = await asyncio.gather(*(client.orders.detail(i) for i in ids))
    assert [d.id if d else None for d in details] == ids
    # TikTok refuses a whole detail call for one foreign id: it fails that caller only.
    shared = await asyncio.gather(
        *(client.orders.detail(i) for i in [ids[0], "1", ids[1]]), return_exceptions=True
    )
    assert [type(d).__name__ for d in shared] == ["Order", "BusinessError", "Order"]
    links = [
        ExternalOrderLink(
            id=i, external_order=ExternalOrder(id=f"777{n}", platform="SHOPIFY", line_items=[])
        )
        for n, i in enumerate([*ids, "1"])
    ]
    errors = await asyncio.gather(*(client.orders.add_external_reference(link) for link in links))
    assert [e.code if e else None for e in errors] == [None, None, None, 36020001]
    refs = [await client.orders.external_references(i) for i in ids]
    assert [[r.id for r in ref] for ref in refs] == [["7770"], ["7771"], ["7772"]]


async def test_a_sale_takes_units_off_tiktok_stock_and_a_cancellation_puts_them_back(
    control: SandboxControl, client: TikTokShopClient, shop: ShopHandle
) -> None:
    image = (await client.catalog.upload_image(sample_png())).uri
    created = await client.products.create(sample_product(image, shop.warehouse_id, "SOLD-1"))
    sku_id = created.skus[0].id

    async def stock() -> int:
        return int(
            (await control.product(created.product_id))["skus"][0]["inventory"][0]["quantity"]
        )

    before = await stock()
    placed = await control.place_order(shop.shop_id, lines=[{"sku_id": sku_id, "quantity": 3}])
    sold = await stock()
    await control.set_order_status(placed["id"], "CANCELLED")
    assert (before, sold, await stock()) == (25, 22, 25)


async def test_seller_created_returns_need_tiktoks_approval_and_are_idempotent(
    control: SandboxControl, shop: ShopHandle, client: TikTokShopClient, sandbox_url: str
) -> None:
    placed = await control.place_order(shop.shop_id, lines=[LINE | {"quantity": 2}])
    await control.set_order_status(placed["id"], "DELIVERED")
    [first, second] = [line["id"] for line in placed["line_items"]]
    refund = SellerReturn(
        return_reason="ecom_order_delivered_refund_and_return_reason_damaged_product",
        order_line_item_ids=[first],
        refund_total="10.00",
        currency="USD",
    )
    with pytest.raises(BusinessError) as refused:
        await client.returns.create_return(placed["id"], refund, "k1")
    async with httpx.AsyncClient(base_url=f"{sandbox_url}/_sandbox") as http:
        (await http.post(f"/shops/{shop.shop_id}/return_api_approval", json={})).raise_for_status()
    created = await client.returns.create_return(placed["id"], refund, "k1")
    again = await client.returns.create_return(placed["id"], refund, "k1")
    with pytest.raises(BusinessError) as busy:
        await client.returns.create_return(placed["id"], refund, "k2")
    too_much = refund.model_copy(update={"order_line_item_ids": [second], "refund_total": "11"})
    with pytest.raises(BusinessError) as over:
        await client.returns.create_return(placed["id"], too_much, "k3")
    assert refused.value.code == 25020005
    assert (created.return_status, again.return_id) == (
        "RETURN_OR_REFUND_REQUEST_PENDING",
        created.return_id,
    )
    assert (busy.value.code, over.value.code) == (25001011, 25005005)
