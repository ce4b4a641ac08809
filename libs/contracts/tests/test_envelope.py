"""Envelopes round-trip through JSON with their concrete payload and lineage."""

from datetime import UTC, datetime
from decimal import Decimal

from connector_contracts import (
    EVENT_TYPES,
    Envelope,
    OrderPaid,
    OrderStatus,
    ProductPushed,
    SkuLink,
    new_envelope,
)


def test_envelope_round_trips_with_its_payload() -> None:
    paid = OrderPaid(
        tiktok_order_id="576653688135258178",
        tiktok_shop_id="1",
        status=OrderStatus.AWAITING_SHIPMENT,
        paid_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    envelope = new_envelope(paid, connection_id="c1", task_id="t1")
    decoded = Envelope[OrderPaid].model_validate_json(envelope.model_dump_json())
    assert decoded == envelope
    assert decoded.type == "order.paid"
    assert decoded.correlation_id == str(envelope.event_id)


def test_money_survives_as_decimal_text() -> None:
    pushed = ProductPushed(
        shopify_product_id="gid://shopify/Product/1",
        tiktok_product_id="7",
        tiktok_status="PENDING",
        created=True,
        skus=[SkuLink(shopify_variant_id="v", tiktok_sku_id="s", price=Decimal("19.90"))],
    )
    json_text = new_envelope(pushed, connection_id="c").model_dump_json()
    assert '"price":"19.90"' in json_text
    assert Envelope[ProductPushed].model_validate_json(json_text).payload.skus[0].price == Decimal(
        "19.90"
    )


def test_additive_fields_from_newer_producers_are_tolerated() -> None:
    paid = OrderPaid(
        tiktok_order_id="1",
        tiktok_shop_id="1",
        status=OrderStatus.ON_HOLD,
        paid_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    data = new_envelope(paid, connection_id="c").model_dump(mode="json")
    data["payload"]["added_in_a_later_version"] = 1
    data["added_too"] = True
    assert Envelope[OrderPaid].model_validate(data).payload == paid


def test_every_registered_type_names_its_own_topic() -> None:
    assert all(event.topic() == name for name, event in EVENT_TYPES.items())
    assert {"product.pulled", "product.pushed", "order.paid", "inventory.changed"} <= set(
        EVENT_TYPES
    )
