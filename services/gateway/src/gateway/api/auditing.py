"""Writing a request's action to the audit log: who, from which address, on what."""

from fastapi import Request

from gateway.account_store import AuditEntry, audit
from gateway.api.deps import Db
from gateway.core.credentials import Identity


def client_address(request: Request) -> str:
    """The client's address (the TCP peer: a proxy in front must be trusted explicitly
    before X-Forwarded-For is)."""
    return request.client.host if request.client else "unknown"


async def audit_request(
    db: Db,
    identity: Identity,
    request: Request,
    action: str,
    target: str | None = None,
    detail: dict[str, str] | None = None,
) -> None:
    """Append the logged-in user's `action` on `target` to the audit log."""
    entry = AuditEntry(
        actor=identity.user_id,
        action=action,
        address=client_address(request),
        account_id=identity.account_id,
        user_id=identity.user_id,
        target=target,
        detail=detail or {},
    )
    await audit(db, entry)
