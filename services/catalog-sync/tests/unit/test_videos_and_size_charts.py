"""Product videos (pull, rules, upload name, pre-check) and size charts (image or template)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from catalog_sync.core.file_names import safe_file_name
from catalog_sync.core.listing import resolve_listing
from catalog_sync.core.mapping import (
    PushTarget,
    TikTokSnapshot,
    pick_video,
    size_chart_of,
    to_tiktok_product,
)
from catalog_sync.core.models import (
    CategoryRequirements,
    ConnectorEdits,
    ListingLayer,
    PackageSetting,
    ResolvedListing,
    SourceProduct,
    SourceVariant,
    SourceVideo,
)
from catalog_sync.core.precheck import listing_issues, precheck
from catalog_sync.core.sync_rules import DEFAULTS, Mode, Source, SyncField
from catalog_sync.core.translate import to_source_product
from catalog_sync.core.videos import first_video, upload_name, video_issues
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from shopify.models import Media, Product

MP4 = {
    "url": "https://cdn.shopify.com/videos/c/o/v/tour.mp4",
    "mimeType": "video/mp4",
    "format": "mp4",
    "width": 1080,
    "height": 1920,
    "fileSize": 3_000_000,
}
HLS = MP4 | {"url": "https://cdn.shopify.com/videos/c/vp/tour.m3u8", "format": "m3u8"}
SMALL = MP4 | {"url": "https://cdn.shopify.com/videos/c/vp/tour-480.mp4", "width": 480}


def media(*items: dict[str, object]) -> list[Media]:
    return [Media.model_validate(i) for i in items]


IMAGE = {"id": "gid://shopify/MediaImage/1", "mediaContentType": "IMAGE", "image": {"url": "u"}}
VIDEO = {
    "id": "gid://shopify/Video/2",
    "mediaContentType": "VIDEO",
    "filename": "tour.mp4",
    "sources": [HLS, SMALL, MP4],
}


def test_pull_takes_the_largest_file_rendition_of_the_first_video() -> None:
    second = VIDEO | {"id": "gid://shopify/Video/3", "filename": "other.mp4"}
    video = first_video(media(IMAGE, VIDEO, second))
    assert video == SourceVideo(
        url=MP4["url"], filename="tour.mp4", format="mp4", width=1080, height=1920,
        file_size=3_000_000,
    )  # fmt: skip


def test_products_without_video_pull_none_and_a_playlist_only_video_keeps_its_format() -> None:
    assert first_video(media(IMAGE)) is None
    only_hls = first_video(media(VIDEO | {"sources": [HLS]}))
    assert only_hls is not None
    assert only_hls.format == "m3u8"
    assert [i.code for i in video_issues(only_hls)] == ["video_format"]


def test_translated_product_carries_images_and_its_video() -> None:
    product = Product.model_validate(
        {
            "id": "gid://shopify/Product/1",
            "title": "Jar",
            "handle": "jar",
            "status": "ACTIVE",
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00Z",
            "media": [IMAGE, VIDEO],
        }
    )
    source = to_source_product(product)
    assert source.image_urls == ["u"]
    assert source.video is not None
    assert source.video.url == MP4["url"]


@pytest.mark.parametrize(
    ("filename", "url", "expected"),
    [
        ("tour.mp4", "https://x/a.mp4", "tour.mp4"),
        ("my summer.clip.v2.mov", "https://x/a.mov", "my-summer-clip-v2.mp4"),
        ("", "https://cdn.shopify.com/videos/c/o/v/abc123.mp4?v=1", "abc123.mp4"),
        ("__.mp4", "https://x/", "product-video.mp4"),
    ],
)
def test_upload_name_has_one_period_no_spaces_and_no_leading_symbol(
    filename: str, url: str, expected: str
) -> None:
    assert upload_name(SourceVideo(url=url, filename=filename, format="mp4")) == expected


def test_certificate_pdf_names_are_made_safe_too() -> None:
    assert safe_file_name("My Certificate (2024).PDF", "pdf", "certificate") == (
        "My-Certificate-2024.pdf"
    )
    assert safe_file_name("", "pdf", "certificate") == "certificate.pdf"


@given(width=st.integers(1, 4000), height=st.integers(1, 4000))
def test_ratio_issue_exactly_outside_nine_by_sixteen_to_sixteen_by_nine(
    width: int, height: int
) -> None:
    issues = video_issues(SourceVideo(url="u", width=width, height=height))
    outside = width * 16 < height * 9 or width * 9 > height * 16
    assert ("video_ratio" in [i.code for i in issues]) == outside


def test_videos_over_100_mb_are_flagged() -> None:
    big = SourceVideo(url="u", width=720, height=720, file_size=101 * 1024 * 1024)
    assert [i.code for i in video_issues(big)] == ["video_too_large"]
    assert video_issues(big.model_copy(update={"file_size": 100 * 1024 * 1024})) == []


TARGET = PushTarget(region="US", category_id="600010", warehouse_id="w", video_id="v-file")


@pytest.mark.parametrize(
    ("source", "current", "expected"),
    [
        (Source.ORIGIN, None, "v-file"),
        (Source.DONT_SYNC, None, None),
        (Source.TIKTOK, TikTokSnapshot(video_id="v-tiktok"), "v-tiktok"),
        (Source.TIKTOK, TikTokSnapshot(), None),
    ],
)
def test_video_rule_picks_shopify_none_or_tiktoks_own(
    source: Source, current: TikTokSnapshot | None, expected: str | None
) -> None:
    picked = pick_video(TARGET, source, current)
    assert (picked.id if picked else None) == expected


def test_origin_rule_sends_no_video_when_shopify_has_none() -> None:
    assert pick_video(TARGET.model_copy(update={"video_id": None}), Source.ORIGIN, None) is None


def product(video: SourceVideo | None = None) -> SourceProduct:
    return SourceProduct(
        shopify_product_id="gid://shopify/Product/7",
        title="Glass Jar",
        product_type="Storage Jar",
        image_urls=["https://cdn/0.jpg"],
        video=video,
        variants=[SourceVariant(shopify_variant_id="v1", sku="J-1", price=Decimal(5), stock=1)],
        updated_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_create_body_carries_the_video_and_the_size_chart_template() -> None:
    listing = ResolvedListing(size_chart_template_id="736", package=PackageSetting(weight=1))
    body = to_tiktok_product(
        product(SourceVideo(url="u", width=720, height=720)),
        edits=ConnectorEdits(),
        rules=DEFAULTS[Mode.CREATE],
        listing=listing,
        requirements=CategoryRequirements(category_id="600010"),
        target=TARGET,
    ).to_body()
    assert body["video"] == {"id": "v-file"}
    assert body["size_chart"] == {"template": {"id": "736"}}


def test_size_chart_is_a_template_an_image_or_nothing() -> None:
    template = size_chart_of(ResolvedListing(size_chart_template_id="736"))
    image = size_chart_of(ResolvedListing(size_chart_uri="tos/chart"))
    assert template is not None
    assert template.to_body() == {"template": {"id": "736"}}
    assert image is not None
    assert image.to_body() == {"image": {"uri": "tos/chart"}}
    assert size_chart_of(ResolvedListing()) is None


def test_a_layer_takes_a_size_chart_image_or_a_template_not_both() -> None:
    with pytest.raises(ValidationError, match="not both"):
        ListingLayer(size_chart_uri="tos/chart", size_chart_template_id="736")


def test_size_chart_comes_whole_from_the_highest_level_that_sets_one() -> None:
    store = ListingLayer(size_chart_uri="tos/store-chart")
    category = ListingLayer(size_chart_template_id="736")
    resolved = resolve_listing(ListingLayer(), category, store)
    assert (resolved.size_chart_template_id, resolved.size_chart_uri) == ("736", None)
    own = resolve_listing(ListingLayer(size_chart_uri="tos/own"), category, store)
    assert (own.size_chart_template_id, own.size_chart_uri) == (None, "tos/own")


@pytest.mark.parametrize(
    "listing",
    [ResolvedListing(size_chart_uri="tos/chart"), ResolvedListing(size_chart_template_id="736")],
)
def test_a_required_size_chart_is_met_by_an_image_or_a_template(listing: ResolvedListing) -> None:
    needs = CategoryRequirements(category_id="900010", size_chart_required=True)
    assert listing_issues(listing, needs) == []
    missing = listing_issues(ResolvedListing(), needs)
    assert [i.code for i in missing] == ["missing_size_chart"]
    assert "template" in missing[0].message


def test_precheck_flags_an_unlistable_video_only_under_the_origin_rule() -> None:
    wide = product(SourceVideo(url="u", width=2000, height=500))
    args = {
        "key": None,
        "mapping": None,
        "requirements": None,
        "listing": ResolvedListing(package=PackageSetting(weight=1)),
        "edits": ConnectorEdits(),
        "region": "US",
    }
    origin = precheck(wide, rules=DEFAULTS[Mode.CREATE], **args)  # type: ignore[arg-type]
    dont = DEFAULTS[Mode.CREATE] | {SyncField.VIDEO: Source.DONT_SYNC}
    skipped = precheck(wide, rules=dont, **args)  # type: ignore[arg-type]
    assert "video_ratio" in [i.code for i in origin]
    assert "video_ratio" not in [i.code for i in skipped]
