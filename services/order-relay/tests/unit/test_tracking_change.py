"""Tracking edits of an already shipped fulfilment (fulfillments/update)."""

from order_relay.core.decisions import TrackingChange, tracking_change


def test_a_new_tracking_number_updates_every_shipped_package() -> None:
    change = tracking_change(["P1", "P2"], "1Z1", "UPS-ID", ["1Z2"], "UPS-ID")
    assert change == TrackingChange(("P1", "P2"), "1Z2", "UPS-ID")


def test_a_new_carrier_alone_is_an_update_and_no_carrier_keeps_the_shipped_one() -> None:
    assert tracking_change(["P1"], "1Z1", "UPS-ID", ["1Z1"], "USPS-ID") == TrackingChange(
        ("P1",), "1Z1", "USPS-ID"
    )
    assert tracking_change(["P1"], "1Z1", "UPS-ID", ["1Z9"], None) == TrackingChange(
        ("P1",), "1Z9", "UPS-ID"
    )


def test_unchanged_missing_tracking_or_no_package_is_nothing_to_do() -> None:
    assert tracking_change(["P1"], "1Z1", "UPS-ID", ["1Z1"], "UPS-ID") is None  # redelivery
    assert tracking_change(["P1"], "1Z1", "UPS-ID", [], "UPS-ID") is None
    assert tracking_change([], "1Z1", "UPS-ID", ["1Z2"], "UPS-ID") is None  # shipped elsewhere
