"""Invitation and password-reset links: usable once, for their own purpose, until they expire."""

from datetime import UTC, datetime, timedelta

from gateway.core.one_time_links import LinkPurpose, StoredLink, expiry, link_url, usable
from hypothesis import given
from hypothesis import strategies as st

T = datetime(2027, 1, 1, tzinfo=UTC)
offsets = st.integers(min_value=-10_000, max_value=10_000).map(lambda s: T + timedelta(seconds=s))


def link(
    purpose: LinkPurpose = LinkPurpose.INVITATION,
    expires_at: datetime = T + timedelta(hours=1),
    used_at: datetime | None = None,
) -> StoredLink:
    return StoredLink(user_id="u1", purpose=purpose, expires_at=expires_at, used_at=used_at)


def test_a_fresh_link_of_its_own_purpose_is_usable() -> None:
    assert usable(link(), LinkPurpose.INVITATION, T)


def test_an_unknown_link_is_not_usable() -> None:
    assert not usable(None, LinkPurpose.INVITATION, T)


def test_an_invitation_does_not_reset_a_password() -> None:
    assert not usable(link(), LinkPurpose.PASSWORD_RESET, T)


def test_a_used_link_is_not_usable_again() -> None:
    assert not usable(link(used_at=T - timedelta(seconds=1)), LinkPurpose.INVITATION, T)


def test_a_link_stops_working_at_its_expiry() -> None:
    made = link(expires_at=expiry(T, 3600))
    assert usable(made, LinkPurpose.INVITATION, T + timedelta(seconds=3599))
    assert not usable(made, LinkPurpose.INVITATION, T + timedelta(seconds=3600))


@given(
    purpose=st.sampled_from(LinkPurpose),
    asked=st.sampled_from(LinkPurpose),
    expires_at=offsets,
    used_at=st.none() | offsets,
    now=offsets,
)
def test_a_link_is_usable_exactly_when_unused_unexpired_and_of_the_asked_purpose(
    purpose: LinkPurpose,
    asked: LinkPurpose,
    expires_at: datetime,
    used_at: datetime | None,
    now: datetime,
) -> None:
    stored = link(purpose, expires_at, used_at)
    expected = purpose == asked and used_at is None and now < expires_at
    assert usable(stored, asked, now) is expected


def test_each_purpose_opens_its_own_console_page_with_the_secret() -> None:
    assert link_url("https://c.example/", LinkPurpose.INVITATION, "s3") == (
        "https://c.example/#/accept-invitation?token=s3"
    )
    assert link_url("https://c.example", LinkPurpose.PASSWORD_RESET, "s3") == (
        "https://c.example/#/reset-password?token=s3"
    )
