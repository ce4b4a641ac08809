"""Per-shop webhook subscriptions: create, list, delete (B8)."""

from __future__ import annotations

from collections.abc import Sequence

from shopify.models import WebhookSubscription
from shopify.pagination import paginate
from shopify.session import GraphQLSession
from shopify.user_errors import raise_for_user_errors

SUBSCRIPTION_FIELDS = "id topic uri format createdAt"
CREATE = f"""
mutation webhookSubscriptionCreate(
  $topic: WebhookSubscriptionTopic!, $sub: WebhookSubscriptionInput!
) {{
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $sub) {{
    webhookSubscription {{ {SUBSCRIPTION_FIELDS} }}
    userErrors {{ field message }}
  }}
}}
"""
LIST = f"""
query webhookSubscriptions($first: Int!, $after: String) {{
  webhookSubscriptions(first: $first, after: $after) {{
    pageInfo {{ hasNextPage endCursor }}
    nodes {{ {SUBSCRIPTION_FIELDS} }}
  }}
}}
"""
DELETE = """
mutation webhookSubscriptionDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId userErrors { field message } }
}
"""


def topic_enum(topic: str) -> str:
    """`orders/create` → `ORDERS_CREATE` (B8 naming rule)."""
    return topic.replace("/", "_").upper()


class WebhookSubscriptions:
    """Webhook subscriptions of one shop, owned by our app."""

    def __init__(self, session: GraphQLSession) -> None:
        self._session = session

    async def create(
        self,
        topic: str,
        uri: str,
        *,
        include_fields: Sequence[str] | None = None,
        filter_query: str | None = None,
    ) -> WebhookSubscription:
        """Subscribe `uri` to `topic` (either `orders/create` or `ORDERS_CREATE`)."""
        sub: dict[str, object] = {"uri": uri, "format": "JSON"}
        if include_fields:
            sub["includeFields"] = list(include_fields)
        if filter_query:
            sub["filter"] = filter_query
        data = await self._session.execute(
            CREATE, {"topic": topic_enum(topic), "sub": sub}, operation="webhookSubscriptionCreate"
        )
        payload = data["webhookSubscriptionCreate"]
        raise_for_user_errors("webhookSubscriptionCreate", payload)
        return WebhookSubscription.model_validate(payload["webhookSubscription"])

    async def all(self) -> list[WebhookSubscription]:
        """Every subscription of the shop."""
        return [
            WebhookSubscription.model_validate(node)
            async for node in paginate(
                self._session,
                LIST,
                operation="webhookSubscriptions",
                path=("webhookSubscriptions",),
            )
        ]

    async def delete(self, subscription_id: str) -> None:
        """Remove a subscription."""
        data = await self._session.execute(
            DELETE, {"id": subscription_id}, operation="webhookSubscriptionDelete"
        )
        raise_for_user_errors("webhookSubscriptionDelete", data["webhookSubscriptionDelete"])
