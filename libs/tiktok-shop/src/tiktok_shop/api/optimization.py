"""Optimize Info (US / UK): TikTok's recommendations for live products and optimized images."""

from collections.abc import Sequence

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi
from tiktok_shop.endpoints import Endpoint
from tiktok_shop.models.optimization import (
    ImageToOptimize,
    OptimizedImage,
    ProductDiagnosis,
    ProductSeoWords,
    ProductSuggestions,
)

MAX_SUGGESTION_IDS = 20  # suggestions and SEO words (reference)
MAX_DIAGNOSIS_IDS = 200
MAX_OPTIMIZE_IMAGES = 200


def _ids_query(product_ids: Sequence[str], limit: int) -> dict[str, str]:
    # A `[]string` query parameter goes comma-separated (the reference's example URLs).
    if not 0 < len(product_ids) <= limit:
        raise ValueError(f"pass 1..{limit} product ids per call")
    return {"product_ids": ",".join(product_ids)}


class OptimizationApi(AreaApi):
    """Recommended titles and descriptions, SEO words, diagnoses and image optimization."""

    async def _products(self, endpoint: Endpoint, ids: Sequence[str], limit: int) -> list[object]:
        data = await self._call(endpoint, query=_ids_query(ids, limit))
        return list(data.get("products") or [])

    async def suggestions(self, product_ids: Sequence[str]) -> list[ProductSuggestions]:
        """Get Recommended Product Title And Description of up to 20 live products."""
        found = await self._products(ep.PRODUCT_SUGGESTIONS, product_ids, MAX_SUGGESTION_IDS)
        return [ProductSuggestions.model_validate(p) for p in found]

    async def seo_words(self, product_ids: Sequence[str]) -> list[ProductSeoWords]:
        """Get Products SEO Words of up to 20 live products."""
        found = await self._products(ep.PRODUCT_SEO_WORDS, product_ids, MAX_SUGGESTION_IDS)
        return [ProductSeoWords.model_validate(p) for p in found]

    async def diagnoses(self, product_ids: Sequence[str]) -> list[ProductDiagnosis]:
        """Product Information Issue Diagnosis of up to 200 live products."""
        found = await self._products(ep.PRODUCT_DIAGNOSES, product_ids, MAX_DIAGNOSIS_IDS)
        return [ProductDiagnosis.model_validate(p) for p in found]

    async def optimize_images(self, images: Sequence[ImageToOptimize]) -> list[OptimizedImage]:
        """Optimized Images (up to 200 uploaded images); PROCESSING ones: call again."""
        if not 0 < len(images) <= MAX_OPTIMIZE_IMAGES:
            raise ValueError(f"pass 1..{MAX_OPTIMIZE_IMAGES} images per call")
        body = {"images": [i.to_body() for i in images]}
        data = await self._call(ep.IMAGE_OPTIMIZE, body=body)
        return [OptimizedImage.model_validate(i) for i in data.get("images") or []]
