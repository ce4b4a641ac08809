"""Qualification Center: create / edit responsible persons and manufacturers, link products."""

from typing import Annotated

import structlog
from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field
from tiktok_shop.api.global_products import GlobalProductsApi
from tiktok_shop.errors import BusinessError
from tiktok_shop.models.common import TikTokModel

from catalog_sync import metrics, store
from catalog_sync.api.deps import PREFIX, DbDep, PlatformsDep, connection_of, product_gid
from catalog_sync.core.compliance import (
    ComplianceDetails,
    ComplianceKind,
    details_issues,
    ids_field,
    link,
    linked,
    to_tiktok,
    unlink,
)
from catalog_sync.pushing import PLATFORM_ERRORS

log = structlog.get_logger()

router = APIRouter(prefix=PREFIX, tags=["catalog: qualification center"])
TOTAL_HEADER = "X-Total-Count"  # how many the paginated lists hold in all


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
    entity_id = await _on_tiktok(kind, body, "create", api)
    await store.save_compliance(db, connection_id, kind.value, entity_id, body.model_dump_json())
    return ComplianceEntity(id=entity_id, kind=kind, details=body)


async def _on_tiktok(
    kind: ComplianceKind,
    details: ComplianceDetails,
    action: str,
    api: GlobalProductsApi,
    entity_id: str | None = None,
) -> str:
    """Create or edit the entity on TikTok Shop; a refusal is a 4xx/5xx with TikTok's words."""
    issues = details_issues(kind, details)
    if issues:
        _refused(kind, action, "invalid", " ".join(issues), entity_id)
        raise HTTPException(422, " ".join(issues))
    payload = TikTokModel.model_validate(to_tiktok(kind, details))
    manufacturer = kind is ComplianceKind.MANUFACTURER
    try:
        if entity_id is None:
            create = api.create_manufacturer if manufacturer else api.create_responsible_person
            entity_id = await create(payload)
        else:
            edit = api.edit_manufacturer if manufacturer else api.edit_responsible_person
            await edit(entity_id, payload)
    except BusinessError as exc:
        _refused(kind, action, "refused", exc.message, entity_id)
        raise HTTPException(422, f"TikTok Shop refused the {_noun(kind)}: {exc.message}") from exc
    except PLATFORM_ERRORS as exc:
        _refused(kind, action, "unavailable", str(exc), entity_id)
        raise HTTPException(
            502, f"TikTok Shop did not respond ({type(exc).__name__}); nothing changed, try again."
        ) from exc
    metrics.COMPLIANCE_RESULTS.labels(action, kind.value, "ok").inc()
    return entity_id


def _noun(kind: ComplianceKind) -> str:
    return "manufacturer" if kind is ComplianceKind.MANUFACTURER else "responsible person"


def _refused(
    kind: ComplianceKind, action: str, outcome: str, reason: str, entity_id: str | None
) -> None:
    metrics.COMPLIANCE_RESULTS.labels(action, kind.value, outcome).inc()
    log.warning(
        "catalog.compliance_refused",
        kind=kind.value,
        action=action,
        outcome=outcome,
        entity_id=entity_id,
        reason=reason[:300],
    )


@router.get("/{connection_id}/compliance/{kind}", response_model=list[ComplianceEntity])
async def list_entities(
    connection_id: str,
    kind: ComplianceKind,
    db: DbDep,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[ComplianceEntity]:
    """A page of the connection's responsible persons / manufacturers (oldest first) with their
    linked product counts; `X-Total-Count` says how many there are."""
    listings = await store.product_listings(db, connection_id)
    every = await store.list_compliance(db, connection_id, kind.value)
    response.headers[TOTAL_HEADER] = str(len(every))
    return [
        ComplianceEntity(
            id=entity_id,
            kind=kind,
            details=ComplianceDetails.model_validate(details),
            linked_products=sum(1 for *_, listing in listings if linked(listing, kind, entity_id)),
        )
        for entity_id, details in every[offset : offset + limit]
    ]


async def _known(db: DbDep, connection_id: str, kind: ComplianceKind, entity_id: str) -> None:
    known = {e for e, _ in await store.list_compliance(db, connection_id, kind.value)}
    if entity_id not in known:
        raise HTTPException(404, f"unknown {kind.value} {entity_id}")


@router.put(
    "/{connection_id}/compliance/{kind}/{entity_id}",
    response_model=ComplianceEntity,
    responses={
        422: {"description": "TikTok refused the details (nothing changed)"},
        502: {"description": "TikTok did not respond (nothing changed)"},
    },
)
async def edit_entity(
    connection_id: str,
    kind: ComplianceKind,
    entity_id: str,
    body: ComplianceDetails,
    db: DbDep,
    platforms: PlatformsDep,
) -> ComplianceEntity:
    """Edit an entity on TikTok Shop (Partial Edit), then its details here; its id and links stay."""
    await _known(db, connection_id, kind, entity_id)
    connection = await connection_of(db, connection_id)
    api = platforms.clients(connection).tiktok.global_products
    # TikTok first: a refused edit leaves the connector's copy as TikTok still has it.
    await _on_tiktok(kind, body, "edit", api, entity_id)
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
    rows, _ = await store.compliance_products(
        db, connection_id, ids_field(kind), entity_id, linked=True, limit=10_000
    )
    return [LinkedProduct(shopify_product_id=p, title=t, category_key=k) for p, t, k in rows]


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
    connection_id: str,
    kind: ComplianceKind,
    entity_id: str,
    db: DbDep,
    response: Response,
    linked: Annotated[
        bool, Query(description="false: the products not linked to it (to link new ones)")
    ] = True,
    category: str | None = None,
    product_id: str | None = None,
    q: Annotated[str | None, Query(description="Product name contains")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> list[LinkedProduct]:
    """A page of the products linked to the entity at product level (or not linked), filtered
    by category, product id or name; `X-Total-Count` says how many match."""
    rows, total = await store.compliance_products(
        db,
        connection_id,
        ids_field(kind),
        entity_id,
        linked=linked,
        category=category,
        product_id=product_gid(product_id) if product_id else None,
        query=q,
        limit=limit,
        offset=offset,
    )
    response.headers[TOTAL_HEADER] = str(total)
    return [LinkedProduct(shopify_product_id=p, title=t, category_key=k) for p, t, k in rows]
