"""Rows of the catalog schema as models."""

import json
from datetime import datetime
from typing import Any

from asyncpg import Record
from connector_contracts import SkuLink
from pydantic import AwareDatetime, BaseModel, Field

from catalog_sync.core.global_products import GlobalStatus, RegionPublication
from catalog_sync.core.models import (
    CategoriesSource,
    ConnectorEdits,
    Issue,
    ListingLayer,
    SourceProduct,
)
from catalog_sync.core.status import SyncStatus
from catalog_sync.core.sync_rules import SyncRules


class CatalogSettings(BaseModel):
    """Store-level product settings of one connection."""

    categories_source: CategoriesSource = CategoriesSource.PRODUCT_TYPE
    auto_pull: bool = False
    sync_rules: SyncRules = Field(default_factory=SyncRules)
    listing: ListingLayer = Field(default_factory=ListingLayer)
    warehouse_id: str | None = Field(
        default=None, description="TikTok warehouse for stock (None: the shop's default)."
    )
    shipping_template_id: str | None = Field(
        default=None, description="TikTok shipping template (None: the shop's default)."
    )
    last_pulled_updated_at: AwareDatetime | None = None


class ProductRecord(BaseModel):
    """A pulled product and its TikTok listing state."""

    connection_id: str
    source: SourceProduct
    category_key: str | None
    deleted: bool
    status: SyncStatus
    reason: str | None
    reason_code: int | None
    issues: list[Issue]
    tiktok_product_id: str | None
    tiktok_shop_id: str | None = Field(
        default=None, description="The TikTok shop (region) of this listing; '' for none yet."
    )
    tiktok_status: str | None
    audit_status: str | None
    sku_links: list[SkuLink]
    edits: ConnectorEdits
    listing: ListingLayer
    sync_rules: SyncRules | None
    last_push_task_id: str | None
    pushed_at: datetime | None
    pulled_at: datetime
    global_listed: bool = False
    global_status: GlobalStatus | None = None
    global_product_id: str | None = None
    global_reason: str | None = None
    global_skus: dict[str, str] = Field(default_factory=dict, description="variant -> global SKU")
    published: dict[str, RegionPublication] = Field(default_factory=dict)


class Task(BaseModel):
    """A merchant-visible long-running action with its progress."""

    task_id: str
    connection_id: str
    kind: str
    status: str
    total: int | None
    done: int
    failed: int
    detail: str | None
    tiktok_shop_id: str | None = Field(
        default=None, description="The region (TikTok shop) a push lists in; None: connection-wide."
    )
    created_at: datetime
    updated_at: datetime


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def to_record(row: Record) -> ProductRecord:
    rules = _json(row["sync_rules"])
    return ProductRecord(
        connection_id=row["connection_id"],
        source=SourceProduct.model_validate(_json(row["source"])),
        category_key=row["category_key"],
        deleted=row["deleted"],
        status=SyncStatus(row["status"]),
        reason=row["reason"],
        reason_code=row["reason_code"],
        issues=[Issue.model_validate(i) for i in _json(row["issues"])],
        tiktok_product_id=row["tiktok_product_id"],
        tiktok_shop_id=row["tiktok_shop_id"],
        tiktok_status=row["tiktok_status"],
        audit_status=row["audit_status"],
        sku_links=[SkuLink.model_validate(s) for s in _json(row["sku_links"])],
        edits=ConnectorEdits.model_validate(_json(row["edits"])),
        listing=ListingLayer.model_validate(_json(row["listing"])),
        sync_rules=SyncRules.model_validate(rules) if rules else None,
        last_push_task_id=row["last_push_task_id"],
        pushed_at=row["pushed_at"],
        pulled_at=row["pulled_at"],
        global_listed=row["global_listed"],
        global_status=GlobalStatus(row["global_status"]) if row["global_status"] else None,
        global_product_id=row["global_product_id"],
        global_reason=row["global_reason"],
        global_skus=_json(row["global_skus"]),
        published={
            k: RegionPublication.model_validate(v) for k, v in _json(row["published"]).items()
        },
    )
