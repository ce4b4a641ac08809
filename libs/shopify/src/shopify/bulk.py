"""Bulk query operations: start, poll, download the JSONL and reassemble products (B4)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterable, AsyncIterator

import httpx
import structlog

from shopify.errors import ShopifyError, ShopifyTransportError
from shopify.models import BulkOperation, Product
from shopify.products import (
    LEVEL_FIELDS,
    MEDIA_FIELDS,
    METAFIELD_FIELDS,
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
)
from shopify.session import JSON, GraphQLSession
from shopify.user_errors import raise_for_user_errors

log = structlog.get_logger("shopify")

BULK_FIELDS = (
    "id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt query"
)

RUN_QUERY = f"""
mutation bulkOperationRunQuery($query: String!) {{
  bulkOperationRunQuery(query: $query) {{
    bulkOperation {{ {BULK_FIELDS} }}
    userErrors {{ field message code }}
  }}
}}
"""
NODE_QUERY = f"""
query bulkOperation($id: ID!) {{ node(id: $id) {{ ... on BulkOperation {{ {BULK_FIELDS} }} }} }}
"""
CURRENT_QUERY = f"""
query currentBulkOperation {{ currentBulkOperation(type: QUERY) {{ {BULK_FIELDS} }} }}
"""
CANCEL_MUTATION = f"""
mutation bulkOperationCancel($id: ID!) {{
  bulkOperationCancel(id: $id) {{
    bulkOperation {{ {BULK_FIELDS} }}
    userErrors {{ field message }}
  }}
}}
"""


def products_bulk_query(search: str | None = None) -> str:
    """The inner query of a catalog pull: products, variants with stock levels, media and
    metafields (five connections: the most a bulk query may hold, B4)."""
    args = f"(query: {json.dumps(search)})" if search else ""
    return f"""{{
  products{args} {{ edges {{ node {{
    {PRODUCT_FIELDS}
    variants {{ edges {{ node {{
      {VARIANT_FIELDS}
      inventoryItem {{ inventoryLevels {{ edges {{ node {{ {LEVEL_FIELDS} }} }} }} }}
    }} }} }}
    media {{ edges {{ node {{ {MEDIA_FIELDS} }} }} }}
    metafields {{ edges {{ node {{ {METAFIELD_FIELDS} }} }} }}
  }} }} }}
}}"""


class BulkOperations:
    """Bulk query operations of one shop."""

    def __init__(self, session: GraphQLSession, http: httpx.AsyncClient) -> None:
        self._session = session
        self._http = http

    async def run_query(self, query: str) -> BulkOperation:
        """Start a bulk query (`query` is the inner document, without `first` arguments)."""
        data = await self._session.execute(
            RUN_QUERY, {"query": query}, operation="bulkOperationRunQuery"
        )
        payload = data["bulkOperationRunQuery"]
        raise_for_user_errors("bulkOperationRunQuery", payload)
        return BulkOperation.model_validate(payload["bulkOperation"])

    async def get(self, operation_id: str) -> BulkOperation:
        """The current state of one bulk operation."""
        data = await self._session.execute(
            NODE_QUERY, {"id": operation_id}, operation="bulkOperation"
        )
        if not data.get("node"):
            raise ShopifyError(f"bulk operation {operation_id} not found")
        return BulkOperation.model_validate(data["node"])

    async def current(self) -> BulkOperation | None:
        """The newest bulk query operation of the shop."""
        data = await self._session.execute(CURRENT_QUERY, operation="currentBulkOperation")
        node = data.get("currentBulkOperation")
        return BulkOperation.model_validate(node) if node else None

    async def cancel(self, operation_id: str) -> BulkOperation:
        """Ask Shopify to cancel a running operation."""
        data = await self._session.execute(
            CANCEL_MUTATION, {"id": operation_id}, operation="bulkOperationCancel"
        )
        raise_for_user_errors("bulkOperationCancel", data["bulkOperationCancel"])
        return BulkOperation.model_validate(data["bulkOperationCancel"]["bulkOperation"])

    async def wait(self, operation_id: str, *, timeout_seconds: float = 3600) -> BulkOperation:
        """Poll until the operation finished, backing off between polls."""
        config = self._session.config
        interval = config.bulk_poll_interval_seconds
        deadline = time.monotonic() + timeout_seconds
        while not (operation := await self.get(operation_id)).finished:
            if time.monotonic() > deadline:
                raise ShopifyError(f"bulk operation {operation_id} still {operation.status}")
            await asyncio.sleep(interval)
            interval = min(interval * 1.5, config.bulk_poll_max_interval_seconds)
        return operation

    async def lines(self, url: str) -> AsyncIterator[JSON]:
        """Stream the JSONL result file, one parsed object per line (no token is sent)."""
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise ShopifyTransportError(
                        f"bulk download failed: HTTP {response.status_code}"
                    )
                async for line in response.aiter_lines():
                    if line.strip():
                        yield json.loads(line)
        except httpx.HTTPError as exc:
            raise ShopifyTransportError(f"bulk download failed: {type(exc).__name__}") from exc

    async def pull_products(
        self, search: str | None = None, *, timeout_seconds: float = 3600
    ) -> AsyncIterator[Product]:
        """Run a catalog bulk query and yield each product, reassembled, as the file streams."""
        started = await self.run_query(products_bulk_query(search))
        done = await self.wait(started.id, timeout_seconds=timeout_seconds)
        if done.status != "COMPLETED":
            raise ShopifyError(f"bulk operation {done.id} ended {done.status} ({done.error_code})")
        log.info("shopify.bulk_completed", shop=self._session.shop, objects=done.object_count)
        if not done.url:  # Shopify gives no file when nothing matched.
            return
        async for product in assemble_products(self.lines(done.url)):
            yield product


def _gid_type(gid: str) -> str:
    return gid.split("/")[3] if gid.count("/") >= 4 else ""


async def assemble_products(lines: AsyncIterable[JSON]) -> AsyncIterator[Product]:
    """Rebuild products from bulk JSONL lines linked by `__parentId`.

    Children follow their parent in the file (common knowledge, UNCONFIRMED in B4), so a
    product is complete when the next product starts; a child of an unknown parent is an error.
    """
    product: JSON | None = None
    by_id: dict[str, JSON] = {}
    async for line in lines:
        parent_id = line.pop("__parentId", None)
        if parent_id is None:
            if product is not None:
                yield Product.model_validate(product)
            product = {**line, "variants": [], "media": [], "metafields": []}
            by_id = {line["id"]: product}
            continue
        parent = by_id.get(parent_id)
        if parent is None:
            raise ShopifyError(f"bulk line {line.get('id')} came before its parent {parent_id}")
        _attach(parent, line)
        by_id[line["id"]] = line
    if product is not None:
        yield Product.model_validate(product)


def _attach(parent: JSON, child: JSON) -> None:
    kind = _gid_type(child["id"])
    if kind == "ProductVariant":
        parent["variants"].append(child)
    elif kind == "Metafield":
        parent["metafields"].append(child)
    elif kind == "InventoryLevel":
        item = parent.setdefault("inventoryItem", {})
        item.setdefault("inventoryLevels", []).append(child)
    else:
        parent["media"].append(child)
