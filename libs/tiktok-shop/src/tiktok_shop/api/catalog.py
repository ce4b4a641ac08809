"""Categories, attributes, rules, brands, size charts and media uploads (reference A6 Products)."""

from collections.abc import AsyncIterator, Sequence

from tiktok_shop import endpoints as ep
from tiktok_shop.api.area import AreaApi, page_query
from tiktok_shop.models.products import (
    Attribute,
    Brand,
    Category,
    CategoryRecommendation,
    CategoryRules,
    SizeChartTemplate,
    UploadedFile,
    UploadedImage,
)
from tiktok_shop.pagination import Page, paginate

MAX_SIZE_CHART_IDS = 50


def _version(category_version: str | None) -> dict[str, str]:
    # US shops must pass category_version=v2; other regions use v1 (reference A6).
    return {"category_version": category_version} if category_version else {}


class CatalogApi(AreaApi):
    """What a product may be listed as, and where its media lives."""

    async def categories(
        self, category_version: str | None = None, keyword: str | None = None
    ) -> list[Category]:
        """Get Categories (the whole tree, or those matching `keyword`)."""
        query = _version(category_version) | ({"keyword": keyword} if keyword else {})
        data = await self._call(ep.CATEGORIES, query=query)
        return [Category.model_validate(c) for c in data.get("categories") or []]

    async def recommend_category(
        self, product_title: str, category_version: str | None = None
    ) -> CategoryRecommendation:
        """Recommend Category for a product title."""
        body = {"product_title": product_title} | _version(category_version)
        data = await self._call(ep.CATEGORY_RECOMMEND, body=body)
        return CategoryRecommendation.model_validate(data)

    async def attributes(
        self, category_id: str, category_version: str | None = None
    ) -> list[Attribute]:
        """Get Attributes of a leaf category."""
        data = await self._call(
            ep.CATEGORY_ATTRIBUTES,
            path_params={"category_id": category_id},
            query=_version(category_version),
        )
        return [Attribute.model_validate(a) for a in data.get("attributes") or []]

    async def rules(self, category_id: str, category_version: str | None = None) -> CategoryRules:
        """Get Category Rules: certifications, package dimensions, size chart."""
        data = await self._call(
            ep.CATEGORY_RULES,
            path_params={"category_id": category_id},
            query=_version(category_version),
        )
        return CategoryRules.model_validate(data)

    async def brands(
        self,
        category_id: str | None = None,
        *,
        brand_name: str | None = None,
        page_size: int = 100,
        page_token: str | None = None,
    ) -> Page[Brand]:
        """One page of Get Brands."""
        query = page_query(page_size, page_token, category_id=category_id, brand_name=brand_name)
        data = await self._call(ep.BRANDS, query=query)
        items = [Brand.model_validate(b) for b in data.get("brands") or []]
        return Page(items, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    async def create_brand(self, name: str) -> str:
        """Create Custom Brand (2-30 chars); returns the brand id."""
        data = await self._call(ep.BRAND_CREATE, body={"name": name})
        return str(data["id"])

    async def size_charts(
        self,
        *,
        ids: Sequence[str] = (),
        keyword: str | None = None,
        locales: Sequence[str] = (),
        page_size: int = 100,
        page_token: str | None = None,
    ) -> Page[SizeChartTemplate]:
        """One page of Search Size Charts: the seller's templates (by ids, else by keyword)."""
        if len(ids) > MAX_SIZE_CHART_IDS:
            raise ValueError(f"pass at most {MAX_SIZE_CHART_IDS} size chart ids per call")
        query = page_query(page_size, page_token, locales=",".join(locales) or None)
        body: dict[str, object] = {"ids": list(ids)} if ids else {}
        if keyword:
            body["keyword"] = keyword
        data = await self._call(ep.SIZE_CHART_SEARCH, query=query, body=body)
        items = [SizeChartTemplate.model_validate(c) for c in data.get("size_chart") or []]
        return Page(items, data.get("next_page_token") or "", int(data.get("total_count") or 0))

    def iter_size_charts(self, keyword: str | None = None) -> AsyncIterator[SizeChartTemplate]:
        """Every size chart template of the seller matching `keyword`, across pages."""
        return paginate(lambda token: self.size_charts(keyword=keyword, page_token=token))

    async def upload_image(
        self, content: bytes, use_case: str = "MAIN_IMAGE", filename: str = "image.jpg"
    ) -> UploadedImage:
        """Upload Product Image (multipart; the body is not signed)."""
        data = await self._call(
            ep.IMAGE_UPLOAD,
            files={"data": (filename, content, "application/octet-stream")},
            form={"use_case": use_case},
            # Uploading twice only leaves an unused image behind.
            retry_safe=True,
        )
        return UploadedImage.model_validate(data)

    async def upload_file(self, content: bytes, name: str) -> UploadedFile:
        """Upload Product File: PDF certificates, or a product video (MP4, MOV, WEBM, ...).

        `name` carries the extension and no other period, spaces or leading symbol (reference).
        """
        data = await self._call(
            ep.FILE_UPLOAD,
            files={"data": (name, content, "application/octet-stream")},
            form={"name": name},
            retry_safe=True,
        )
        return UploadedFile.model_validate(data)
