"""Logging in and out, who am I, and personal API tokens: `/api/v1/auth` (ADR 0800)."""

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, Field, StringConstraints

from gateway.account_store import (
    ApiToken,
    api_tokens_of,
    end_session,
    revoke_api_token,
    save_api_token,
    save_session,
    user_by_id,
)
from gateway.api.auditing import audit_request, client_address
from gateway.api.deps import Db, DepsDep
from gateway.api.identity import SESSION_COOKIE, Authenticated
from gateway.core.credentials import (
    MAX_PASSWORD_LENGTH,
    Role,
    new_api_token,
    random_secret,
    secret_hash,
)
from gateway.core.login_limits import retry_after_seconds
from gateway.login import LoginLocked, LoginRefused, attempt_login

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

_REFUSED = "wrong email or password"


class Credentials(BaseModel):
    """An email and password to log in with."""

    email: Annotated[str, StringConstraints(min_length=3, max_length=320)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class Me(BaseModel):
    """The logged-in user."""

    user_id: str
    account_id: str
    name: str
    email: str
    role: Role


class LoggedIn(BaseModel):
    """A new session: its cookie is set; unsafe requests with it send `csrf_token` back."""

    csrf_token: str = Field(
        description="Send as the `X-CSRF-Token` header on POST/PUT/PATCH/DELETE."
    )
    expires_at: datetime
    user: Me


class NewApiToken(BaseModel):
    """A personal API token to create."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    expires_in_days: int = Field(default=90, ge=1, description="At most `API_TOKEN_MAX_DAYS`.")


class CreatedApiToken(ApiToken):
    """A token just created: `token` is shown this once and stored only as a hash."""

    token: str = Field(description="`Authorization: Bearer <token>`; it is not shown again.")


@router.post(
    "/login",
    response_model=LoggedIn,
    responses={401: {"description": _REFUSED}, 429: {"description": "Too many failed logins"}},
)
async def login(
    body: Credentials, request: Request, response: Response, db: Db, deps: DepsDep
) -> LoggedIn:
    """Log in with email and password: sets a Secure, HttpOnly, SameSite=Lax session cookie."""
    now, settings, address = deps.now(), deps.settings, client_address(request)
    try:
        user = await attempt_login(db, settings, now, body.email, body.password, address)
    except LoginLocked as locked:
        wait = retry_after_seconds(locked.until, now)
        detail = f"too many failed logins; try again in {wait} seconds"
        raise HTTPException(429, detail, headers={"Retry-After": str(wait)}) from None
    except LoginRefused:
        raise HTTPException(401, _REFUSED) from None
    session, csrf = random_secret(), random_secret()
    expires_at = now + timedelta(seconds=settings.session_lifetime_seconds)
    await save_session(db, secret_hash(session), user.user_id, csrf, expires_at, address)
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=int(settings.session_lifetime_seconds),
        path="/",
        secure=True,
        httponly=True,
        samesite="lax",
    )
    return LoggedIn(csrf_token=csrf, expires_at=expires_at, user=Me(**user.model_dump()))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response)
async def logout(identity: Authenticated, request: Request, db: Db) -> Response:
    """End this browser session (with an API token: nothing to end, the token stays valid)."""
    session = request.cookies.get(SESSION_COOKIE)
    if session is not None:
        await end_session(db, secret_hash(session))
    await audit_request(db, identity, request, "logout")
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    return response


@router.get("/me", response_model=Me, responses={401: {"description": "Not logged in"}})
async def me(identity: Authenticated, db: Db) -> Me:
    """The user the request is from."""
    user = await user_by_id(db, identity.user_id)
    if user is None:  # deleted between authenticating and now
        raise HTTPException(401, "the user no longer exists")
    return Me(**user.model_dump())


@router.post("/tokens", status_code=status.HTTP_201_CREATED, response_model=CreatedApiToken)
async def create_token(
    body: NewApiToken, identity: Authenticated, request: Request, db: Db, deps: DepsDep
) -> CreatedApiToken:
    """Create a personal API token for automation (shown once)."""
    if body.expires_in_days > deps.settings.api_token_max_days:
        limit = deps.settings.api_token_max_days
        raise HTTPException(422, f"expires_in_days is at most {limit}")
    token = new_api_token()
    expires_at = deps.now() + timedelta(days=body.expires_in_days)
    async with db.transaction():
        saved = await save_api_token(
            db, identity.user_id, body.name, secret_hash(token), expires_at
        )
        await audit_request(db, identity, request, "token.created", saved.token_id)
    return CreatedApiToken(**saved.model_dump(), token=token)


@router.get("/tokens", response_model=list[ApiToken])
async def list_tokens(identity: Authenticated, db: Db) -> list[ApiToken]:
    """The user's personal API tokens (never their secrets)."""
    return await api_tokens_of(db, identity.user_id)


@router.delete(
    "/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={404: {"description": "The user has no such token"}},
)
async def revoke_token(
    token_id: str, identity: Authenticated, request: Request, db: Db, deps: DepsDep
) -> Response:
    """Revoke a personal API token: requests with it are 401 from now on."""
    async with db.transaction():
        if not await revoke_api_token(db, identity.user_id, token_id, deps.now()):
            raise HTTPException(404, f"no API token {token_id}")
        await audit_request(db, identity, request, "token.revoked", token_id)
    return Response(status_code=204)
