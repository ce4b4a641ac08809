"""Bulk query operations: validation, status transitions, JSONL with `__parentId` (B4)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute_sync,
    get_named_type,
    parse,
    validate,
)

from shopify_sandbox.records import BulkOperation, now, numeric_id
from shopify_sandbox.resolving import Info, Resolvers, ctx, field_resolver, user_error
from shopify_sandbox.rest_shapes import bulk_operation_json
from shopify_sandbox.state import Context

JSON = dict[str, Any]
MAX_CONNECTIONS = 5
MAX_DEPTH = 2
FINISHED = ("COMPLETED", "FAILED", "CANCELED", "EXPIRED")


def _connections(schema: GraphQLSchema, query: str) -> list[int]:
    """Nesting depth of every connection field in the bulk query."""
    document = parse(query)
    depths: list[int] = []

    def walk(node: Any, parent: Any, depth: int) -> None:
        for sel in getattr(node.selection_set, "selections", None) or []:
            if not isinstance(sel, FieldNode):
                walk(sel, parent, depth)
                continue
            field = get_named_type(parent).fields.get(sel.name.value)
            if field is None:
                continue
            field_type = get_named_type(field.type)
            is_conn = field_type.name.endswith("Connection")
            if is_conn:
                depths.append(depth)
            walk(sel, field_type, depth + 1 if is_conn else depth)

    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walk(definition, schema.query_type, 0)
    return depths


def _bulk_errors(schema: GraphQLSchema, query: str) -> list[JSON]:
    try:
        document = parse(query)
    except GraphQLError as exc:
        return [user_error(["query"], f"Invalid bulk query: {exc.message}", "INVALID")]
    problems = validate(schema, document)
    if problems:
        return [
            user_error(["query"], f"Invalid bulk query: {p.message}", "INVALID") for p in problems
        ]
    depths = _connections(schema, query)
    if not depths:
        return [
            user_error(["query"], "Bulk queries must contain at least one connection.", "INVALID")
        ]
    if len(depths) > MAX_CONNECTIONS:
        return [
            user_error(
                ["query"],
                f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections.",
                "INVALID",
            )
        ]
    if max(depths) > MAX_DEPTH:
        return [
            user_error(
                ["query"],
                "Bulk queries cannot contain connections with a nesting depth greater than "
                f"{MAX_DEPTH}.",
                "INVALID",
            )
        ]
    return []


def _run_query(_: Any, info: Info, query: str, groupObjects: bool = True) -> JSON:
    context = ctx(info)
    errors = _bulk_errors(info.schema, query)
    if errors:
        return {"bulkOperation": None, "userErrors": errors}
    running = [
        op
        for op in context.shop.bulk_operations
        if op.type == "QUERY" and op.status not in FINISHED
    ]
    limit = context.settings.bulk_max_concurrent if context.version >= "2026-01" else 1
    if context.shop.bulk_max_concurrent is not None:
        limit = context.shop.bulk_max_concurrent
    if len(running) >= limit:
        message = (
            f"A bulk query operation for this app and shop is already in progress: {running[0].id}."
        )
        return {
            "bulkOperation": None,
            "userErrors": [user_error(None, message, "OPERATION_IN_PROGRESS")],
        }
    operation = BulkOperation(id=context.shop.new_gid("BulkOperation"), query=query)
    context.shop.bulk_operations.append(operation)
    task = asyncio.get_running_loop().create_task(_complete(context, info.schema, operation))
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)
    return {"bulkOperation": operation, "userErrors": []}


_TASKS: set[asyncio.Task[None]] = set()


async def _complete(context: Context, schema: GraphQLSchema, operation: BulkOperation) -> None:
    await asyncio.sleep(context.settings.bulk_delay_seconds / 2)
    if operation.status != "CREATED":
        return
    operation.status = "RUNNING"
    await asyncio.sleep(context.settings.bulk_delay_seconds / 2)
    if context.shop.bulk_held:
        await context.shop.bulk_released.wait()
    if operation.status != "RUNNING":
        return
    bulk_context = dataclasses.replace(context, bulk=True)
    # A big catalog takes seconds to execute; a worker thread keeps other shops responsive
    # (resolvers snapshot the shop's dicts before iterating them).
    lines = await asyncio.to_thread(_result_lines, schema, operation.query, bulk_context)
    if operation.status != "RUNNING":
        return
    if lines is None:
        operation.status, operation.error_code = "FAILED", "INTERNAL_SERVER_ERROR"
    else:
        body = "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines).encode()
        operation.result = body
        operation.object_count = len(lines)
        operation.root_object_count = sum(1 for line in lines if "__parentId" not in line)
        operation.file_size = len(body)
        number = numeric_id(operation.id)
        path = f"/_sandbox/bulk-results/{context.shop.domain}/{number}.jsonl"
        operation.url = f"{context.base_url}{path}" if lines else None
        operation.status = "COMPLETED"
    operation.completed_at = now()
    context.emit("bulk_operations/finish", bulk_operation_json(operation))


def _result_lines(schema: GraphQLSchema, query: str, context: Context) -> list[JSON] | None:
    result = execute_sync(
        schema, parse(query), context_value=context, field_resolver=field_resolver
    )
    if result.errors or result.data is None:
        return None
    return list(flatten(result.data))


def _is_connection(value: Any) -> bool:
    return isinstance(value, dict) and (
        isinstance(value.get("edges"), list) or isinstance(value.get("nodes"), list)
    )


def _nodes(connection: JSON) -> list[JSON]:
    if isinstance(connection.get("nodes"), list):
        return list(connection["nodes"])
    return [edge["node"] for edge in connection["edges"]]


def flatten(data: JSON) -> Iterator[JSON]:
    """JSONL objects: each connection node on its own line, children after their parent."""
    for value in data.values():
        if _is_connection(value):
            for node in _nodes(value):
                yield from _emit(node, None)


def _emit(node: JSON, parent_id: str | None) -> Iterator[JSON]:
    children: list[JSON] = []
    line = _strip(node, children)
    if parent_id is not None:
        line["__parentId"] = parent_id
    yield line
    for child in children:
        yield from _emit(child, node.get("id"))


def _strip(obj: JSON, children: list[JSON]) -> JSON:
    out: JSON = {}
    for key, value in obj.items():
        if _is_connection(value):
            children.extend(_nodes(value))
        elif isinstance(value, dict):
            out[key] = _strip(value, children)
        else:
            out[key] = value
    return out


def _current(_: Any, info: Info, type: str = "QUERY") -> BulkOperation | None:
    ops = [op for op in ctx(info).shop.bulk_operations if op.type == type]
    return ops[-1] if ops else None


def _by_id(_: Any, info: Info, id: str) -> BulkOperation | None:
    return next((op for op in ctx(info).shop.bulk_operations if op.id == id), None)


def _cancel(_: Any, info: Info, id: str) -> JSON:
    operation = _by_id(None, info, id)
    if operation is None:
        return {
            "bulkOperation": None,
            "userErrors": [user_error(["id"], "Bulk operation does not exist")],
        }
    if operation.status in FINISHED:
        return {
            "bulkOperation": operation,
            "userErrors": [
                user_error(
                    None,
                    f"A bulk operation cannot be canceled when it is {operation.status.lower()}",
                )
            ],
        }
    operation.status, operation.completed_at = "CANCELED", now()
    ctx(info).emit("bulk_operations/finish", bulk_operation_json(operation))
    return {"bulkOperation": operation, "userErrors": []}


RESOLVERS: Resolvers = {
    ("Mutation", "bulkOperationRunQuery"): _run_query,
    ("Mutation", "bulkOperationCancel"): _cancel,
    ("QueryRoot", "currentBulkOperation"): _current,
    ("QueryRoot", "bulkOperation"): _by_id,
    ("BulkOperation", "objectCount"): lambda op, _: str(op.object_count),
    ("BulkOperation", "rootObjectCount"): lambda op, _: str(op.root_object_count),
    ("BulkOperation", "fileSize"): lambda op, _: (
        None if op.file_size is None else str(op.file_size)
    ),
}
