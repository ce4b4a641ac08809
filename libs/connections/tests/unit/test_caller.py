"""The gateway-signed identity: what one signature vouches for, and nothing else (ADR 0820)."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from connector_connections.caller import (
    INLINE_CONNECTIONS,
    VALIDITY,
    Caller,
    CallerRefused,
    _b64,
    _mac,
    sign_caller,
    verify_caller,
)
from hypothesis import given, settings
from hypothesis import strategies as st

KEY = "k" * 32
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
ids = st.text(st.characters(codec="utf-8"), min_size=1, max_size=20)
callers = st.builds(
    Caller,
    account_id=ids,
    user_id=st.none() | ids,
    role=st.sampled_from(["owner", "admin"]),
    connection_ids=st.frozensets(ids, max_size=5),
)
paths = st.text(st.characters(codec="utf-8"), min_size=1, max_size=60).map(lambda p: "/" + p)


@given(callers, st.sampled_from(["GET", "POST", "DELETE"]), paths)
def test_a_signature_vouches_for_its_caller_on_its_request(
    caller: Caller, method: str, path: str
) -> None:
    header = sign_caller(caller, KEY, method, path, NOW)
    assert verify_caller(header, KEY, method, path, NOW + VALIDITY) == caller


@given(callers, paths, paths)
def test_a_signature_opens_no_other_request(caller: Caller, path: str, other: str) -> None:
    header = sign_caller(caller, KEY, "GET", path, NOW)
    if other != path:
        with pytest.raises(CallerRefused) as refused:
            verify_caller(header, KEY, "GET", other, NOW)
        assert refused.value.status == 403
    with pytest.raises(CallerRefused):
        verify_caller(header, KEY, "PUT", path, NOW)


@given(callers, st.integers(min_value=0, max_value=200))
def test_any_changed_character_or_key_is_refused(caller: Caller, at: int) -> None:
    header = sign_caller(caller, KEY, "GET", "/api/v1/orders", NOW)
    i = at % len(header)
    changed = header[:i] + ("A" if header[i] != "A" else "B") + header[i + 1 :]
    with pytest.raises(CallerRefused):
        verify_caller(changed, KEY, "GET", "/api/v1/orders", NOW)
    with pytest.raises(CallerRefused) as refused:
        verify_caller(header, "j" * 32, "GET", "/api/v1/orders", NOW)
    assert (refused.value.status, refused.value.kind) == (401, "signature")


def test_an_expired_or_missing_identity_is_401_naming_why() -> None:
    caller = Caller(account_id="a", role="owner", connection_ids=frozenset({"c"}))
    header = sign_caller(caller, KEY, "GET", "/p", NOW)
    late = NOW + VALIDITY + timedelta(seconds=1)
    with pytest.raises(CallerRefused) as expired:
        verify_caller(header, KEY, "GET", "/p", late)
    assert (expired.value.status, expired.value.kind) == (401, "expired")
    for missing in (None, ""):
        with pytest.raises(CallerRefused) as refused:
            verify_caller(missing, KEY, "GET", "/p", NOW)
        assert (refused.value.status, refused.value.kind) == (401, "missing")
    assert caller.owns("c")
    assert not caller.owns("d")


def _account(n: int) -> Caller:
    """An account of `n` connections with ids shaped as the gateway makes them."""
    conns = frozenset(f"conn_{i:012x}" for i in range(n))
    return Caller(account_id="acct", user_id="u", role="owner", connection_ids=conns)


@settings(max_examples=20)
@given(st.integers(min_value=0, max_value=INLINE_CONNECTIONS))
def test_an_account_of_few_connections_carries_them_in_the_header(n: int) -> None:
    caller = _account(n)
    verified = verify_caller(sign_caller(caller, KEY, "GET", "/p", NOW), KEY, "GET", "/p", NOW)
    assert verified == caller
    assert not verified.connections_in_replica


@settings(max_examples=20)
@given(st.integers(min_value=INLINE_CONNECTIONS + 1, max_value=1000))
def test_a_large_account_is_signed_without_its_ids_and_the_header_stays_small(n: int) -> None:
    caller = _account(n)
    header = sign_caller(caller, KEY, "GET", "/api/v1/orders", NOW)
    assert len(header) < 400  # whatever the account's size (ADR 0840)
    verified = verify_caller(header, KEY, "GET", "/api/v1/orders", NOW)
    assert verified.connections_in_replica
    assert verified.connection_ids == frozenset()  # the service fills them from its replica
    assert not verified.owns("conn_000000000000")
    assert (verified.account_id, verified.user_id, verified.role) == ("acct", "u", "owner")


def test_the_header_size_at_the_inline_limit_and_past_it() -> None:
    """The figures ADR 0840 quotes: the largest inline header, and any larger account's."""
    at_limit = len(sign_caller(_account(INLINE_CONNECTIONS), KEY, "GET", "/api/v1/orders", NOW))
    past = [len(sign_caller(_account(n), KEY, "GET", "/api/v1/orders", NOW)) for n in (65, 500)]
    print(f"identity header: {INLINE_CONNECTIONS} connections {at_limit} B; 65 and 500: {past}")
    assert at_limit < 2048
    assert past[0] == past[1]  # the size no longer depends on the number of connections


def test_a_replica_flag_among_the_claims_is_not_believed() -> None:
    """Only a signed null id list sends the service to its replica: a flag in the claims (even
    signed) is overridden by the ids that are there."""
    claims = {
        "account_id": "acct", "user_id": None, "role": "owner", "connection_ids": ["c1"],
        "connections_in_replica": True, "method": "GET", "path": "/p",
        "expires": int((NOW + VALIDITY).timestamp()),
    }  # fmt: skip
    payload = _b64(json.dumps(claims).encode())
    verified = verify_caller(f"v1.{payload}.{_mac(KEY, payload)}", KEY, "GET", "/p", NOW)
    assert verified.connections_in_replica is False
    assert verified.connection_ids == frozenset({"c1"})
