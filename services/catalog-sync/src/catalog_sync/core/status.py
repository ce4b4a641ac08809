"""Per-product sync status as the merchant sees it."""

from connector_contracts import ProductSyncStatus

# Not synced / synced / sync failed / update failed (guide: Products): the statuses
# `product.sync.changed` carries to the Home dashboard, so one definition serves both.
SyncStatus = ProductSyncStatus


def failed(linked: bool) -> SyncStatus:
    """A failed first push is "sync failed"; a failed push of a listed product "update failed"."""
    return SyncStatus.UPDATE_FAILED if linked else SyncStatus.SYNC_FAILED


AUDIT_FAILED_STATUSES = frozenset({"PRODUCT_AUDIT_FAILURE", "FAILED"})
AUDIT_PASSED_STATUSES = frozenset({"PRODUCT_FIRST_PASS_REVIEW", "APPROVED", "PRE_APPROVED"})


def audit_outcome(status: str | None, audit_status: str | None) -> bool | None:
    """True when a webhook says the review passed, False when it failed, None otherwise."""
    values = {status or "", audit_status or ""}
    if values & AUDIT_FAILED_STATUSES:
        return False
    if values & AUDIT_PASSED_STATUSES:
        return True
    return None
