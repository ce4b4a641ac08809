"""Qualification Center: create / edit responsible persons and manufacturers, link products."""

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.common import TikTokModel

from catalog_sync import store
from catalog_sync.api.deps import PREFIX, DbDep, PlatformsDep, connection_of, product_gid
from catalog_sync.core.compliance import ComplianceDetails, ComplianceKind, link, linked, unlink

router = APIRouter(prefix=PREFIX, tags=["catalog: qualification center"])


class ComplianceEntity(BaseModel):
    """A responsible person or manufacturer and how many products link it."""

    id: str
    kind: ComplianceKind
    details: ComplianceDetails
    linked_products: int = 0


@router.post(
    "/{connection_id}/compliance/{kind}",
    response_model=ComplianceEntity,
    status_code=201,
    responses={422: {"description": "TikTok refused the details"}},
)
async def create_entity(
    connection_id: str,
    kind: ComplianceKind,
    body: ComplianceDetails,
    db: DbDep,
    platforms: PlatformsDep,
) -> ComplianceEntity:
    """Create a responsible person / manufacturer on TikTok Shop and keep its details."""
    connection = await connection_of(db, connection_id)
    api = platforms.clients(connection).tiktok.global_products
    payload = TikTokModel.model_validate(body.model_dump(exclude_none=True))
    try:
        if kind is ComplianceKind.MANUFACTURER:
            entity_id = await api.create_manufacturer(payload)
        else:
            entity_id = await api.create_responsible_person(payload)
    except BusinessError as exc:
        raise HTTPException(422, f"TikTok Shop: {exc.message}") from exc
    await store.save_compliance(db, connection_id, kind.value, entity_id, body.model_dump_json())
    return ComplianceEntity(id=entity_id, kind=kind, details=body)


@router.get("/{connection_id}/compliance/{kind}", response_model=list[ComplianceEntity])
async def list_entities(
    connection_id: str, kind: ComplianceKind, db: DbDep
) -> list[ComplianceEntity]:
    """The connection's responsible persons / manufacturers with their linked product counts."""
    listings = await store.product_listings(db, connection_id)
    return [
        ComplianceEntity(
            id=entity_id,
            kind=kind,
            details=ComplianceDetails.model_validate(details),
            linked_products=sum(1 for *_, listing in listings if linked(listing, kind, entity_id)),
        )
        for entity_id, details in await store.list_compliance(db, connection_id, kind.value)
    ]


async def _known(db: DbDep, connection_id: str, kind: ComplianceKind, entity_id: str) -> None:
    known = {e for e, _ in await store.list_compliance(db, connection_id, kind.value)}
    if entity_id not in known:
        raise HTTPException(404, f"unknown {kind.value} {entity_id}")


@router.put("/{connection_id}/compliance/{kind}/{entity_id}", response_model=ComplianceEntity)
async def edit_entity(
    connection_id: str, kind: ComplianceKind, entity_id: str, body: ComplianceDetails, db: DbDep
) -> ComplianceEntity:
    """Edit the details shown for an entity (its TikTok id, and so its links, stay)."""
    await _known(db, connection_id, kind, entity_id)
    await store.save_compliance(db, connection_id, kind.value, entity_id, body.model_dump_json())
    return ComplianceEntity(id=entity_id, kind=kind, details=body)


class LinkRequest(BaseModel):
    """Products to link / unlink; `all_products` links every pulled product."""

    product_ids: list[str] = Field(default_factory=list, max_length=10_000)
    all_products: bool = False


class LinkedProduct(BaseModel):
    """A product linked to an entity."""

    shopify_product_id: str
    title: str
    category_key: str | None


async def _relink(
    db: DbDep,
    connection_id: str,
    kind: ComplianceKind,
    entity_id: str,
    body: LinkRequest,
    add: bool,
) -> list[LinkedProduct]:
    await _known(db, connection_id, kind, entity_id)
    wanted = {product_gid(p) for p in body.product_ids}
    listings = await store.product_listings(db, connection_id)
    change = link if add else unlink
    updates = [
        (pid, change(listing, kind, entity_id))
        for pid, _, _, listing in listings
        if body.all_products or pid in wanted
    ]
    await store.save_listings(db, connection_id, updates)
    return await linked_products(connection_id, kind, entity_id, db)


@router.post(
    "/{connection_id}/compliance/{kind}/{entity_id}/link", response_model=list[LinkedProduct]
)
async def link_products(
    connection_id: str, kind: ComplianceKind, entity_id: str, body: LinkRequest, db: DbDep
) -> list[LinkedProduct]:
    """Link products (or all products) to the entity; a product may link several."""
    return await _relink(db, connection_id, kind, entity_id, body, add=True)


@router.post(
    "/{connection_id}/compliance/{kind}/{entity_id}/unlink", response_model=list[LinkedProduct]
)
async def unlink_products(
    connection_id: str, kind: ComplianceKind, entity_id: str, body: LinkRequest, db: DbDep
) -> list[LinkedProduct]:
    """Unlink products from the entity."""
    return await _relink(db, connection_id, kind, entity_id, body, add=False)


@router.get(
    "/{connection_id}/compliance/{kind}/{entity_id}/products", response_model=list[LinkedProduct]
)
async def linked_products(
    connection_id: str, kind: ComplianceKind, entity_id: str, db: DbDep
) -> list[LinkedProduct]:
    """Products linked to the entity at product level."""
    return [
        LinkedProduct(shopify_product_id=pid, title=title, category_key=key)
        for pid, title, key, listing in await store.product_listings(db, connection_id)
        if linked(listing, kind, entity_id)
    ]
