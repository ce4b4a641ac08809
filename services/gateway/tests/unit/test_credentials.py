"""Session ids, CSRF tokens and personal API tokens: random, recognisable, stored as hashes."""

import hashlib

from gateway.core.credentials import (
    API_TOKEN_PREFIX,
    MIN_PASSWORD_LENGTH,
    looks_like_api_token,
    new_api_token,
    normalized_email,
    password_problem,
    random_secret,
    secret_hash,
)
from hypothesis import given
from hypothesis import strategies as st


def test_a_new_api_token_has_the_prefix_and_256_random_bits() -> None:
    token = new_api_token()
    assert token.startswith(API_TOKEN_PREFIX)
    assert len(token) == len(API_TOKEN_PREFIX) + 43  # 32 bytes, URL-safe base64 unpadded
    assert looks_like_api_token(token)


def test_new_secrets_are_never_repeated() -> None:
    assert len({random_secret() for _ in range(1000)}) == 1000
    assert len({new_api_token() for _ in range(1000)}) == 1000


@given(st.text(max_size=80))
def test_only_the_token_shape_looks_like_a_token(value: str) -> None:
    shaped = value.startswith(API_TOKEN_PREFIX) and len(value) == len(API_TOKEN_PREFIX) + 43
    if not shaped:
        assert not looks_like_api_token(value)


def test_a_token_with_a_character_outside_url_safe_base64_is_not_a_token() -> None:
    token = new_api_token()
    assert not looks_like_api_token(token[:-1] + "=")
    assert not looks_like_api_token(token + "\n")
    assert not looks_like_api_token(token.replace(API_TOKEN_PREFIX, "tsc_xxx_"))


@given(st.text(min_size=1), st.text(min_size=1))
def test_the_stored_form_is_the_sha256_and_tells_secrets_apart(a: str, b: str) -> None:
    assert secret_hash(a) == hashlib.sha256(a.encode()).hexdigest()
    assert secret_hash(a) != a
    assert (secret_hash(a) == secret_hash(b)) == (a == b)


@given(st.text())
def test_a_password_is_refused_only_outside_its_length_bounds(password: str) -> None:
    problem = password_problem(password)
    assert (problem is None) == (MIN_PASSWORD_LENGTH <= len(password) <= 1024)


def test_emails_compare_whatever_their_case_and_surrounding_spaces() -> None:
    assert normalized_email("  Owner@Example.COM ") == "owner@example.com"
