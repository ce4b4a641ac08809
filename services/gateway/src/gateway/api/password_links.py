"""Setting a password by a mailed link: accepting an invitation, and the password reset
(`/api/v1/auth`, no login needed: the link's secret is the credential; ADR 0810)."""

from typing import Annotated

import structlog
from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, StringConstraints

from gateway.account_store import AuditEntry, User, audit, user_by_email
from gateway.api.auditing import client_address
from gateway.api.deps import Db, DepsDep
from gateway.core.credentials import MAX_PASSWORD_LENGTH, normalized_email, password_problem
from gateway.core.one_time_links import UNUSABLE, LinkPurpose
from gateway.metrics import PASSWORD_LINKS
from gateway.user_links import LinkUnusable, follow_link, mail_password_reset

log = structlog.get_logger()

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])

Secret = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Password = Annotated[str, StringConstraints(min_length=1, max_length=MAX_PASSWORD_LENGTH)]


class NewPassword(BaseModel):
    """The secret of a mailed link (its `token` parameter) and the password to set."""

    token: Secret
    password: Password


class ResetRequest(BaseModel):
    """The email of the login whose password is forgotten."""

    email: Annotated[str, StringConstraints(min_length=3, max_length=320)]


_LINK_RESPONSES: dict[int | str, dict[str, str]] = {
    400: {"description": UNUSABLE},
    422: {"description": "The password is refused (too short or too long)"},
}


@router.post(
    "/accept-invitation",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_LINK_RESPONSES,
)
async def accept_invitation(body: NewPassword, request: Request, db: Db, deps: DepsDep) -> Response:
    """Set the first password with the invitation's link; then log in as usual."""
    await _follow(db, deps, request, LinkPurpose.INVITATION, body)
    return Response(status_code=204)


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED, response_class=Response)
async def request_password_reset(
    body: ResetRequest, request: Request, db: Db, deps: DepsDep
) -> Response:
    """Mail a reset link if a user has this email. The answer is 202 either way, so it does
    not tell who has a login."""
    email = normalized_email(body.email)
    async with db.transaction():
        user = await user_by_email(db, email)
        if user is not None and user.disabled:
            user = None  # a disabled user could set a password no login accepts
        if user is not None:
            await mail_password_reset(db, deps.settings, deps.now(), user)
        await audit(db, _entry("password_reset.requested", request, email, user))
    PASSWORD_LINKS.labels(LinkPurpose.PASSWORD_RESET, "mailed" if user else "unknown_email").inc()
    log.info("password_reset.requested", known=user is not None)
    return Response(status_code=202)


@router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=_LINK_RESPONSES,
)
async def confirm_password_reset(
    body: NewPassword, request: Request, db: Db, deps: DepsDep
) -> Response:
    """Set a new password with the reset link: every session of the user ends."""
    await _follow(db, deps, request, LinkPurpose.PASSWORD_RESET, body)
    return Response(status_code=204)


async def _follow(
    db: Db, deps: DepsDep, request: Request, purpose: LinkPurpose, body: NewPassword
) -> None:
    problem = password_problem(body.password)
    if problem is not None:
        raise HTTPException(422, problem)
    try:
        async with db.transaction():
            user_id, account_id = await follow_link(
                db, deps.now(), purpose, body.token, body.password
            )
            entry = AuditEntry(
                actor=user_id, action=f"{purpose}.followed", address=client_address(request),
                account_id=account_id, user_id=user_id,
            )  # fmt: skip
            await audit(db, entry)
    except LinkUnusable:
        PASSWORD_LINKS.labels(purpose, "refused").inc()
        log.warning("link.refused", purpose=purpose, reason=UNUSABLE)
        raise HTTPException(400, UNUSABLE) from None
    PASSWORD_LINKS.labels(purpose, "followed").inc()
    log.info("link.followed", purpose=purpose, user_id=user_id)


def _entry(action: str, request: Request, actor: str, user: User | None) -> AuditEntry:
    return AuditEntry(
        actor=actor,
        action=action,
        address=client_address(request),
        account_id=user.account_id if user else None,
        user_id=user.user_id if user else None,
    )
