"""Whether an output stream's encoding holds every character (DESIGN §5: any output
encoding works). Tiny and import-free: the CLI asks before anything else is loaded."""

from __future__ import annotations


def holds_every_character(encoding: str | None) -> bool:
    """UTF-8 (with or without its mark), UTF-16 or UTF-32, however it is spelled."""
    return (encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig", "utf16", "utf32")
