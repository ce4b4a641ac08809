"""catalog-sync metrics (all `connector_catalog_*`): what an operator alerts on."""

from prometheus_client import Counter

PUSH_RESULTS = Counter(
    "connector_catalog_push_results_total",
    "Product pushes by outcome (created, updated, failed) and failure reason code.",
    ["outcome", "reason"],
)
PRODUCTS_PULLED = Counter(
    "connector_catalog_products_pulled_total",
    "Shopify products pulled into the connector, by trigger (bulk, webhook) and action.",
    ["trigger", "action"],
)
AUDIT_RESULTS = Counter(
    "connector_catalog_audit_results_total",
    "TikTok review outcomes received by webhook (approved, failed).",
    ["outcome"],
)
BULK_PULLS = Counter(
    "connector_catalog_bulk_pulls_total",
    "Pulls' Shopify bulk operations by step (start, webhook, check) and outcome (adopted, "
    "queued: in line for a bulk slot of the store, gave_up: waited too long or failed to "
    "start; completed, failed, canceled, expired, timed_out, error; duplicate, unknown, "
    "still_running).",
    ["via", "outcome"],
)
TASKS = Counter(
    "connector_catalog_tasks_total",
    "Catalog tasks finished, by kind and final status (completed, error).",
    ["kind", "status"],
)
COMPLIANCE_RESULTS = Counter(
    "connector_catalog_compliance_results_total",
    "Qualification Center writes to TikTok by action (create, edit), kind and outcome.",
    ["action", "kind", "outcome"],
)
DELETIONS = Counter(
    "connector_catalog_deletions_total",
    "TikTok listings of products deleted in Shopify, by outcome (deactivated, refused, "
    "awaiting_review, not_listed).",
    ["outcome"],
)

AUTO_LINKS = Counter(
    "connector_catalog_auto_links_total",
    "TikTok listings met by a link-by-SKU task, by outcome (linked, not_linked).",
    ["outcome"],
)
CATEGORY_RECOMMENDATIONS = Counter(
    "connector_catalog_category_recommendations_total",
    "TikTok category recommendations asked for unmapped Shopify categories, by market (US, GB, "
    "...; GLOBAL: the Global Categories) and outcome (recommended, none).",
    ["region", "outcome"],
)
OPTIMIZATIONS = Counter(
    "connector_catalog_optimizations_total",
    "Optimize Info actions (suggest, apply, undo, optimize_image, revert_image) by outcome "
    "(done; not_offered, not_listed, not_live, invalid, nothing_to_undo, changed, processing, "
    "ignored: refused with a reason; refused, unauthorized, unavailable: TikTok's answer).",
    ["action", "outcome"],
)
