"""The account's users (the guide's User Management): owners add, rename and delete users;
admins may list them only. Another account's user id is a 404 (ADR 0810)."""

from enum import StrEnum
from typing import Annotated
from uuid import uuid4

import structlog
from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, StringConstraints

from gateway.account_store import User, add_user, user_by_id
from gateway.api.auditing import audit_request
from gateway.api.deps import Db, DepsDep
from gateway.api.identity import Authenticated
from gateway.core.credentials import (
    EMAIL_SHAPE,
    MAX_EMAIL_LENGTH,
    Identity,
    Role,
    normalized_email,
)
from gateway.user_links import mail_invitation
from gateway.user_store import delete_user, rename_user, user_of, users_of

log = structlog.get_logger()

router = APIRouter(prefix="/api/v1/users", tags=["users"])

Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
# The shape only: the invitation mail is what proves the address.
Email = Annotated[
    str,
    StringConstraints(max_length=MAX_EMAIL_LENGTH, strip_whitespace=True, pattern=EMAIL_SHAPE),
]
_NOT_OWNER = "only an owner of the account can add, edit or delete users"


class UserStatus(StrEnum):
    """Whether the user has set a password yet."""

    INVITED = "invited"
    ACTIVE = "active"


class UserView(BaseModel):
    """A user of the account."""

    user_id: str
    name: str
    email: str
    role: Role
    status: UserStatus


class NewUser(BaseModel):
    """A user to invite: they get a mail with a link to set their password."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    email: Email
    role: Role = Role.ADMIN


class UserChanges(BaseModel):
    """What may change about a user: the name (the email is the login, not editable)."""

    model_config = ConfigDict(extra="forbid")

    name: Name


def _view(user: User) -> UserView:
    state = UserStatus.INVITED if user.password_hash is None else UserStatus.ACTIVE
    return UserView(
        user_id=user.user_id, name=user.name, email=user.email, role=user.role, status=state
    )


def _owner(identity: Identity) -> Identity:
    if identity.role is not Role.OWNER:
        raise HTTPException(403, _NOT_OWNER)
    return identity


@router.get("", response_model=list[UserView])
async def list_users(identity: Authenticated, db: Db) -> list[UserView]:
    """The account's users, oldest first."""
    return [_view(u) for u in await users_of(db, identity.account_id)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserView,
    responses={403: {"description": _NOT_OWNER}, 409: {"description": "The email is in use"}},
)
async def invite_user(
    body: NewUser, identity: Authenticated, request: Request, db: Db, deps: DepsDep
) -> UserView:
    """Add a user to the account and mail them an invitation (a single-use link)."""
    owner = _owner(identity)
    user = User(
        user_id=str(uuid4()), account_id=owner.account_id, name=body.name,
        email=normalized_email(body.email), role=body.role, password_hash=None, disabled=False,
    )  # fmt: skip
    inviter = await user_by_id(db, owner.user_id)
    async with db.transaction():
        if not await add_user(db, user):
            raise HTTPException(409, f"a user with email {user.email} exists already")
        await mail_invitation(db, deps.settings, deps.now(), user, inviter.name if inviter else "")
        await audit_request(db, owner, request, "user.invited", user.user_id, {"role": user.role})
    log.info("user.invited", account_id=owner.account_id, user_id=user.user_id, role=user.role)
    return _view(user)


@router.patch(
    "/{user_id}",
    response_model=UserView,
    responses={403: {"description": _NOT_OWNER}, 404: {"description": "No such user"}},
)
async def edit_user(
    user_id: str, body: UserChanges, identity: Authenticated, request: Request, db: Db
) -> UserView:
    """Rename a user of the account."""
    owner = _owner(identity)
    async with db.transaction():
        user = await rename_user(db, owner.account_id, user_id, body.name)
        if user is None:
            raise HTTPException(404, f"no user {user_id}")
        await audit_request(db, owner, request, "user.renamed", user_id, {"name": body.name})
    log.info("user.renamed", account_id=owner.account_id, user_id=user_id)
    return _view(user)


@router.delete(
    "/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={
        403: {"description": _NOT_OWNER},
        404: {"description": "No such user"},
        409: {"description": "An owner cannot delete themselves"},
    },
)
async def remove_user(user_id: str, identity: Authenticated, request: Request, db: Db) -> Response:
    """Delete a user of the account: their sessions and tokens stop working. Adding the same
    email again invites them anew."""
    owner = _owner(identity)
    if user_id == owner.user_id:
        raise HTTPException(409, "an owner cannot delete themselves; another owner can")
    async with db.transaction():
        user = await user_of(db, owner.account_id, user_id)
        if user is None or not await delete_user(db, owner.account_id, user_id):
            raise HTTPException(404, f"no user {user_id}")
        await audit_request(db, owner, request, "user.deleted", user_id, {"email": user.email})
    log.info("user.deleted", account_id=owner.account_id, user_id=user_id)
    return Response(status_code=204)
