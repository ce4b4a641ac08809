"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's second recommendation).

Hashing is deliberately slow CPU work, so it runs on a worker thread, never on the event loop.
"""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4
# The hash of a random password nobody knows, made with the same parameters: checking against
# it costs what checking a real user's hash costs (a literal, so no first call pays twice).
_STAND_IN = "$argon2id$v=19$m=65536,t=3,p=4$jdFCl1MLH8zSfIKFUYYMTQ$CzEoABdS4pJRgQgoA91TbrEr2BWmBI+lhQGrzlzcwSc"


async def hash_password(password: str) -> str:
    """The stored form of a password (salted; the parameters are in the string)."""
    return await asyncio.to_thread(_HASHER.hash, password)


async def password_matches(stored: str | None, password: str) -> bool:
    """Whether `password` is the one `stored` was made from. With no user (`stored` None) the
    same work is done against a stand-in hash, so an unknown email costs what a wrong password
    costs and the answer's timing does not tell them apart."""
    return await asyncio.to_thread(_verify, stored, password)


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _STAND_IN, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
