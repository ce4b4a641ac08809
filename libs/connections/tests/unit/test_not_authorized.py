"""A route needing a platform the merchant has not authorized yet answers 409 with the reason.

catalog-sync's routes that call TikTok answered 500 with a traceback while a connection was
pending its TikTok authorization; the reason now reaches the merchant instead.
"""

import httpx
from connector_connections import Connection, PlatformSettings, clients_for
from connector_contracts import ConnectionStatus
from connector_runtime.service import ServiceSpec, create_service_app
from connector_runtime.settings import ServiceSettings
from cryptography.fernet import Fernet
from fastapi import APIRouter

PENDING = Connection(
    connection_id="c1",
    revision=1,
    name="Candles",
    status=ConnectionStatus.PENDING,
    shopify_shop_domain="candles.myshopify.com",
    tiktok_region="US",
)
SETTINGS = PlatformSettings(
    connector_secret_key=Fernet.generate_key().decode(),
    connector_identity_key="k" * 32,
    shopify_client_secret="s",
    tiktok_app_secret="t",
)
api = APIRouter()


@api.get("/categories")
async def categories() -> dict[str, str]:
    """Stands for any route that needs the connection's platform clients."""
    clients_for(PENDING, SETTINGS)
    return {"never": "reached"}


async def test_a_platform_not_authorized_is_a_409_naming_it() -> None:
    app = create_service_app(ServiceSpec(name="svc", api=[api]), ServiceSettings())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
        response = await http.get("/categories")
    assert response.status_code == 409
    assert response.json() == {"detail": "Shopify store candles.myshopify.com is not authorized"}
