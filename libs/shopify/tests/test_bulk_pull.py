"""A bulk operation pull reassembles every product with its variants, stock and media (B4)."""

from __future__ import annotations

from shopify import ShopifyClient
from shopify_sandbox.testing import SandboxShop


async def test_bulk_pull_reassembles_products_from_jsonl(
    env: SandboxShop, client: ShopifyClient
) -> None:
    seeded = env.control.seed(
        env.shop, products=40, variants_per_product=4, missing_images_ratio=0.2, seed=7
    )
    pulled = [p async for p in client.bulk.pull_products()]
    assert sorted(p.id for p in pulled) == sorted(seeded["product_ids"])
    assert all(len(p.variants) == 4 for p in pulled)
    for product in pulled:
        for variant in product.variants:
            assert variant.inventory_item is not None
            levels = variant.inventory_item.inventory_levels
            assert sorted(lv.location_id for lv in levels) == sorted(env.locations)
            assert all(lv.available is not None for lv in levels)
    assert (
        sum(1 for p in pulled if not any(m.image_url for m in p.media))
        == (seeded["missing_images"])
    )
    assert sum(1 for p in pulled if any(m.sources for m in p.media)) == seeded["with_video"] > 0


async def test_bulk_pull_matches_paged_reads(env: SandboxShop, client: ShopifyClient) -> None:
    env.control.seed(env.shop, products=6, variants_per_product=3, seed=3)
    bulk = {p.id: p async for p in client.bulk.pull_products()}
    paged = {p.id: p async for p in client.products.search(page_size=4)}
    assert bulk.keys() == paged.keys()
    for product_id, product in paged.items():
        assert [v.sku for v in bulk[product_id].variants] == [v.sku for v in product.variants]
        assert [v.price for v in bulk[product_id].variants] == [v.price for v in product.variants]


async def test_bulk_pull_of_a_filtered_query_with_no_match_yields_nothing(
    env: SandboxShop, client: ShopifyClient
) -> None:
    env.control.seed(env.shop, products=3)
    assert [p async for p in client.bulk.pull_products("product_type:Nothing")] == []


async def test_date_range_pull_returns_only_recently_updated_products(
    env: SandboxShop, client: ShopifyClient
) -> None:
    env.control.seed(env.shop, products=30, variants_per_product=1, seed=5)
    everything = [p async for p in client.bulk.pull_products()]
    cutoff = sorted(p.updated_at for p in everything)[20]
    recent = [p async for p in client.bulk.pull_products(f"updated_at:>='{cutoff.isoformat()}'")]
    assert sorted(p.id for p in recent) == sorted(
        p.id for p in everything if p.updated_at >= cutoff
    )
    assert len(recent) == 10


async def test_products_carry_type_category_prices_barcodes_options_and_media(
    env: SandboxShop, client: ShopifyClient
) -> None:
    env.control.seed(
        env.shop,
        products=3,
        variants_per_product=4,
        product_types=["Mugs"],
        compare_at_ratio=1.0,
        missing_barcode_ratio=0.0,
        missing_images_ratio=0.0,
        missing_product_type_ratio=0.0,
    )
    for product in [p async for p in client.bulk.pull_products()]:
        assert product.product_type == "Mugs"
        assert product.category is not None
        assert product.category.id.startswith("gid://shopify/TaxonomyCategory/")
        assert [o.name for o in product.options] == ["Size"]
        assert all(m.image_url or m.sources for m in product.media)
        for variant in product.variants:
            assert variant.compare_at_price is not None
            assert variant.compare_at_price > variant.price
            assert variant.barcode
            assert variant.sku
            assert variant.selected_options[0].name == "Size"


async def test_videos_are_read_with_their_sources_in_bulk_and_paged_reads(
    env: SandboxShop, client: ShopifyClient
) -> None:
    seeded = env.control.seed(env.shop, products=2, variants_per_product=1, video_ratio=0.0)
    product_id = seeded["product_ids"][0]
    env.control.add_video(env.shop, product_id, filename="tour.mp4", width=720, height=1280)
    bulk = {p.id: p async for p in client.bulk.pull_products()}
    paged = await client.products.get(product_id)
    assert paged is not None
    for product in (bulk[product_id], paged):
        video = product.media[-1]
        assert (video.media_content_type, video.filename) == ("VIDEO", "tour.mp4")
        mp4 = next(s for s in video.sources if s.mime_type == "video/mp4")
        assert (mp4.format, mp4.width, mp4.height) == ("mp4", 720, 1280)
        assert mp4.url.endswith("tour.mp4")
    other = bulk[seeded["product_ids"][1]]
    assert all(m.media_content_type == "IMAGE" for m in other.media)


async def test_metafields_are_read_in_bulk_and_single_product_reads(
    env: SandboxShop, client: ShopifyClient
) -> None:
    seeded = env.control.seed(env.shop, products=2, variants_per_product=2, video_ratio=0.0)
    product_id = seeded["product_ids"][0]
    fields = [
        {
            "namespace": "custom",
            "key": "material",
            "type": "single_line_text_field",
            "value": "Wax",
        },
        {
            "namespace": "custom",
            "key": "tags",
            "type": "list.single_line_text_field",
            "value": '["a", "b"]',
        },
    ]
    env.control.set_metafields(env.shop, product_id, fields)
    bulk = {p.id: p async for p in client.bulk.pull_products()}
    paged = await client.products.get(product_id)
    assert paged is not None
    for product in (bulk[product_id], paged):
        assert [(m.namespace, m.key, m.type, m.value) for m in product.metafields] == [
            (f["namespace"], f["key"], f["type"], f["value"]) for f in fields
        ]
        assert len(product.variants) == 2  # metafield lines are not taken for variants or media
        assert all(m.media_content_type == "IMAGE" for m in product.media)
    assert bulk[seeded["product_ids"][1]].metafields == []
