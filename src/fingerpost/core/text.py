"""Cleaning text people type or paste."""

import unicodedata

INVISIBLE = {"Cc", "Cf"}  # control and format characters, such as zero-width spaces


def visible_text(value: str) -> str:
    """Drop invisible characters and squeeze runs of spaces to one."""
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in INVISIBLE)
    return " ".join(kept.split())


def visible_lines(value: str) -> str:
    """Like visible_text, but keeps line breaks (addresses, descriptions)."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = [
        "".join(ch for ch in line if unicodedata.category(ch) not in INVISIBLE).rstrip()
        for line in lines
    ]
    return "\n".join(kept).strip()
