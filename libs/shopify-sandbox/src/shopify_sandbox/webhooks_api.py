"""webhookSubscriptionCreate / list / delete, scoped to the calling app (B8)."""

from __future__ import annotations

from typing import Any

from shopify_sandbox.connections import connection
from shopify_sandbox.records import WebhookSubscription
from shopify_sandbox.resolving import Info, Resolvers, ctx, user_error

JSON = dict[str, Any]


def _create(_: Any, info: Info, topic: str, webhookSubscription: JSON) -> JSON:
    context = ctx(info)
    uri = webhookSubscription.get("uri") or webhookSubscription.get("callbackUrl")
    if not uri or not str(uri).startswith(("http://", "https://", "pubsub://", "arn:")):
        return {
            "webhookSubscription": None,
            "userErrors": [user_error(["webhookSubscription", "uri"], "Address is invalid")],
        }
    mine = [s for s in context.shop.subscriptions.values() if s.client_id == context.app.client_id]
    if any(s.topic == topic and s.uri == uri for s in mine):
        return {
            "webhookSubscription": None,
            "userErrors": [
                user_error(
                    ["webhookSubscription", "callbackUrl"],
                    "Address for this topic has already been taken",
                )
            ],
        }
    sub = WebhookSubscription(
        id=context.shop.new_gid("WebhookSubscription"),
        client_id=context.app.client_id,
        topic=topic,
        uri=str(uri),
        format=webhookSubscription.get("format") or "JSON",
        include_fields=list(webhookSubscription.get("includeFields") or []),
        filter=webhookSubscription.get("filter"),
        api_version=context.version,
    )
    context.shop.subscriptions[sub.id] = sub
    return {"webhookSubscription": sub, "userErrors": []}


def _mine(info: Info) -> list[WebhookSubscription]:
    context = ctx(info)
    return [s for s in context.shop.subscriptions.values() if s.client_id == context.app.client_id]


def _list(_: Any, info: Info, topics: list[str] | None = None, **args: Any) -> JSON:
    found = [s for s in _mine(info) if not topics or s.topic in topics]
    return connection(found, info, args)


def _delete(_: Any, info: Info, id: str) -> JSON:
    if id not in {s.id for s in _mine(info)}:
        return {
            "deletedWebhookSubscriptionId": None,
            "userErrors": [user_error(["id"], "Webhook subscription does not exist")],
        }
    del ctx(info).shop.subscriptions[id]
    return {"deletedWebhookSubscriptionId": id, "userErrors": []}


RESOLVERS: Resolvers = {
    ("Mutation", "webhookSubscriptionCreate"): _create,
    ("Mutation", "webhookSubscriptionDelete"): _delete,
    ("QueryRoot", "webhookSubscriptions"): _list,
    ("QueryRoot", "webhookSubscription"): lambda _, info, id: next(
        (s for s in _mine(info) if s.id == id), None
    ),
}
