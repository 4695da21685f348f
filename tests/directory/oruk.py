"""Checking responses against the Open Referral UK rules in schemas/."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_FILE = Path(__file__).parent / "schemas" / "openreferral_uk_v3.json"
# Which definition each endpoint's answer must follow; lists are a page of these.
LISTS = {
    "services": "service_summary",
    "service_at_locations": "service_at_location_summary",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
DETAILS = {
    "services": "service",
    "service_at_locations": "service_at_location",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


@cache
def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = json.loads(SCHEMA_FILE.read_text())["$defs"]
    return definitions


def schema_for(name: str, *, page: bool = False) -> dict[str, Any]:
    """The schema for one entity, or for a page of them."""
    if page:
        return {
            "$defs": _definitions(),
            "allOf": [{"$ref": "#/$defs/page"}],
            "properties": {"contents": {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}},
        }
    return {"$defs": _definitions(), "$ref": f"#/$defs/{name}"}


def problems(document: Any, name: str, *, page: bool = False) -> list[str]:
    """Every way `document` breaks the rules ([] when it follows them)."""
    validator = Draft202012Validator(schema_for(name, page=page), format_checker=FormatChecker())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(top)'}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def assert_valid(document: Any, name: str, *, page: bool = False) -> None:
    found = problems(document, name, page=page)
    assert not found, "\n".join(found)
