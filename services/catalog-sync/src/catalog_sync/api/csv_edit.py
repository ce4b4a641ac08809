"""Category CSV bulk edit: download the template, upload rows, get the error file."""

import uuid
from typing import Annotated

from connector_contracts import CatalogCsvApplyRequested
from fastapi import APIRouter, File, HTTPException, UploadFile
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from catalog_sync import store
from catalog_sync.api.deps import (
    IN_REGION_RESPONSES,
    PREFIX,
    DbDep,
    PlatformsDep,
    RegionQuery,
    connection_of,
    in_region,
    start_task,
)
from catalog_sync.core.csv_edit import TemplateProduct, error_file, parse_upload, template
from catalog_sync.core.models import CategoryRequirements
from catalog_sync.pushing import cached_requirements

router = APIRouter(prefix=PREFIX, tags=["catalog: CSV bulk edit"])
CSV = {"content": {"text/csv": {}}, "description": "A CSV file"}


async def _category(
    db: DbDep, platforms: PlatformsDep, connection_id: str, key: str, region: str | None
) -> tuple[CategoryRequirements, list[TemplateProduct]]:
    chosen = in_region(platforms, await connection_of(db, connection_id), region)
    mapping = (await store.load_mappings(db, connection_id, chosen.shop_id)).get(key)
    if mapping is None or not mapping[0].tiktok_category_id:
        raise HTTPException(409, f"map the category '{key}' to a TikTok Shop category first")
    requirements = await cached_requirements(
        db, chosen.clients, chosen.connection, mapping[0].tiktok_category_id
    )
    products = [
        TemplateProduct(shopify_product_id=pid, title=title, listing=listing)
        for pid, title, stored_key, listing in await store.product_listings(db, connection_id)
        if stored_key == key
    ]
    return requirements, products


@router.get(
    "/{connection_id}/categories/{key}/csv",
    response_class=PlainTextResponse,
    responses={200: CSV, **IN_REGION_RESPONSES},
)
async def download_template(
    connection_id: str, key: str, db: DbDep, platforms: PlatformsDep, region: RegionQuery = None
) -> PlainTextResponse:
    """The category's products with brand id and attribute columns (required ones marked *) of
    the TikTok category it maps to in a region."""
    requirements, products = await _category(db, platforms, connection_id, key, region)
    return PlainTextResponse(template(requirements, products), media_type="text/csv")


class RowError(BaseModel):
    """Why one row cannot be applied."""

    row: int
    product_id: str
    errors: list[str]


class UploadResult(BaseModel):
    """Validation result; valid rows are applied by the task."""

    upload_id: str
    task_id: str | None
    valid_rows: int
    error_rows: int
    errors: list[RowError]
    error_file_url: str


@router.post(
    "/{connection_id}/categories/{key}/csv",
    response_model=UploadResult,
    status_code=202,
    responses=IN_REGION_RESPONSES,
)
async def upload_csv(
    connection_id: str,
    key: str,
    db: DbDep,
    platforms: PlatformsDep,
    file: Annotated[UploadFile, File(description="The filled-in template")],
    region: RegionQuery = None,
) -> UploadResult:
    """Validate every row against the region's category (the template's); apply the valid ones
    (a task); keep an error file for the others."""
    requirements, products = await _category(db, platforms, connection_id, key, region)
    text = (await file.read()).decode("utf-8-sig", errors="replace")
    results = parse_upload(text, requirements, {p.shopify_product_id for p in products})
    updates = [r.update for r in results if r.update]
    errors = [
        RowError(row=r.row, product_id=r.product_id, errors=r.errors) for r in results if r.errors
    ]
    upload_id = str(uuid.uuid4())
    task_id = None
    if updates:
        command = CatalogCsvApplyRequested(
            connection_id=connection_id,
            task_id=str(uuid.uuid4()),
            category_key=key,
            updates=updates,
        )
        task_id = (
            await start_task(db, platforms.settings, connection_id, "csv", len(updates), command)
        ).task_id
    await store.save_csv_upload(
        db,
        upload_id,
        connection_id,
        key,
        len(updates),
        len(errors),
        error_file(text, results),
        task_id,
    )
    return UploadResult(
        upload_id=upload_id,
        task_id=task_id,
        valid_rows=len(updates),
        error_rows=len(errors),
        errors=errors,
        error_file_url=f"{PREFIX}/{connection_id}/csv-uploads/{upload_id}/errors.csv",
    )


@router.get(
    "/{connection_id}/csv-uploads/{upload_id}/errors.csv",
    response_class=PlainTextResponse,
    responses={200: CSV, 404: {"description": "Unknown upload"}},
)
async def download_errors(connection_id: str, upload_id: str, db: DbDep) -> PlainTextResponse:
    """The rows of an upload that failed validation, with an `errors` column."""
    text = await store.csv_error_file(db, connection_id, upload_id)
    if text is None:
        raise HTTPException(404, f"unknown upload {upload_id}")
    return PlainTextResponse(text, media_type="text/csv")
