"""Data the browser tests share: enough that list and detail pages are not empty."""

from dataclasses import dataclass

from fingerpost.events.models import Event
from fingerpost.organisations.models import Organisation
from tests.factories import EventFactory, MembershipFactory, OrganisationFactory


@dataclass(frozen=True)
class SiteData:
    organisation: Organisation
    branch: Organisation
    event: Event


def make_site_data() -> SiteData:
    organisation = OrganisationFactory(name="Dorset Council")
    branch = OrganisationFactory(name="Dorchester Library", kind="library", parent=organisation)
    MembershipFactory(organisation=organisation, job_title="Digital inclusion officer")
    event = EventFactory(title="Digital partnership networking")
    return SiteData(organisation=organisation, branch=branch, event=event)
