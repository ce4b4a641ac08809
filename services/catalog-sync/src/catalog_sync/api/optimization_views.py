"""The shapes of the Optimize Info API (`api/optimization.py`)."""

from pydantic import BaseModel, Field

from catalog_sync.core.optimization import OptimizedField, Suggestions


class ListingNow(BaseModel):
    """The product's TikTok listing as TikTok says it is now."""

    tiktok_product_id: str
    status: str
    audit_status: str | None
    title: str
    description: str
    main_image_uri: str | None


class AppliedView(BaseModel):
    """A value the connector set with Optimize Info, and what Undo puts back."""

    field: OptimizedField
    previous: str = Field(description="TikTok's value before the first optimization.")
    applied: str
    kept_on_update: bool = Field(
        description="Whether the next update from the connector keeps it (the field's update "
        "sync rule: TikTok Shop keeps every value; a Shopify media rule keeps an optimized "
        "main image while the Shopify main image is the one it was made from)."
    )


class OptimizationView(BaseModel):
    """Optimize Info for one product in a region."""

    region: str
    listing: ListingNow
    suggestions: Suggestions | None = Field(
        default=None, description="TikTok's suggestions (GET only; actions answer the listing)."
    )
    applied: list[AppliedView]
    other_images: str = Field(description="Where the other images are changed (media rule).")


class ApplyRequest(BaseModel):
    """Suggestions to apply: the chosen (or edited) title and description, and SEO keywords
    added to the end of the title (the one given, else TikTok's current one)."""

    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, min_length=1, max_length=100_000)
    keywords: list[str] = Field(default_factory=list, max_length=20)


class UndoRequest(BaseModel):
    """Applied suggestions to undo: TikTok gets back its value from before."""

    fields: list[OptimizedField] = Field(min_length=1, max_length=3)
