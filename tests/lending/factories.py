import factory

from fingerpost.lending.models import Borrower, Device, DeviceKind
from fingerpost.organisations.models import OrganisationKind

from ..factories import OrganisationFactory


class BranchFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Library branch {n}")
    kind = OrganisationKind.LIBRARY


class DeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Device

    asset_tag = factory.Sequence(lambda n: f"TAB{n:05d}")
    serial_number = factory.Sequence(lambda n: f"SN{n:08d}")
    kind = DeviceKind.TABLET
    make = "Lenovo"
    model = "Tab M10"
    branch = factory.SubFactory(BranchFactory)


class BorrowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borrower

    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"borrower{n}@example.org")
    phone = ""
    branch = factory.SubFactory(BranchFactory)
