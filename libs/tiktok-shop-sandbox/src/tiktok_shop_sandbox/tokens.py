"""Issuing auth codes and token pairs the way the OAuth endpoints return them (reference A4)."""

from tiktok_shop_sandbox.ids import opaque
from tiktok_shop_sandbox.runtime import Sandbox
from tiktok_shop_sandbox.state import App, AuthCode, JsonDict, Token
from tiktok_shop_sandbox.world import now

SCOPES = [
    "seller.authorization.info",
    "seller.product.basic",
    "seller.product.write",
    "seller.order.info",
    "seller.fulfillment.basic",
    "seller.return_refund.basic",
    "seller.logistics",
    "promotion.write",
    "event.write",
]


def issue_auth_code(
    sandbox: Sandbox, app: App, seller_id: str, shop_ids: frozenset[str] | None = None
) -> str:
    """A one-time code, as the authorize redirect would carry (for the shops the seller chose)."""
    code = opaque("code_")
    expires = now() + sandbox.settings.auth_code_ttl_seconds
    sandbox.world.auth_codes[code] = AuthCode(code, app.key, seller_id, expires, shop_ids=shop_ids)
    return code


def issue_tokens(
    sandbox: Sandbox,
    app: App,
    seller_id: str,
    access_ttl: int | None = None,
    shop_ids: frozenset[str] | None = None,
) -> JsonDict:
    """A fresh access + refresh token pair, as the token endpoints' `data`."""
    settings = sandbox.settings
    access_expires = now() + (
        settings.access_token_ttl_seconds if access_ttl is None else access_ttl
    )
    refresh_expires = now() + settings.refresh_token_ttl_seconds
    access = Token(opaque("TTP_"), app.key, seller_id, access_expires, "access", shop_ids=shop_ids)
    refresh = Token(
        opaque("TTR_"), app.key, seller_id, refresh_expires, "refresh", shop_ids=shop_ids
    )
    sandbox.world.tokens[access.value] = access
    sandbox.world.tokens[refresh.value] = refresh
    shops = sandbox.world.token_shops(access)
    return {
        "access_token": access.value,
        "access_token_expire_in": access.expires_at,
        "refresh_token": refresh.value,
        "refresh_token_expire_in": refresh.expires_at,
        "open_id": seller_id,
        "seller_name": shops[0].name if shops else "",
        "seller_base_region": shops[0].region if shops else "",
        "user_type": 0,
        "granted_scopes": SCOPES,
    }
