"""Pull windows: which Shopify products a pull asks for (reference B3 search syntax)."""

from datetime import datetime


def updated_at_query(since: datetime | None, until: datetime | None) -> str | None:
    """Shopify search on updated_at for the window (None: every product)."""
    terms = []
    if since is not None:
        terms.append(f"updated_at:>='{since.isoformat()}'")
    if until is not None:
        terms.append(f"updated_at:<='{until.isoformat()}'")
    return " AND ".join(terms) or None
