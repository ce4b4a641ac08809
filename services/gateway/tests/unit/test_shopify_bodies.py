"""Shopify webhook bodies are parsed by bounded models: another shape is refused, not crashed on."""

from datetime import UTC, datetime

import pytest
from gateway.core.shopify_bodies import (
    BulkOperationBody,
    FulfillmentBody,
    OrderCancelBody,
    ProductBody,
    RefundBody,
    aware,
    instant,
)
from pydantic import ValidationError


@pytest.mark.parametrize(
    ("model", "body"),
    [
        (ProductBody, {"id": "9" * 1000}),
        (BulkOperationBody, {"id": 1, "status": ["completed"]}),
        (OrderCancelBody, {"id": 1, "cancelled_at": "yesterday"}),
        (FulfillmentBody, {"id": 1, "line_items": [{"quantity": 1}] * 1001}),
        (FulfillmentBody, {"id": 1, "line_items": ["x"]}),
        (RefundBody, {"id": 1, "refund_line_items": [{"quantity": -1}]}),
    ],
)
def test_a_body_outside_the_bounds_is_refused(model: type[ProductBody], body: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(ValidationError):
        model.model_validate(body)


def test_numeric_ids_stay_exact_and_become_gids() -> None:
    body = ProductBody.model_validate({"id": 2**63 - 1})
    assert body.gid("Product") == f"gid://shopify/Product/{2**63 - 1}"
    assert (
        ProductBody.model_validate({"admin_graphql_api_id": "gid://shopify/Product/5"}).gid(
            "Product"
        )
        == "gid://shopify/Product/5"
    )


def test_a_body_without_any_id_names_the_missing_field() -> None:
    with pytest.raises(ValueError, match="admin_graphql_api_id"):
        OrderCancelBody.model_validate({}).gid("Order")


def test_times_without_offset_are_utc_and_missing_ones_fall_back() -> None:
    delivered = datetime(2026, 1, 2, tzinfo=UTC)
    assert instant(datetime(2026, 1, 1, 12), None) == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert instant(None, delivered) == delivered
    assert instant(None, None) is None
    assert aware(None, None).tzinfo is not None
