"""The account's email notification settings (the guide's "Email Notification"): on/off for
every connection, and up to five "Send emails to" addresses, pre-filled with the owner's
(ADR 0830). Scoped to the caller's account; with login off, the bootstrap account."""

import structlog
from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field

from gateway.api.auditing import audit_request
from gateway.api.deps import Db
from gateway.api.identity import gated_identity
from gateway.core.credentials import normalized_email
from gateway.core.notifications import MAX_RECIPIENTS, Recipients, recipient_problems
from gateway.notification_store import recipients_of, save_recipients

log = structlog.get_logger()

router = APIRouter(prefix="/api/v1/notifications", tags=["notifications"])

BOOTSTRAP_ACCOUNT = "bootstrap"


class NotificationSettings(BaseModel):
    """Whether the account gets email notifications, and where they go."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(description="On: notifications are mailed; off: none is.")
    send_emails_to: list[str] = Field(
        description=f"Up to {MAX_RECIPIENTS} addresses (without saved settings: the owner's).",
        max_length=50,  # a bound on the body; the real limit is checked with a reason below
    )


def _account(request: Request) -> str:
    identity = gated_identity(request)
    return identity.account_id if identity else BOOTSTRAP_ACCOUNT


def _view(recipients: Recipients) -> NotificationSettings:
    return NotificationSettings(enabled=recipients.enabled, send_emails_to=list(recipients.emails))


@router.get("/settings", response_model=NotificationSettings)
async def get_settings(request: Request, db: Db) -> NotificationSettings:
    """The account's notification settings."""
    return _view(await recipients_of(db, _account(request)))


@router.put(
    "/settings",
    response_model=NotificationSettings,
    responses={422: {"description": "An address is malformed or repeated, or more than five"}},
)
async def put_settings(
    body: NotificationSettings, request: Request, db: Db
) -> NotificationSettings:
    """Replace the account's notification settings."""
    emails = [e.strip() for e in body.send_emails_to]
    problems = recipient_problems(emails)
    if body.enabled and not emails:
        problems.append("at least one address is needed while notifications are on")
    if problems:
        raise HTTPException(422, {"problems": problems})
    account_id = _account(request)
    recipients = Recipients(enabled=body.enabled, emails=tuple(map(normalized_email, emails)))
    identity = gated_identity(request)
    async with db.transaction():
        await save_recipients(db, account_id, recipients)
        if identity is not None:
            detail = {"enabled": str(body.enabled), "recipients": str(len(emails))}
            await audit_request(db, identity, request, "notifications.changed", None, detail)
    log.info(
        "notifications.settings_changed", account_id=account_id, enabled=body.enabled,
        recipients=len(emails),
    )  # fmt: skip
    return _view(recipients)
