"""The "Your work" page: one section from each app that has something for
this person (registered with `registry.add_dashboard_panel`)."""

from dataclasses import replace

from fingerpost.accounts.models import User

from . import registry
from .registry import Section


def dashboard_sections_for(user: User) -> list[Section]:
    sections = (panel.build(user) for panel in registry.dashboard_panels())
    return _merge_same_titles([section for section in sections if section is not None])


def _merge_same_titles(sections: list[Section]) -> list[Section]:
    """Two apps may offer a section of the same name ("The network", "Your
    account"): one heading, with both sets of links, reads better than two."""
    merged: dict[str, Section] = {}
    for section in sections:
        first = merged.get(section.title)
        if first is None:
            merged[section.title] = section
            continue
        hrefs = {link.href for link in first.links}
        merged[section.title] = replace(
            first,
            links=[*first.links, *(link for link in section.links if link.href not in hrefs)],
            figures=[*first.figures, *section.figures],
        )
    return list(merged.values())
