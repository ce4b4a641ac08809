"""Optimize Info: recommended titles and descriptions, SEO words, diagnoses, optimized images.

Shapes of the 202404/202405 endpoints in the reference (`products/get-recommended-product-title-
and-description`, `get-products-seo-words`, `product-information-issue-diagnosis`,
`optimized-images`); TikTok offers them to US and UK shops.
"""

from pydantic import Field

from tiktok_shop.models.common import TikTokModel


class SuggestedText(TikTokModel):
    """One generated text: a title, a description or an SEO keyword."""

    text: str = ""


class FieldSuggestion(TikTokModel):
    """TikTok's texts for one field (`TITLE` or `DESCRIPTION`)."""

    field: str = ""
    items: list[SuggestedText] = Field(default_factory=list)


class ProductSuggestions(TikTokModel):
    """Get Recommended Product Title And Description: one product's suggestions."""

    id: str
    suggestions: list[FieldSuggestion] = Field(default_factory=list)


class ProductSeoWords(TikTokModel):
    """Get Products SEO Words: keywords for one product's title."""

    id: str
    seo_words: list[SuggestedText] = Field(default_factory=list)


class DiagnosedImage(TikTokModel):
    """The main image as diagnosed, with TikTok's optimized version of it."""

    uri: str = ""
    url: str = ""
    optimized_uri: str = ""
    optimized_url: str = ""
    height: int = 0
    width: int = 0


class DiagnosisSuggestion(TikTokModel):
    """What TikTok generated to improve one diagnosed field."""

    seo_words: list[SuggestedText] = Field(default_factory=list)
    smart_texts: list[SuggestedText] = Field(default_factory=list)
    images: list[DiagnosedImage] = Field(default_factory=list)


class DiagnosisResult(TikTokModel):
    """One issue found in a field, how to solve it, and the tier fixing it reaches."""

    code: str = ""
    how_to_solve: str = ""
    quality_tier: str = ""


class FieldDiagnosis(TikTokModel):
    """The diagnosis of one field: TITLE, DESCRIPTION, IMAGE, ATTRIBUTE or SIZE_CHART."""

    field: str = ""
    diagnosis_results: list[DiagnosisResult] = Field(default_factory=list)
    suggestion: DiagnosisSuggestion | None = None


class ListingQuality(TikTokModel):
    """The listing's quality tier (POOR, FAIR, GOOD); TikTok says it for US shops only."""

    current_tier: str = ""
    remaining_recommendations: int = 0


class ProductDiagnosis(TikTokModel):
    """Product Information Issue Diagnosis: one product's diagnoses."""

    id: str
    listing_quality: ListingQuality | None = None
    diagnoses: list[FieldDiagnosis] = Field(default_factory=list)


class ImageToOptimize(TikTokModel):
    """One image of an Optimized Images request (a uri from Upload Product Image)."""

    uri: str
    optimization_mode: list[str] = Field(default_factory=lambda: ["WHITE_BACKGROUND"])


class OptimizedImage(TikTokModel):
    """Optimized Images: SUCCESS (optimized_* set), IGNORE (optimized before) or PROCESSING
    (call again in a few seconds)."""

    original_uri: str = ""
    original_url: str = ""
    optimized_uri: str = ""
    optimized_url: str = ""
    optimize_status: str = ""
    height: int = 0
    width: int = 0
