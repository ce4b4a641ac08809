"""Optimize Info (US / UK): TikTok's suggestions for a live listing as the merchant sees them,
what applying or undoing them sends, and how an optimized main image lives with the media rule.

Pure: TikTok's answers come in as the client's models, decisions go out as values (ADR 0640).
"""

from collections.abc import Mapping, Sequence
from enum import StrEnum

from pydantic import Field
from tiktok_shop.models.common import ImageRef
from tiktok_shop.models.optimization import (
    OptimizedImage,
    ProductDiagnosis,
    ProductSeoWords,
    ProductSuggestions,
)

from catalog_sync.core.models import Frozen
from catalog_sync.core.region import title_limits
from catalog_sync.core.sync_rules import Source, SyncField

# TikTok offers these APIs to US and UK shops (the guide: "For US/UK only"); GB is the UK's code.
OFFERED_REGIONS = frozenset({"US", "GB", "UK"})
NOT_OFFERED = (
    "Optimize Info is offered by TikTok Shop to US and UK shops only; this product's region is {}."
)
NOT_LIVE = (
    "Optimize Info needs a live TikTok listing: push the product and wait until TikTok Shop "
    "approves it (its status is {})."
)


class OptimizedField(StrEnum):
    """What the connector can optimize on a TikTok listing."""

    TITLE = "title"
    DESCRIPTION = "description"
    MAIN_IMAGE = "main_image"


# The sync rule that decides, on the next update, whether TikTok keeps an optimized value.
RULE_OF: dict[OptimizedField, SyncField] = {
    OptimizedField.TITLE: SyncField.TITLE,
    OptimizedField.DESCRIPTION: SyncField.DESCRIPTION,
    OptimizedField.MAIN_IMAGE: SyncField.MEDIA,
}


def offered_in(region: str | None) -> bool:
    """Whether TikTok offers Optimize Info to a shop of this market."""
    return (region or "").upper() in OFFERED_REGIONS


class Diagnosis(Frozen):
    """One issue TikTok found in a field, and what fixing it reaches."""

    field: str = Field(description="TITLE, DESCRIPTION, IMAGE, ATTRIBUTE or SIZE_CHART.")
    code: str
    how_to_solve: str
    quality_tier: str = Field(description="The tier fixing it reaches (FAIR, GOOD).")


class Suggestions(Frozen):
    """What TikTok suggests for one listing."""

    quality_tier: str | None = Field(
        default=None, description="POOR, FAIR or GOOD (TikTok says it for US shops only)."
    )
    remaining_recommendations: int | None = None
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    titles: list[str] = Field(default_factory=list, description="Generated titles.")
    descriptions: list[str] = Field(default_factory=list, description="Generated HTML.")
    seo_words: list[str] = Field(
        default_factory=list, description="Keywords to add to the title (click to add)."
    )


def _texts(found: Sequence[ProductSuggestions], field: str) -> list[str]:
    return [i.text for p in found for s in p.suggestions if s.field == field for i in s.items]


def to_suggestions(
    suggested: Sequence[ProductSuggestions],
    words: Sequence[ProductSeoWords],
    diagnosed: Sequence[ProductDiagnosis],
) -> Suggestions:
    """One product's answers of the three TikTok APIs, merged (each text once, in order)."""
    quality = next((d.listing_quality for d in diagnosed if d.listing_quality), None)
    smart = {
        f.field: [t.text for t in f.suggestion.smart_texts]
        for d in diagnosed
        for f in d.diagnoses
        if f.suggestion
    }
    seo = [w.text for p in words for w in p.seo_words]
    seo += [
        w.text
        for d in diagnosed
        for f in d.diagnoses
        if f.suggestion
        for w in f.suggestion.seo_words
    ]
    return Suggestions(
        quality_tier=quality.current_tier or None if quality else None,
        remaining_recommendations=quality.remaining_recommendations if quality else None,
        diagnoses=[
            Diagnosis(
                field=f.field, **r.model_dump(include={"code", "how_to_solve", "quality_tier"})
            )
            for d in diagnosed
            for f in d.diagnoses
            for r in f.diagnosis_results
        ],
        titles=_unique(_texts(suggested, "TITLE") + smart.get("TITLE", [])),
        descriptions=_unique(_texts(suggested, "DESCRIPTION") + smart.get("DESCRIPTION", [])),
        seo_words=_unique(seo),
    )


def _unique(texts: list[str]) -> list[str]:
    return [t for t in dict.fromkeys(t.strip() for t in texts) if t]


def title_refusal(title: str, region: str) -> str | None:
    """Why TikTok would refuse this title in the region (None: it fits)."""
    low, high = title_limits(region)
    if low <= len(title.strip()) <= high:
        return None
    return f"A TikTok Shop title in {region.upper()} has {low} to {high} characters ({len(title)})."


def with_keywords(title: str, keywords: Sequence[str], region: str) -> str:
    """The title with SEO keywords added at its end, each once, as far as the limit allows."""
    _, high = title_limits(region)
    text = title.strip()
    for word in (k.strip() for k in keywords):
        if word and word.lower() not in text.lower() and len(text) + len(word) + 1 <= high:
            text = f"{text} {word}"
    return text


class Applied(Frozen):
    """A value the connector set on TikTok, and TikTok's value before the first optimization."""

    field: OptimizedField
    previous: str
    applied: str


class NotApplicable(ValueError):
    """A change that cannot be made, in the merchant's words."""


def text_changes(
    current: tuple[str, str],
    title: str | None,
    description: str | None,
    keywords: Sequence[str],
    region: str,
) -> list[Applied]:
    """The title / description changes to make on TikTok (`current`: TikTok's title and
    description): the chosen texts, keywords added to the title; unchanged ones left out."""
    if title is None and description is None and not keywords:
        raise NotApplicable("Choose a title, a description or keywords to apply.")
    new_title = with_keywords(title if title is not None else current[0], keywords, region)
    if refusal := title_refusal(new_title, region):
        raise NotApplicable(refusal)
    if description is not None and not description.strip():
        raise NotApplicable("A TikTok Shop description cannot be empty.")
    wanted = [(OptimizedField.TITLE, current[0], new_title)]
    if description is not None:
        wanted.append((OptimizedField.DESCRIPTION, current[1], description.strip()))
    return [Applied(field=f, previous=old, applied=new) for f, old, new in wanted if old != new]


def undo_fields(undo: Sequence[Applied], main_uris: Sequence[str]) -> dict[str, object]:
    """The Partial Edit body that puts TikTok's previous values back."""
    if not undo:
        raise NotApplicable("Nothing applied with Optimize Info is left to undo.")
    body: dict[str, object] = {}
    for change in undo:
        if change.field is not OptimizedField.MAIN_IMAGE:
            body[change.field.value] = change.previous
            continue
        images = replaced_main(main_uris, change.applied, change.previous)
        if images is None:
            raise NotApplicable(
                "TikTok's main image is no longer the optimized one (it changed since); "
                "there is no optimization to undo."
            )
        body["main_images"] = [ImageRef(uri=u) for u in images]
    return body


def kept_on_update(field: OptimizedField, rules: Mapping[SyncField, Source]) -> bool:
    """Whether the next update push leaves the optimized value on TikTok: a TikTok rule keeps
    TikTok's value; an optimized main image also survives a Shopify (origin) media rule, since
    the push puts it in place of the Shopify image it was made from (`main_image_swap`)."""
    source = rules[RULE_OF[field]]
    return source is Source.TIKTOK or (
        field is OptimizedField.MAIN_IMAGE and source is Source.ORIGIN
    )


def other_images_hint(media: Source) -> str:
    """Where the merchant changes the other images (only the main one is optimized here)."""
    if media is Source.TIKTOK:
        return (
            "Only the main image is optimized here. Your 'Product media' rule is TikTok Shop: "
            "change other images directly in your TikTok Shop store."
        )
    return (
        "Only the main image is optimized here. Change other images in your Shopify store, "
        "then update the product from the connector."
    )


def image_answer(answers: Sequence[OptimizedImage], uri: str) -> OptimizedImage | None:
    """TikTok's answer for one image of an Optimized Images call."""
    return next((a for a in answers if a.original_uri == uri), None)


def main_image_swap(applied: Sequence[Applied]) -> dict[str, str]:
    """Original uri -> optimized uri of an optimized main image, for pushes (origin rule)."""
    return {a.previous: a.applied for a in applied if a.field is OptimizedField.MAIN_IMAGE}


def swap_main_image(uris: list[str], swap: Mapping[str, str]) -> list[str]:
    """The push's image uris with the optimized main image in place of the Shopify one it was
    made from; a new Shopify main image (another uri) wins, as the origin rule says."""
    if not uris or uris[0] not in swap:
        return uris
    return [swap[uris[0]], *uris[1:]]


def replaced_main(current: Sequence[str], old: str, new: str) -> list[str] | None:
    """TikTok's main images with the first one replaced (None: the first is no longer `old`)."""
    if not current or current[0] != old:
        return None
    return [new, *current[1:]]
