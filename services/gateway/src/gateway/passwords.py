"""Password hashing with argon2id (argon2-cffi's defaults, RFC 9106's second recommendation).

Hashing is deliberately slow CPU work, so it runs on a worker thread, never on the event loop.
"""

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()  # argon2id, t=3, m=64 MiB, p=4


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
        return _HASHER.verify(stored or _stand_in_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


@cache
def _stand_in_hash() -> str:
    return _HASHER.hash("no user has this password: it only costs the same work")
