"""OAuth token endpoints (unsigned) and Get Authorized Shops / Active Shops (reference A4)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from tiktok_shop_sandbox.envelope import PlatformError, invalid_credential, ok
from tiktok_shop_sandbox.gate import AppCall, AppCallDep, sandbox_of
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import App
from tiktok_shop_sandbox.tokens import issue_tokens
from tiktok_shop_sandbox.world import now

router = APIRouter()


def _app(sandbox: Sandbox, request: Request) -> App:
    query = request.query_params
    app = sandbox.world.apps.get(query.get("app_key", ""))
    if app is None or app.secret != query.get("app_secret"):
        raise invalid_credential("Invalid credentials. The 'app_key' or 'app_secret' is invalid.")
    return app


@router.get("/api/v2/token/get")
async def get_token(request: Request) -> JSONResponse:
    """Exchange a one-time auth code (30 min) for tokens."""
    sandbox = sandbox_of(request)
    app = _app(sandbox, request)
    if request.query_params.get("grant_type") != "authorized_code":
        raise invalid_credential("Invalid grant_type.")
    code = sandbox.world.auth_codes.get(request.query_params.get("auth_code", ""))
    if code is None or code.app_key != app.key or code.used or code.expires_at <= now():
        raise PlatformError(36004004, "The auth code is invalid, used or expired.", 400)
    code.used = True
    return ok(issue_tokens(sandbox, app, code.seller_id, shop_ids=code.shop_ids))


@router.get("/api/v2/token/refresh")
async def refresh_token(request: Request) -> JSONResponse:
    """Exchange a refresh token for a new token pair; the old access token stops working."""
    sandbox = sandbox_of(request)
    app = _app(sandbox, request)
    if request.query_params.get("grant_type") != "refresh_token":
        raise invalid_credential("Invalid grant_type.")
    token = sandbox.world.tokens.get(request.query_params.get("refresh_token", ""))
    if token is None or token.kind != "refresh" or token.app_key != app.key or token.revoked:
        raise invalid_credential("Invalid credentials. The 'refresh_token' is invalid.")
    if token.expires_at <= now():
        raise PlatformError(105002, "Expired credentials. The refresh token has expired.", 401)
    # The grant's older tokens stop working; the seller's other grants (shops) are untouched.
    for old in sandbox.world.tokens.values():
        same_grant = old.shop_ids == token.shop_ids and old.seller_id == token.seller_id
        if same_grant and old.app_key == app.key:
            old.revoked = True
    return ok(issue_tokens(sandbox, app, token.seller_id, shop_ids=token.shop_ids))


def _shop_views(call: AppCall) -> list[dict[str, str]]:
    shops = call.sandbox.world.token_shops(call.token)
    return [
        {
            "id": s.id,
            "name": s.name,
            "region": s.region,
            "seller_type": "LOCAL",
            "cipher": s.cipher,
            "code": s.code,
        }
        for s in shops
    ]


@router.get("/authorization/202309/shops")
async def authorized_shops(call: AppCallDep) -> JSONResponse:
    """Get Authorized Shops: shops and ciphers of the token's seller."""
    return ok({"shops": _shop_views(call)})


@router.get("/seller/202309/shops")
async def active_shops(call: AppCallDep) -> JSONResponse:
    """Get Active Shops."""
    shops = [{"id": s["id"], "region": s["region"]} for s in _shop_views(call)]
    return ok({"shops": shops})
