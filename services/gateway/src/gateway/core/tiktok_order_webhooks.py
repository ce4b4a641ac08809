"""TikTok order webhooks beyond status (reference A8): recipient address (3), packages (4),
cancellations (11), returns (12), Brazil invoices (36)."""

from collections.abc import Sequence
from datetime import UTC, datetime

from connector_contracts import (
    Event,
    OrderAddressChanged,
    OrderCancellationChanged,
    OrderInvoiceChanged,
    OrderPackagesChanged,
    OrderReturnChanged,
    PackageOrders,
)
from tiktok_shop.webhook_events import (
    CancellationStatusChange,
    InvoiceStatusChange,
    PackageUpdate,
    RecipientAddressUpdate,
    ReturnStatusChange,
    Webhook,
)

RECIPIENT_ADDRESS_UPDATE = 3
PACKAGE_UPDATE = 4
CANCELLATION_STATUS_CHANGE = 11
RETURN_STATUS_CHANGE = 12
INVOICE_STATUS_CHANGE = 36


def _at(seconds: int, webhook: Webhook) -> datetime:
    return datetime.fromtimestamp(seconds or webhook.timestamp, UTC)


def to_address_changed(webhook: Webhook) -> Sequence[Event]:
    """Type 3: the buyer corrected the address before shipment."""
    data = webhook.typed_data()
    assert isinstance(data, RecipientAddressUpdate)
    return [
        OrderAddressChanged(
            tiktok_order_id=data.order_id,
            tiktok_shop_id=webhook.shop_id,
            updated_at=_at(data.update_time, webhook),
        )
    ]


def to_cancellation_changed(webhook: Webhook) -> Sequence[Event]:
    """Type 11; the status is already in the API spelling (CANCELLED -> CANCEL, reference D1)."""
    data = webhook.typed_data()
    assert isinstance(data, CancellationStatusChange)
    return [
        OrderCancellationChanged(
            tiktok_order_id=data.order_id,
            tiktok_shop_id=webhook.shop_id,
            cancel_id=data.cancel_id,
            cancel_status=data.cancel_status,
            role=data.cancellations_role,
            updated_at=_at(data.create_time, webhook),
        )
    ]


def to_return_changed(webhook: Webhook) -> Sequence[Event]:
    """Type 12."""
    data = webhook.typed_data()
    assert isinstance(data, ReturnStatusChange)
    return [
        OrderReturnChanged(
            tiktok_order_id=data.order_id,
            tiktok_shop_id=webhook.shop_id,
            return_id=data.return_id,
            return_status=data.return_status,
            return_type=data.return_type,
            role=data.return_role,
            updated_at=_at(data.update_time, webhook),
        )
    ]


def to_packages_changed(webhook: Webhook) -> Sequence[Event]:
    """Type 4: split / combined packages (ids may arrive as numbers: kept as strings)."""
    data = webhook.typed_data()
    assert isinstance(data, PackageUpdate)
    packages = [
        PackageOrders(package_id=p.package_id, tiktok_order_ids=p.order_id_list)
        for p in data.package_list
        if p.package_id
    ]
    if not packages:
        raise ValueError("package_list holds no package_id")
    return [
        OrderPackagesChanged(
            tiktok_shop_id=webhook.shop_id,
            change=data.sc_type,
            packages=packages,
            updated_at=_at(data.update_time, webhook),
        )
    ]


def to_invoice_changed(webhook: Webhook) -> Sequence[Event]:
    """Type 36: the outcome of an uploaded invoice (the webhook has no time: its envelope's)."""
    data = webhook.typed_data()
    assert isinstance(data, InvoiceStatusChange)
    if not data.order_ids:
        raise ValueError("order_ids is empty")
    return [
        OrderInvoiceChanged(
            tiktok_shop_id=webhook.shop_id,
            package_id=data.package_id,
            tiktok_order_ids=data.order_ids,
            invoice_status=data.invoice_status,
            invalid_reason=data.invalid_reason,
            updated_at=_at(0, webhook),
        )
    ]
