"""The 14 points of the Service Standard and the starter questions, as data
(`data/service_standard.json`), so the wording lives in one file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "service_standard.json"


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@cache
def points() -> dict[int, str]:
    """Point number -> its short title."""
    return {p["number"]: p["title"] for p in _data()["points"]}


def point_title(number: int) -> str:
    return points().get(number, "")


def point_choices() -> list[tuple[int, str]]:
    return [(number, f"{number}. {title}") for number, title in points().items()]


def starter_questions() -> list[dict[str, Any]]:
    return list(_data()["questions"])
