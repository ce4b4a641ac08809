"""Passwords: argon2id hashes, and an unknown user costs the same check as a wrong password."""

from argon2 import PasswordHasher
from gateway import passwords
from gateway.passwords import hash_password, password_matches


async def test_a_password_matches_its_argon2id_hash_only() -> None:
    stored = await hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$")
    assert await password_matches(stored, "correct horse battery staple")
    assert not await password_matches(stored, "correct horse battery stapler")


async def test_no_user_never_matches_and_is_checked_with_the_parameters_of_a_real_hash() -> None:
    assert not await password_matches(None, "")
    assert not await password_matches(None, "correct horse battery staple")
    hasher = PasswordHasher()
    assert not hasher.check_needs_rehash(passwords._STAND_IN)  # same cost as a new hash


async def test_a_corrupt_stored_hash_is_a_refusal_not_an_error() -> None:
    assert not await password_matches("not-a-hash", "anything")
