"""POST /admin/api/{version}/graphql.json: auth, validation, faults, cost and bucket, execution."""

from __future__ import annotations

import asyncio
import math
import re
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    ListValueNode,
    OperationDefinitionNode,
    execute_sync,
    get_operation_ast,
    parse,
    validate,
    visit,
)
from graphql.language import Visitor

from shopify_sandbox.cost import CostCalculator
from shopify_sandbox.faults import FaultRule
from shopify_sandbox.plans import LeakyBucket
from shopify_sandbox.resolving import field_resolver
from shopify_sandbox.schema import schema_for
from shopify_sandbox.shop import Shop
from shopify_sandbox.state import Context, Sandbox

JSON = dict[str, Any]
API_VERSION = re.compile(r"^(\d{4}-\d{2}|unstable)$")
RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
MAX_LOG = 10_000


def _errors(*messages: tuple[str, str | None]) -> JSON:
    return {
        "errors": [
            {"message": m, **({"extensions": {"code": code}} if code else {})}
            for m, code in messages
        ]
    }


class _TooLarge(Visitor):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.size = 0

    def enter_list_value(self, node: ListValueNode, *_: Any) -> None:
        self.size = max(self.size, len(node.values))


def _largest_array(value: Any) -> int:
    if isinstance(value, list):
        return max([len(value), *(_largest_array(v) for v in value)])
    if isinstance(value, dict):
        return max([0, *(_largest_array(v) for v in value.values())])
    return 0


def _input_too_large(document: DocumentNode, variables: JSON, limit: int) -> int:
    visitor = _TooLarge(limit)
    visit(document, visitor)
    size = max(visitor.size, _largest_array(variables))
    return size if size > limit else 0


async def handle_graphql(sandbox: Sandbox, request: Request, domain: str, version: str) -> Response:
    """Serve one Admin GraphQL request for `domain`."""
    shop = sandbox.shops.get(domain)
    if shop is None or not API_VERSION.match(version):
        return JSONResponse({"errors": "Not Found"}, status_code=404)
    token = sandbox.authenticate(shop, request.headers.get("X-Shopify-Access-Token"))
    if token is None:
        return JSONResponse({"errors": INVALID_TOKEN}, status_code=401)
    try:
        body = await request.json()
        query, variables = str(body["query"]), body.get("variables") or {}
    except (ValueError, KeyError, TypeError):
        return JSONResponse(
            {"errors": {"query": "Required parameter missing or invalid"}}, status_code=400
        )
    schema = schema_for(version)
    parsed = _parse_operation(schema, query, body.get("operationName"))
    if isinstance(parsed, Response):
        return parsed
    document, operation = parsed
    names = _operation_names(operation, body.get("operationName"))
    size = _input_too_large(document, variables, sandbox.settings.max_input_array)
    if size:
        limit = sandbox.settings.max_input_array
        message = f"The input array size of {size} is greater than the maximum allowed of {limit}."
        return JSONResponse(_errors((message, "MAX_INPUT_SIZE_EXCEEDED")))
    fault = sandbox.faults.pick(domain, names, request.url.path)
    if fault is not None and fault.kind != "commit_then_drop":
        early = await _pre_execution_fault(fault, shop, token.client_id)
        if early is not None:
            return early
    run = _Run(sandbox, shop, token.client_id, version, _root_url(request))
    response = run.execute(schema, document, operation, variables, body.get("operationName"))
    sandbox.request_log.append({"shop": domain, "operations": sorted(names), **run.log})
    del sandbox.request_log[:-MAX_LOG]
    if fault is not None and fault.kind == "commit_then_drop":
        # The write is committed; the caller never learns it (the ambiguous case, DESIGN.md).
        await asyncio.sleep(fault.delay_seconds)
        return Response("upstream request timeout", status_code=fault.status or 504)
    return response


def _parse_operation(
    schema: Any, query: str, name: str | None
) -> tuple[DocumentNode, OperationDefinitionNode] | Response:
    """The query's document and chosen operation, or the errors Shopify answers with."""
    try:
        document = parse(query)
    except GraphQLError as exc:
        return JSONResponse({"errors": [exc.formatted]})
    problems = validate(schema, document)
    if problems:
        return JSONResponse({"errors": [p.formatted for p in problems]})
    operation = get_operation_ast(document, name)
    if operation is None:
        return JSONResponse(_errors(("Operation not found or ambiguous", None)))
    return document, operation


def _operation_names(operation: OperationDefinitionNode, name: str | None) -> set[str]:
    names = {s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)}
    if operation.name:
        names.add(operation.name.value)
    return names | ({name} if name else set())


def _root_url(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


async def _pre_execution_fault(fault: FaultRule, shop: Shop, client_id: str) -> Response | None:
    await asyncio.sleep(fault.delay_seconds)
    if fault.kind == "latency":
        return None
    if fault.kind == "throttled":
        bucket = shop.bucket(client_id)
        body = {
            **_errors(("Throttled", "THROTTLED")),
            "extensions": {
                "cost": {
                    "requestedQueryCost": 0,
                    "actualQueryCost": None,
                    "throttleStatus": bucket.status(),
                }
            },
        }
        return JSONResponse(body, status_code=fault.status or 200)
    if fault.kind == "timeout":
        return Response("upstream request timeout", status_code=fault.status or 504)
    return JSONResponse(
        _errors(("Internal error", "INTERNAL_SERVER_ERROR")), status_code=fault.status or 503
    )


class _Run:
    """One execution: cost check against the bucket, execute, refund the difference."""

    def __init__(
        self, sandbox: Sandbox, shop: Shop, client_id: str, version: str, root: str
    ) -> None:
        self.sandbox, self.shop, self.client_id, self.version, self.root = (
            sandbox,
            shop,
            client_id,
            version,
            root,
        )
        self.log: JSON = {}

    def execute(
        self,
        schema: Any,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: JSON,
        name: str | None,
    ) -> Response:
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        calculator = CostCalculator(schema, operation, fragments, variables)
        requested = calculator.requested()
        bucket = self.shop.bucket(self.client_id)
        self.log = {"requested": requested, "actual": None}
        if requested > self.sandbox.settings.max_query_cost:
            return self._too_costly(requested)
        if not bucket.take(requested):
            return self._throttled(requested, bucket)
        app = self.sandbox.apps[self.client_id]
        context = Context(self.sandbox, self.shop, app, self.version, self.root)
        result = execute_sync(
            schema,
            document,
            context_value=context,
            variable_values=variables,
            operation_name=name,
            field_resolver=field_resolver,
        )
        actual = calculator.actual(result.data) if result.data is not None else requested
        actual = min(actual, requested)
        bucket.refund(requested - actual)
        self.log["actual"] = actual
        answer: JSON = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        answer["extensions"] = self._cost(requested, actual)
        return JSONResponse(answer)

    def _too_costly(self, requested: int) -> Response:
        limit = self.sandbox.settings.max_query_cost
        message = f"Query cost is {requested}, which exceeds the single query max cost"
        message += f" limit ({limit})."
        body = {
            "errors": [
                {
                    "message": message,
                    "extensions": {
                        "code": "MAX_COST_EXCEEDED",
                        "cost": requested,
                        "maxCost": limit,
                        "documentation": RATE_LIMIT_DOCS,
                    },
                }
            ]
        }
        return JSONResponse({**body, "extensions": self._cost(requested, None)})

    def _throttled(self, requested: int, bucket: LeakyBucket) -> Response:
        self.log["throttled"] = True
        settings = self.sandbox.settings
        body = {
            "errors": [
                {
                    "message": "Throttled",
                    "extensions": {"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS},
                }
            ]
        }
        retry_after = math.ceil((requested - bucket.available) / bucket.plan.restore_rate)
        headers = {"Retry-After": str(retry_after)} if settings.throttled_http_status == 429 else {}
        return JSONResponse(
            {**body, "extensions": self._cost(requested, None)},
            status_code=settings.throttled_http_status,
            headers=headers,
        )

    def _cost(self, requested: int, actual: int | None) -> JSON:
        status = self.shop.bucket(self.client_id).status()
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": status,
            }
        }
