"""What the simulated TikTok suggests for a live product: titles, descriptions, SEO words and a
diagnosis, derived from the product's own body so tests can predict them.

Only `TITLE_LESS_THAN_40_CHARACTERS` is a code the reference shows; the description and image
codes are this sandbox's own (TikTok's full list is on a page the reference does not copy).
"""

import re

from tiktok_shop_sandbox.state import JsonDict, Product

# TikTok offers Optimize Info to US and UK shops only (the guide: "For US/UK only").
OFFERED_REGIONS = frozenset({"US", "GB", "UK"})
TITLE_TAIL = " - Premium Quality, Ready to Gift"
SEO_BASICS = ("premium", "gift")
_WORD = re.compile(r"[A-Za-z]{4,}")
_TAG = re.compile(r"<[^>]+>")


def suggested_titles(title: str) -> list[str]:
    """Generated titles: the product's own, made longer and more descriptive (max 255)."""
    return [(title + TITLE_TAIL)[:255], f"Premium {title} for Home and Gifting"[:255]]


def suggested_description(title: str) -> str:
    """A generated HTML description."""
    return (
        f"<p>{title}: made for everyday use and ready to gift.</p>"
        "<ul><li>Premium materials</li><li>Easy care</li><li>Ships fast</li></ul>"
    )


def seo_words(title: str) -> list[str]:
    """Keywords for the title that it does not contain yet."""
    have = title.lower()
    words = [w.lower() for w in _WORD.findall(title)][:2]
    picks = [f"{w} set" for w in words] + list(SEO_BASICS)
    return [w for w in dict.fromkeys(picks) if w not in have]


def suggestions_of(product: Product, live: bool) -> list[JsonDict]:
    """Get Recommended Product Title And Description's `suggestions` (none unless live)."""
    if not live:
        return []
    title = str(product.body.get("title", ""))
    return [
        {"field": "TITLE", "items": [{"text": t} for t in suggested_titles(title)]},
        {"field": "DESCRIPTION", "items": [{"text": suggested_description(title)}]},
    ]


def _result(code: str, how: str, tier: str) -> JsonDict:
    return {"code": code, "how_to_solve": how, "quality_tier": tier}


def _title_diagnosis(title: str) -> JsonDict | None:
    if len(title) >= 40:
        return None
    how = (
        "Names must be at least 40 characters long and contain product-identifying "
        'information, such as "hiking boots" or "lipstick".'
    )
    return {
        "field": "TITLE",
        "diagnosis_results": [_result("TITLE_LESS_THAN_40_CHARACTERS", how, "FAIR")],
        "suggestion": {
            "seo_words": [{"text": w} for w in seo_words(title)],
            "smart_texts": [{"text": t} for t in suggested_titles(title)],
            "images": [],
        },
    }


def _description_diagnosis(title: str, description: str) -> JsonDict | None:
    if len(_TAG.sub("", description)) >= 100:
        return None
    how = "Describe the product in at least 100 characters: materials, size, use and care."
    return {
        "field": "DESCRIPTION",
        "diagnosis_results": [_result("DESCRIPTION_LESS_THAN_100_CHARACTERS", how, "GOOD")],
        "suggestion": {"smart_texts": [{"text": suggested_description(title)}]},
    }


def _image_diagnosis(main_uri: str | None, optimized: bool) -> JsonDict | None:
    if main_uri is None or optimized:
        return None
    how = "Use a main image with a clean white background."
    return {
        "field": "IMAGE",
        "diagnosis_results": [_result("MAIN_IMAGE_BACKGROUND_NOT_WHITE", how, "GOOD")],
    }


def _tier(found: list[JsonDict]) -> str:
    tiers = {r["quality_tier"] for d in found for r in d["diagnosis_results"]}
    return "POOR" if "FAIR" in tiers else "FAIR" if tiers else "GOOD"


def diagnosis_of(product: Product, region: str, optimized_uris: set[str]) -> JsonDict:
    """One product of Product Information Issue Diagnosis; the quality tier is US-only."""
    body = product.body
    title, description = str(body.get("title", "")), str(body.get("description", ""))
    images = [i.get("uri") for i in body.get("main_images") or [] if isinstance(i, dict)]
    main = str(images[0]) if images else None
    candidates = [
        _title_diagnosis(title),
        _description_diagnosis(title, description),
        _image_diagnosis(main, main in optimized_uris),
    ]
    found = [d for d in candidates if d is not None]
    entry: JsonDict = {"id": product.id, "diagnoses": found}
    if region == "US":
        remaining = sum(len(d["diagnosis_results"]) for d in found)
        entry["listing_quality"] = {
            "current_tier": _tier(found),
            "remaining_recommendations": remaining,
        }
    return entry
