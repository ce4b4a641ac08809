"""Fields the services read are typed on the models (shapes as in the API reference, A6)."""

from decimal import Decimal

from tiktok_shop.models.global_products import PublishResult
from tiktok_shop.models.orders import Order
from tiktok_shop.models.products import (
    CategoryRecommendation,
    CategoryRules,
    ListingCheck,
    Product,
)


def test_order_detail_carries_address_package_status_and_seller_shipping_discount() -> None:
    order = Order.model_validate(
        {
            "id": "576461413038785752",
            "status": "AWAITING_SHIPMENT",
            "payment": {"currency": "USD", "shipping_fee_seller_discount": "5000"},
            "recipient_address": {
                "name": "David Kong",
                "postal_code": "95110",
                "region_code": "US",
                "district_info": [{"address_level_name": "City", "address_name": "San Jose"}],
            },
            "line_items": [{"id": "1", "sku_id": "2", "package_status": "TO_FULFILL"}],
        }
    )
    assert order.payment is not None
    assert order.payment.shipping_fee_seller_discount == Decimal("5000")
    assert order.recipient_address is not None
    assert order.recipient_address.district_info[0].address_name == "San Jose"
    assert order.line_items[0].package_status == "TO_FULFILL"
    bare = Order.model_validate({"id": "1", "status": "UNPAID", "payment": {"currency": "USD"}})
    assert bare.recipient_address is None  # not available while UNPAID / ON_HOLD
    assert bare.payment is not None
    assert bare.payment.shipping_fee_seller_discount is None


def test_product_carries_description_images_and_brand() -> None:
    product = Product.model_validate(
        {
            "id": "p1",
            "description": "<p>jar</p>",
            "main_images": [{"uri": "tos-1", "urls": ["https://img"], "height": 600}],
            "brand": {"id": "7082427311584347905", "name": "brand xxx aaa"},
        }
    )
    assert (product.description, [i.uri for i in product.main_images]) == ("<p>jar</p>", ["tos-1"])
    assert product.brand is not None
    assert product.brand.id == "7082427311584347905"


def test_category_rules_and_recommendation_are_typed() -> None:
    rules = CategoryRules.model_validate(
        {
            "size_chart": {"is_supported": True, "is_required": True},
            "responsible_person": {"is_required": True},
        }
    )
    assert rules.size_chart is not None
    assert (rules.size_chart.is_required, rules.responsible_person.is_required) == (True, True)
    assert rules.manufacturer.is_required is False  # not an EU market: no rule sent
    rec = CategoryRecommendation.model_validate(
        {"leaf_category_id": "605254", "categories": [{"id": "605254", "name": "Teas"}]}
    )
    assert [(c.id, c.name) for c in rec.categories] == [("605254", "Teas")]


def test_fail_reasons_are_typed() -> None:
    check = ListingCheck.model_validate(
        {
            "check_result": "FAILED",
            "fail_reasons": [{"code": 12052700, "message": "Product title invalid"}],
        }
    )
    assert [(r.code, r.message) for r in check.fail_reasons] == [
        (12052700, "Product title invalid")
    ]
    published = PublishResult.model_validate(
        {
            "publish_result": [
                {
                    "region": "DE",
                    "status": "FAILED",
                    "fail_reasons": [{"message": "The publish region is inactive."}],
                }
            ]
        }
    )
    assert published.publish_result[0].fail_reasons[0].message == "The publish region is inactive."
