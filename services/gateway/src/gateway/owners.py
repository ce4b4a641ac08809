"""`python -m gateway create-owner`: the first owner of an account, made from the command line.

The first owner joins the bootstrap account (the connections made before accounts existed);
each later one gets an account of its own. An email already in use changes nothing.
"""

from uuid import uuid4

import structlog
from connector_runtime import db as database

from gateway.account_store import AuditEntry, User, account_for_new_owner, add_user, audit
from gateway.core.credentials import Role, normalized_email, password_problem
from gateway.passwords import hash_password
from gateway.settings import GatewaySettings

log = structlog.get_logger()


class OwnerRefused(Exception):
    """The owner was not created; the message says why (nothing changed)."""


async def create_owner(settings: GatewaySettings, email: str, name: str, password: str) -> User:
    """Create an owner with its account; raises OwnerRefused (email taken, weak password)."""
    problem = password_problem(password)
    if problem is not None:
        raise OwnerRefused(problem)
    email = normalized_email(email)
    password_hash = await hash_password(password)
    pool = await database.create_pool(
        settings.database_url, settings.schema_name, 1, service=settings.service_name
    )
    try:
        async with pool.acquire() as conn, conn.transaction():
            account_id = await account_for_new_owner(conn, name)
            user = User(
                user_id=str(uuid4()), account_id=account_id, name=name, email=email,
                role=Role.OWNER, password_hash=password_hash, disabled=False,
            )  # fmt: skip
            if not await add_user(conn, user):
                raise OwnerRefused(f"a user with email {email} exists already; nothing changed")
            entry = AuditEntry(
                actor="cli", action="owner.created", address="cli", account_id=account_id,
                user_id=user.user_id, target=user.user_id,
            )  # fmt: skip
            await audit(conn, entry)
    finally:
        await pool.close()
    log.info("owner.created", user_id=user.user_id, account_id=account_id)
    return user
