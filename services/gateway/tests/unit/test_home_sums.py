"""Tops by amount rank on hundredths (ADR 1035): for any amount of at most 2 decimals the
hundredths are exact, so their sums rank keys as the exact amounts do."""

from decimal import Decimal

from gateway.core.home_sums import minor_units
from hypothesis import given
from hypothesis import strategies as st

CENTS = st.integers(min_value=-(10**15), max_value=10**15)


@given(CENTS)
def test_an_amount_of_two_decimals_is_its_hundredths_exactly(cents: int) -> None:
    assert minor_units(Decimal(cents) / 100) == cents
    assert minor_units(Decimal(cents).scaleb(-2)) == cents  # "12.50", not "12.5"


@given(st.lists(CENTS, max_size=20), st.lists(CENTS, max_size=20))
def test_sums_of_hundredths_order_as_the_sums_of_the_amounts(a: list[int], b: list[int]) -> None:
    exact = [sum((Decimal(c) / 100 for c in xs), Decimal(0)) for xs in (a, b)]
    minor = [sum(minor_units(Decimal(c) / 100) for c in xs) for xs in (a, b)]
    assert (exact[0] < exact[1]) == (minor[0] < minor[1])
    assert (exact[0] == exact[1]) == (minor[0] == minor[1])


def test_a_finer_amount_rounds_half_away_from_zero_as_postgresql_does() -> None:
    assert [minor_units(Decimal(x)) for x in ("0.005", "-0.005", "0.004", "1.999")] == [
        1, -1, 0, 200]  # fmt: skip
