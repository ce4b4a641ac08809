"""Optimize Info's pure rules: where it is offered, what TikTok's answers show, what applying
and undoing send, and the optimized main image under the media sync rule (guide: Product
Details, Optimize Info)."""

import pytest
from catalog_sync.core.mapping import PushTarget, pick_images
from catalog_sync.core.models import SourceProduct
from catalog_sync.core.optimization import (
    Applied,
    NotApplicable,
    OptimizedField,
    kept_on_update,
    main_image_swap,
    offered_in,
    other_images_hint,
    swap_main_image,
    text_changes,
    title_refusal,
    to_suggestions,
    undo_fields,
    with_keywords,
)
from catalog_sync.core.sync_rules import DEFAULTS, Mode, Source, SyncField
from hypothesis import given
from hypothesis import strategies as st
from tiktok_shop.models.optimization import ProductDiagnosis, ProductSeoWords, ProductSuggestions

MAIN = OptimizedField.MAIN_IMAGE
words = st.text(alphabet="abcdefghij ", min_size=1, max_size=12)


@pytest.mark.parametrize(
    ("region", "offered"), [("US", True), ("gb", True), ("UK", True), ("DE", False), (None, False)]
)
def test_optimize_info_is_offered_in_the_us_and_uk_only(region: str | None, offered: bool) -> None:
    assert offered_in(region) is offered


def test_tiktoks_three_answers_merge_into_one_view_each_text_once() -> None:
    suggested = ProductSuggestions.model_validate(
        {
            "id": "1",
            "suggestions": [
                {"field": "TITLE", "items": [{"text": "A longer title"}]},
                {"field": "DESCRIPTION", "items": [{"text": "<p>Nice</p>"}]},
            ],
        }
    )
    seo = ProductSeoWords.model_validate({"id": "1", "seo_words": [{"text": "dress"}]})
    diagnosed = ProductDiagnosis.model_validate(
        {
            "id": "1",
            "listing_quality": {"current_tier": "POOR", "remaining_recommendations": 1},
            "diagnoses": [
                {
                    "field": "TITLE",
                    "diagnosis_results": [
                        {
                            "code": "TITLE_LESS_THAN_40_CHARACTERS",
                            "how_to_solve": "Longer.",
                            "quality_tier": "FAIR",
                        }
                    ],
                    "suggestion": {
                        "seo_words": [{"text": "dress"}, {"text": "summer"}],
                        "smart_texts": [{"text": "A longer title"}, {"text": "Another"}],
                    },
                }
            ],
        }
    )
    view = to_suggestions([suggested], [seo], [diagnosed])
    assert view.titles == ["A longer title", "Another"]
    assert view.descriptions == ["<p>Nice</p>"]
    assert view.seo_words == ["dress", "summer"]
    assert (view.quality_tier, view.remaining_recommendations) == ("POOR", 1)
    assert [(d.field, d.code, d.quality_tier) for d in view.diagnoses] == [
        ("TITLE", "TITLE_LESS_THAN_40_CHARACTERS", "FAIR")
    ]


def test_a_uk_diagnosis_has_no_quality_tier() -> None:
    view = to_suggestions([], [], [ProductDiagnosis(id="1")])
    assert view.quality_tier is None
    assert view.remaining_recommendations is None


@given(title=words, keywords=st.lists(words, max_size=6))
def test_keywords_are_added_once_and_never_past_the_title_limit(
    title: str, keywords: list[str]
) -> None:
    titled = with_keywords(title, keywords, "US")
    assert titled.startswith(title.strip())
    assert len(titled) <= 255
    for word in (k.strip() for k in keywords if k.strip()):
        assert titled.lower().count(word.lower()) >= 1 or len(titled) + len(word) + 1 > 255


def test_a_title_tiktok_would_refuse_is_refused_with_the_limits() -> None:
    assert title_refusal("x" * 255, "GB") is None
    assert "1 to 255" in str(title_refusal("x" * 256, "US"))


def test_applying_sends_only_what_changes_and_remembers_tiktoks_values() -> None:
    changes = text_changes(("Jar", "<p>Old</p>"), "Glass Jar", "<p>Old</p>", ["pantry"], "US")
    assert changes == [
        Applied(field=OptimizedField.TITLE, previous="Jar", applied="Glass Jar pantry")
    ]
    with pytest.raises(NotApplicable):
        text_changes(("Jar", ""), None, None, [], "US")
    with pytest.raises(NotApplicable):
        text_changes(("Jar", ""), "y" * 300, None, [], "US")


def test_undo_puts_back_tiktoks_values_and_the_original_main_image() -> None:
    title = Applied(field=OptimizedField.TITLE, previous="Jar", applied="Glass Jar")
    image = Applied(field=MAIN, previous="tos-a", applied="tos-a-opt")
    body = undo_fields([title, image], ["tos-a-opt", "tos-b"])
    assert body["title"] == "Jar"
    assert [i.uri for i in body["main_images"]] == ["tos-a", "tos-b"]  # type: ignore[attr-defined]


def test_undo_refuses_when_nothing_is_applied_or_the_main_image_changed_since() -> None:
    with pytest.raises(NotApplicable):
        undo_fields([], ["tos-a"])
    with pytest.raises(NotApplicable):
        undo_fields([Applied(field=MAIN, previous="tos-a", applied="tos-a-opt")], ["tos-new"])


def test_a_push_under_the_shopify_media_rule_keeps_the_optimized_main_image() -> None:
    product = SourceProduct.model_validate(
        {
            "shopify_product_id": "gid://shopify/Product/1",
            "title": "Jar",
            "image_urls": ["https://cdn/a.png", "https://cdn/b.png"],
            "updated_at": "2026-12-01T00:00:00Z",
        }
    )
    swap = main_image_swap([Applied(field=MAIN, previous="tos-a", applied="tos-a-opt")])
    target = PushTarget(
        region="US",
        category_id="600001",
        image_uris={"https://cdn/a.png": "tos-a", "https://cdn/b.png": "tos-b"},
        main_image_swap=swap,
    )
    assert [i.uri for i in pick_images(product, target, Source.ORIGIN, None)] == [
        "tos-a-opt",
        "tos-b",
    ]


@given(uris=st.lists(st.sampled_from(["tos-a", "tos-b", "tos-c"]), max_size=4))
def test_a_new_shopify_main_image_wins_over_an_old_optimization(uris: list[str]) -> None:
    swapped = swap_main_image(uris, {"tos-a": "tos-a-opt"})
    assert swapped[1:] == uris[1:]
    assert swapped[:1] == (["tos-a-opt"] if uris[:1] == ["tos-a"] else uris[:1])


def test_what_the_next_update_keeps_follows_the_update_rules() -> None:
    rules = DEFAULTS[Mode.UPDATE]  # Shopify for title, description and media
    assert not kept_on_update(OptimizedField.TITLE, rules)
    assert kept_on_update(MAIN, rules)
    tiktok = rules | {SyncField.TITLE: Source.TIKTOK, SyncField.MEDIA: Source.TIKTOK}
    assert kept_on_update(OptimizedField.TITLE, tiktok)
    assert kept_on_update(MAIN, tiktok)


def test_the_other_images_hint_follows_the_media_rule() -> None:
    assert "directly in your TikTok Shop store" in other_images_hint(Source.TIKTOK)
    assert "in your Shopify store" in other_images_hint(Source.ORIGIN)
