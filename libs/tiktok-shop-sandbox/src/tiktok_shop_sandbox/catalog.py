"""The seeded, deterministic category tree with attributes, rules and brands.

Small on purpose: one leaf per kind of requirement the platform enforces (required attribute,
brand, certification, package dimensions), so connector tests can hit each rule.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attribute:
    """A category attribute; SALES_PROPERTY ones define variants."""

    id: str
    name: str
    type: str
    values: tuple[tuple[str, str], ...] = ()
    is_required: bool = False
    is_customizable: bool = True


@dataclass(frozen=True)
class Certification:
    """A certification a category asks for."""

    id: str
    name: str
    is_required: bool = True


@dataclass(frozen=True)
class Category:
    """A node of the tree; leaves carry their listing rules."""

    id: str
    parent_id: str
    name: str
    is_leaf: bool = True
    required_attributes: tuple[str, ...] = ()
    certifications: tuple[Certification, ...] = ()
    package_dimension_required: bool = False
    brand_required: bool = False
    keywords: tuple[str, ...] = field(default=(), compare=False)
    # The trees it is in: US shops list in the v2 (7-level) tree, other markets in v1 (3-level);
    # a category of one tree is unknown to the other's shops (reference A6, Get Categories).
    versions: tuple[str, ...] = ("v1", "v2")

    def in_tree(self, version: str) -> bool:
        """Whether the category is a node of that category tree."""
        return version in self.versions


COLOR = Attribute("100000", "Color", "SALES_PROPERTY", (("1000001", "Red"), ("1000002", "Blue")))
SIZE = Attribute("100007", "Size", "SALES_PROPERTY", (("1000071", "S"), ("1000072", "M")))
OCCASION = Attribute(
    "100392", "Occasion", "PRODUCT_PROPERTY", (("1001533", "Birthday"), ("1001534", "Wedding"))
)
MATERIAL = Attribute(
    "101001",
    "Material",
    "PRODUCT_PROPERTY",
    (("1010011", "Cotton"), ("1010012", "Wax"), ("1010013", "Silicone")),
    is_required=True,
)
PHONE_MODEL = Attribute("101002", "Compatible Phone Models", "PRODUCT_PROPERTY", is_required=True)
ATTRIBUTES = {a.id: a for a in (COLOR, SIZE, OCCASION, MATERIAL, PHONE_MODEL)}

CATEGORIES = {
    c.id: c
    for c in (
        Category("600001", "0", "Home Supplies", is_leaf=False),
        Category("600010", "600001", "Kitchen Storage", keywords=("jar", "storage", "container")),
        Category(
            "600020",
            "600001",
            "Candles & Holders",
            required_attributes=("101001",),
            keywords=("candle",),
        ),
        Category("600030", "600001", "Jars & Canisters", versions=("v1",)),
        Category("700001", "0", "Beauty & Personal Care", is_leaf=False),
        Category(
            "700010",
            "700001",
            "Skincare",
            certifications=(Certification("602362", "Cosmetic Product Safety Report"),),
            brand_required=True,
            keywords=("serum", "cream", "skincare", "lotion"),
        ),
        Category("800001", "0", "Phones & Electronics", is_leaf=False),
        Category(
            "800010",
            "800001",
            "Phone Cases",
            required_attributes=("101002",),
            package_dimension_required=True,
            keywords=("case", "cover"),
        ),
        Category(
            "800020",
            "800001",
            "Chargers",
            certifications=(Certification("602400", "FCC Certificate"),),
            package_dimension_required=True,
            brand_required=True,
            keywords=("charger", "cable"),
        ),
        Category("900001", "0", "Womenswear", is_leaf=False),
        Category(
            "900010",
            "900001",
            "Dresses",
            required_attributes=("101001",),
            keywords=("dress", "skirt"),
        ),
    )
}

# Seeded brands: id -> (name, authorized for this seller).
BRANDS = {
    "7082427311584347905": ("Teas", True),
    "7082427311584347906": ("Acme", True),
    "7082427311584347907": ("Lumen", False),
}


def attributes_of(category: Category) -> list[Attribute]:
    """The attributes a leaf offers: sales properties plus its product properties."""
    own = {"100392", *category.required_attributes}
    return [COLOR, SIZE, *(ATTRIBUTES[a] for a in sorted(own))]


def recommend(title: str, version: str) -> Category | None:
    """The leaf of a category tree whose keywords appear in a product title, if any."""
    words = title.lower()
    tree = (c for c in CATEGORIES.values() if c.in_tree(version))
    return next((c for c in tree if any(k in words for k in c.keywords)), None)
