"""Product videos (Upload Product File) and size chart templates (Search Size Charts), as the
platform enforces them on upload and on Create / Edit Product."""

import pytest
from tiktok_shop import BusinessError, TikTokShopClient
from tiktok_shop.models.common import ImageRef
from tiktok_shop.models.products import IdRef, SizeChart
from tiktok_shop_sandbox.control_client import SandboxControl, ShopHandle
from tiktok_shop_sandbox.harness import client_for
from tiktok_shop_sandbox.product_files import MAX_PDF_BYTES
from tiktok_shop_sandbox.samples import sample_mp4, sample_png, sample_product


@pytest.fixture
async def image(client: TikTokShopClient) -> str:
    return (await client.catalog.upload_image(sample_png())).uri


async def upload_error(client: TikTokShopClient, content: bytes, name: str) -> int:
    with pytest.raises(BusinessError) as error:
        await client.catalog.upload_file(content, name)
    return error.value.code


async def test_video_upload_returns_the_file_id_and_format(client: TikTokShopClient) -> None:
    uploaded = await client.catalog.upload_file(sample_mp4(1080, 1920), "jar-tour.mp4")
    assert uploaded.id
    assert (uploaded.format, uploaded.name) == ("MP4", "jar-tour.mp4")


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "clip.mp4", 12019103),
        (sample_mp4(), "my clip.mp4", 12038002),
        (sample_mp4(), "clip.v2.mp4", 12038002),
        (sample_mp4(), "_clip.mp4", 12038002),
        (sample_png(), "clip.mp4", 12019105),  # an image renamed as a video
        (sample_mp4(), "clip.gif", 12019105),
        (sample_mp4(1920, 600), "wide.mp4", 12019122),
        (sample_mp4(400, 1000), "tall.mp4", 12019122),
        (b"%PDF-1.7" + bytes(MAX_PDF_BYTES), "report.pdf", 12038005),
    ],
)
async def test_uploads_the_platform_refuses(
    client: TikTokShopClient, content: bytes, name: str, code: int
) -> None:
    assert await upload_error(client, content, name) == code


async def test_product_with_a_video_and_a_size_chart_template_reads_back_both(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    video = await client.catalog.upload_file(sample_mp4(1280, 720), "demo.mp4")
    template = (await client.catalog.size_charts()).items[0]
    body = sample_product(image, shop.warehouse_id, "VID-1").model_copy(
        update={
            "video": IdRef(id=video.id),
            "size_chart": SizeChart(template=IdRef(id=template.template_id)),
        }
    )
    created = await client.products.create(body)
    product = await client.products.get(created.product_id)
    assert product.video is not None
    assert (product.video.id, product.video.format) == (video.id, "MP4")
    assert (product.video.width, product.video.height) == (1280, 720)
    assert product.size_chart
    assert product.size_chart.template
    assert product.size_chart.template.id == template.template_id


async def test_unknown_or_pdf_video_ids_are_refused(
    client: TikTokShopClient, shop: ShopHandle, image: str
) -> None:
    pdf = await client.catalog.upload_file(b"%PDF-1.7 test report", "report.pdf")
    for video_id in ("v09e40f40000nope", pdf.id):
        body = sample_product(image, shop.warehouse_id, "VID-2").model_copy(
            update={"video": IdRef(id=video_id)}
        )
        with pytest.raises(BusinessError) as error:
            await client.products.create(body)
        assert error.value.code == 12052360


async def test_size_chart_must_be_the_sellers_template_or_a_size_chart_image(
    client: TikTokShopClient,
    control: SandboxControl,
    sandbox_url: str,
    shop: ShopHandle,
    image: str,
) -> None:
    other_shop = await control.new_shop()
    async with client_for(sandbox_url, other_shop) as other:
        foreign = (await other.catalog.size_charts()).items[0].template_id
    charts = [
        (SizeChart(template=IdRef(id=foreign)), 12052128),  # another seller's template
        (SizeChart(image=ImageRef(uri=image)), 12052670),  # a MAIN_IMAGE, not SIZE_CHART_IMAGE
        (SizeChart(), 12052673),
    ]
    for chart, code in charts:
        body = sample_product(image, shop.warehouse_id, "VID-3").model_copy(
            update={"size_chart": chart}
        )
        with pytest.raises(BusinessError) as error:
            await client.products.create(body)
        assert error.value.code == code
    chart_image = (await client.catalog.upload_image(sample_png(), "SIZE_CHART_IMAGE")).uri
    body = sample_product(image, shop.warehouse_id, "VID-3").model_copy(
        update={"size_chart": SizeChart(image=ImageRef(uri=chart_image))}
    )
    assert (await client.products.create(body)).product_id


async def test_search_size_charts_by_keyword_ids_and_pages(
    client: TikTokShopClient, control: SandboxControl, shop: ShopHandle
) -> None:
    added = await control.add_size_chart(shop.shop_id, "Kids shoes")
    every = [t async for t in client.catalog.iter_size_charts()]
    assert [t.template_name for t in every] == ["Womenswear sizes", "Menswear sizes", "Kids shoes"]
    assert every[2].images[0].uri
    shoes = await client.catalog.size_charts(keyword="SHOES")
    assert [t.template_id for t in shoes.items] == [added["template_id"]]
    by_id = await client.catalog.size_charts(ids=[every[0].template_id], keyword="shoes")
    assert [t.template_name for t in by_id.items] == ["Womenswear sizes"]  # ids win
    first = await client.catalog.size_charts(page_size=2)
    assert (len(first.items), first.total_count) == (2, 3)
    assert first.next_page_token
    with pytest.raises(BusinessError) as error:
        await client.catalog.size_charts(page_size=101)
    assert error.value.code == 12019109
