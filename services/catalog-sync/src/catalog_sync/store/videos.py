"""Shopify videos uploaded to TikTok Shop: uploaded once per connection and file, then re-used."""

from connector_runtime.db import Connection


async def uploaded_video(db: Connection, connection_id: str, url: str) -> str | None:
    """The TikTok file id of a Shopify video uploaded before."""
    file_id: str | None = await db.fetchval(
        "SELECT tiktok_file_id FROM videos WHERE connection_id=$1 AND source_url=$2",
        connection_id,
        url,
    )
    return file_id


async def save_video(db: Connection, connection_id: str, url: str, file_id: str) -> None:
    """Remember an uploaded video (the first upload wins a race; both ids stay valid)."""
    await db.execute(
        "INSERT INTO videos (connection_id, source_url, tiktok_file_id) VALUES ($1,$2,$3)"
        " ON CONFLICT DO NOTHING",
        connection_id,
        url,
        file_id,
    )
