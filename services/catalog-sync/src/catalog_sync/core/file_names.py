"""File names Upload Product File accepts: one period before the extension, no spaces, no
leading symbol (reference `upload-product-file.json`)."""

import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def safe_file_name(name: str, extension: str, fallback: str) -> str:
    """`name` without its extension, made safe, plus `extension` (`fallback` when nothing is left)."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = _UNSAFE.sub("-", stem).strip("-_") or fallback
    return f"{stem[:80]}.{extension.lower()}"
