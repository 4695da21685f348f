"""The "Your work" page: one section from each app that has something for
this person (registered with `registry.add_dashboard_panel`)."""

from fingerpost.accounts.models import User

from . import registry
from .registry import Section


def dashboard_sections_for(user: User) -> list[Section]:
    sections = (panel.build(user) for panel in registry.dashboard_panels())
    return [section for section in sections if section is not None]
