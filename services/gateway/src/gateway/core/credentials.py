"""Identities and the secrets that prove them: session ids, CSRF tokens, personal API tokens.

Each secret carries 256 random bits, so one SHA-256 is all the stored form needs (a slow hash
is for low-entropy passwords only); the plain value is handed out once and never stored.
"""

import hashlib
import re
import secrets
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

# A recognisable prefix lets secret scanners (and people) tell a leaked token for what it is.
API_TOKEN_PREFIX = "tsc_pat_"
_API_TOKEN = re.compile(rf"^{API_TOKEN_PREFIX}[A-Za-z0-9_-]{{43}}$")
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; a bound keeps a login request cheap
# The shape of an email only (one @, a dot in the domain): delivering mail proves the rest.
EMAIL_SHAPE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MAX_EMAIL_LENGTH = 320


class Role(StrEnum):
    """What a user may do in its account (the guide's User Management)."""

    OWNER = "owner"
    ADMIN = "admin"


class Identity(BaseModel):
    """Who a request is from: the account, the user and its role."""

    model_config = ConfigDict(frozen=True)

    account_id: str
    user_id: str
    role: Role


def random_secret() -> str:
    """256 random bits, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    """A personal API token, shown to its user once."""
    return API_TOKEN_PREFIX + random_secret()


def looks_like_api_token(value: str) -> bool:
    """Whether `value` has the shape of a personal API token (checked before any lookup)."""
    return _API_TOKEN.fullmatch(value) is not None


def secret_hash(secret: str) -> str:
    """The stored form of a session id or API token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"a password has at most {MAX_PASSWORD_LENGTH} characters"
    return None


def looks_like_email(email: str) -> bool:
    """Whether `email` has the shape of an address (see EMAIL_SHAPE)."""
    return len(email) <= MAX_EMAIL_LENGTH and re.match(EMAIL_SHAPE, email) is not None


def normalized_email(email: str) -> str:
    """The form emails are compared and stored in (one user per address, whatever its case)."""
    return email.strip().lower()
