"""Shapes shared by several APIs: the model base, money, images, per-item errors, pages."""

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class TikTokModel(BaseModel):
    """Base of every payload model: unknown fields are kept, as the platform adds fields often."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    def to_body(self) -> dict[str, Any]:
        """Return the JSON body of this model (None fields left out, Decimals as strings)."""
        return self.model_dump(mode="json", exclude_none=True)


class Money(TikTokModel):
    """An amount in a currency; TikTok sends amounts as decimal strings (reference D4)."""

    amount: Decimal
    currency: str


class ImageRef(TikTokModel):
    """A TikTok-hosted image, referenced by the `uri` from image upload."""

    uri: str


class ItemError(TikTokModel):
    """A per-item failure inside a successful response (`data.errors[]`)."""

    code: int
    message: str = ""
    detail: dict[str, Any] = Field(default_factory=dict)


class ErrorsResult(TikTokModel):
    """A batch response whose only content is the per-item errors."""

    errors: list[ItemError] = Field(default_factory=list)
