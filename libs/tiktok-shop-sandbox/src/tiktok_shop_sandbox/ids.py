"""Deterministic id factories: TikTok ids are 18-19 digit strings, beyond 2^53 (reference A5)."""

import itertools
import secrets


class IdFactory:
    """Hands out unique numeric-string ids above 2^53, in creation order."""

    def __init__(self, base: int = 7_300_000_000_000_000_000) -> None:
        self._counter = itertools.count(base)

    def next(self) -> str:
        """A new id."""
        return str(next(self._counter))


def opaque(prefix: str, nbytes: int = 18) -> str:
    """A random opaque token (ciphers, access tokens, auth codes)."""
    return prefix + secrets.token_urlsafe(nbytes)
