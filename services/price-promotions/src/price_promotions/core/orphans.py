"""Activities of ours that TikTok holds but no commit recorded (a run died between TikTok's
create and our commit): which generations to look for, and which found ones to end (pure)."""

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from price_promotions.core.activities import title_of

# Statuses in which an activity discounts, or will once it begins or gets its products.
LIVE = frozenset({"DRAFT", "NOT_START", "ONGOING"})
# A product's run notes one generation per create; more than this many unrecorded ones would
# mean a loop of crashes, and each costs a search: the oldest beyond it are left for later.
MAX_SEARCHES = 3


class FoundActivity(BaseModel):
    """An activity as TikTok's search lists it."""

    model_config = ConfigDict(frozen=True)

    activity_id: str
    title: str
    status: str


def unrecorded_generations(noted: Iterable[int], last_generation: int) -> list[int]:
    """Generations a run set out to create that no commit recorded, newest first, at most
    `MAX_SEARCHES` (every recorded generation is at most `last_generation`)."""
    return sorted({g for g in noted if g > last_generation}, reverse=True)[:MAX_SEARCHES]


def orphans_to_end(
    found: Iterable[FoundActivity], tiktok_product_id: str, generations: Iterable[int]
) -> list[str]:
    """The ids of found activities titled as one of these generations of the product that are
    still live (title search is a substring match: other titles are someone else's)."""
    titles = {title_of(tiktok_product_id, g) for g in generations}
    return sorted({a.activity_id for a in found if a.title in titles and a.status in LIVE})
